import EnvCheckCore
import TestSupport

/// Stand-ins for the five built-in kinds, with the input and option names (and default
/// keys) the real kinds were specified with, so the manifests in probes/ can be validated
/// before the real kinds are merged. The real registry is checked by
/// Tests/EnvCheckProbesTests/Manifest/DefaultManifestTests.swift.
enum ManifestTestKinds {
    static func kind(_ name: String, critical: Bool, inputs: [ProbeInput], options: [ProbeOption] = []) -> ProbeKind {
        ProbeKind(kind: name, summary: "stand-in for \(name)", critical: critical, inputs: inputs, options: options) { settings in
            guard let first = inputs.first, settings.value(first) != nil else { return .notConfigured("not set") }
            return .ready(StubProbe())
        }
    }

    static let registry = ProbeRegistry([
        kind(
            "postgres", critical: true, inputs: [ProbeInput("url", keys: ["DATABASE_URL"])],
            options: [ProbeOption("expect_primary", .bool, "fail on a read-only replica")]),
        kind(
            "s3", critical: true,
            inputs: [
                ProbeInput("bucket", keys: ["S3_BUCKET"]),
                ProbeInput("endpoint", keys: ["S3_ENDPOINT", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"]),
                ProbeInput("region", keys: ["S3_REGION", "AWS_REGION", "AWS_DEFAULT_REGION"]),
                ProbeInput("access_key", keys: ["S3_ACCESS_KEY", "AWS_ACCESS_KEY_ID"]),
                ProbeInput("secret_key", keys: ["S3_SECRET_KEY", "AWS_SECRET_ACCESS_KEY"]),
            ], options: [ProbeOption("path_style", .bool, "path-style requests")]),
        kind("redis", critical: false, inputs: [ProbeInput("url", keys: ["REDIS_URL"])]),
        kind(
            "openrouter", critical: false,
            inputs: [
                ProbeInput("api_key", keys: ["OPENROUTER_API_KEY"]),
                ProbeInput("daily_limit", keys: ["OPENROUTER_DAILY_LIMIT_USD"]),
            ], options: [ProbeOption("min_credit", .number, "warn below this credit")]),
        kind(
            "next_public", critical: false, inputs: [ProbeInput("dir", keys: ["NEXT_BUILD_DIR"])],
            options: [
                ProbeOption("dir", .string, "the Next.js build directory"),
                ProbeOption("expect", .stringList, "the NEXT_PUBLIC_* keys to verify"),
                ProbeOption("ignore", .stringList, "keys not to verify"),
                ProbeOption("max_age", .duration, "warn when the build is older"),
            ]),
        kind(
            "policy", critical: false, inputs: [ProbeInput("environment", keys: ["ENVIRONMENT", "ENV", "NODE_ENV"])],
            options: [ProbeOption("rules", .stringMap, "rule id → off, warn or fail")]),
        kind(
            "vault", critical: false, inputs: [ProbeInput("addr", keys: ["VAULT_ADDR"]), ProbeInput("token", keys: ["VAULT_APP_TOKEN", "VAULT_TOKEN"])],
            options: [ProbeOption("path", .string, "the KV path"), ProbeOption("keys", .stringList, "fields that must be there")]),
        kind("otlp", critical: false, inputs: [ProbeInput("endpoint", keys: ["OTEL_EXPORTER_OTLP_ENDPOINT"])]),
    ])
}
