import Foundation
import TestSupport
import Testing

@testable import EnvCheckCore

/// `config`, `list` and `healthcheck` output are reporters like the run reports: pure
/// functions pinned by golden files (`UPDATE_GOLDEN=1` rewrites them), their JSON by a schema.
@Suite("config, list and healthcheck reporters")
struct CommandReporterTests {
    static func fingerprinter(_ key: String?) -> Fingerprinter { StandInHMAC.fingerprinter(key) }

    /// A realistic app: a base file, a vault-rendered `.env` over it (a misspelt key, a key
    /// rendered twice, a NEXT_PUBLIC_ value, a key nobody reads) and the environment over
    /// both; the base file is three hours old against `--max-age 1h`.
    static func configReport(key: String?, showAll: Bool = false) throws -> ConfigReport {
        let files = [
            "/srv/app/base.env": "S3_BUCKET=assets\nREDIS_URL=redis://:base-pass-1234@cache:6379\nS3_SECRET_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCY\n",
            "/srv/app/.env":
                "DATABSE_URL=postgresql://postgres:postgres@db:5432/postgres\nREDIS_URL=\nREDIS_URL=redis://cache:6379\n"
                + "NEXT_PUBLIC_SITE_NAME=Acme\nS3_ACCESS_KEY=short\nFEATURE_FLAGS=beta\n",
        ]
        let config = try ConfigResolver.resolve(
            ConfigResolver.Options(envFiles: ["/srv/app/base.env", "/srv/app/.env"], maxAge: .seconds(3600)),
            environment: ["REDIS_URL": "redis://envwins:6379", "HOME": "/root"],
            read: { path throws(FileSystem.Failure) in Array(files[path]!.utf8) },
            age: { $0 == "/srv/app/base.env" ? .seconds(3 * 3600) : .seconds(60) })
        let keys: [(key: String, probes: [String])] = [
            ("DATABASE_URL", ["postgres"]), ("S3_BUCKET", ["s3"]), ("S3_ACCESS_KEY", ["s3"]), ("S3_SECRET_KEY", ["s3"]),
            ("REDIS_URL", ["redis"]), ("OPENROUTER_API_KEY", ["openrouter"]),
        ]
        return ConfigReport(
            config: config, keys: keys, requiredKeys: ["DATABASE_URL"],
            secrecy: ["DATABASE_URL": .credentials, "S3_ACCESS_KEY": .whole, "S3_SECRET_KEY": .whole],
            fingerprinter: fingerprinter(key), showAll: showAll)
    }

    static let redactor = Redactor(secrets: ["postgres", "wJalrXUtnFEMI/K7MDENG/bPxRfiCY", "short", "base-pass-1234"])

    func expectGolden(_ text: String, _ name: String) throws {
        let path = ReporterTests.golden + name
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" { try text.write(toFile: path, atomically: true, encoding: .utf8) }
        #expect(text == (try String(contentsOfFile: path, encoding: .utf8)), "\(name) differs from its golden file")
    }

    @Test func configHuman() throws {
        let text = try Self.configReport(key: nil).human(redactor: Self.redactor, color: false)
        try expectGolden(text, "config.txt")
        #expect(text.contains("\nDATABASE_URL           unset   -                    -  (did you mean DATABSE_URL? it is set)\n"))
        #expect(text.contains("did you mean DATABSE_URL? it is set"))
        #expect(text.contains("DATABSE_URL (/srv/app/.env:1): did you mean DATABASE_URL?"))
        #expect(!text.contains("FEATURE_FLAGS"))  // unread: counted, listed with --all
        #expect(text.contains("3 more keys are set but not read by any probe (2 from env files, 1 from the environment"))
        #expect(text.contains("# NEXT_PUBLIC_* (read by next_public)\nNEXT_PUBLIC_SITE_NAME"))
        // Every source, winner first: env over .env:3 over .env:2 over base.env:2.
        let redis = text.components(separatedBy: "\n").drop { !$0.hasPrefix("REDIS_URL") }.prefix(4).map {
            $0.split(separator: " ").prefix(3).joined(separator: " ")
        }
        #expect(
            redis == [
                "REDIS_URL set env", "over /srv/app/.env:3 redis://cache:6379", "over /srv/app/.env:2 <empty>",
                "over /srv/app/base.env:2 redis://:[redacted]@cache:6379",
            ])
        #expect(text.contains("warning: REDIS_URL (/srv/app/.env:3): duplicate_key: set twice in this file, on lines 2 and 3"))
        #expect(text.contains("warning: /srv/app/base.env:1: stale_file: last written 3h ago, more than --max-age 1h"))
        for secret in ["wJalrXUtnFEMI", "base-pass-1234", ":postgres@"] { #expect(!text.contains(secret), "\(secret)") }
    }

    @Test func configHumanAllListsUnreadKeys() throws {
        let text = try Self.configReport(key: nil, showAll: true).human(redactor: Self.redactor, color: false)
        try expectGolden(text, "config-all.txt")
        #expect(text.contains("# not read by any probe\n"))
        #expect(text.contains("FEATURE_FLAGS"))
        #expect(text.contains("HOME"))
        #expect(
            text.contains(
                "\nDATABSE_URL            set     /srv/app/.env:1      postgresql://postgres:[redacted]@db:5432/postgres  (did you mean DATABASE_URL?)\n"))
    }

    @Test(.requires(.jsonSchemaValidator)) func configJSONWithFingerprints() async throws {
        let text = try Self.configReport(key: String(repeating: "k", count: 32)).json(redactor: Self.redactor)
        try expectGolden(text, "config.json")
        try await SchemaValidator.validateJSON(text, schema: "config.schema.json")
        #expect(text.contains("\"fingerprint\": \"hmac:"))
        #expect(text.contains("short_secret"))
    }

    @Test(.requires(.jsonSchemaValidator)) func configJSONWithoutAKeyValidates() async throws {
        let text = try Self.configReport(key: nil, showAll: true).json(redactor: Self.redactor)
        try await SchemaValidator.validateJSON(text, schema: "config.schema.json")
        #expect(!text.contains("hmac:") && text.contains("ENVCHECK_FINGERPRINT_KEY"))
    }

    @Test func healthcheckLines() throws {
        var text = HealthcheckReporter.report(sampleReport, options: ReportOptions())
        var healthy = sampleReport
        healthy.probes = [sampleReport.probes[0], sampleReport.probes[3]]
        healthy.probes[0].details["weak_credential"] = "url (DATABASE_URL) is a well-known default"
        text += HealthcheckReporter.report(healthy, options: ReportOptions())
        text += HealthcheckReporter.couldNotRun("cannot read env file .env: no such file")
        try expectGolden(text, "healthcheck.txt")
        let long = String(repeating: "x", count: 10_000)
        var huge = sampleReport
        huge.probes[1].message = long
        #expect(HealthcheckReporter.verdict(huge.probes).utf8.count <= HealthcheckReporter.maxLineBytes)
    }

    static let listReport = ListReport(rows: [
        .init(id: "postgres", kind: "postgres", critical: true, configured: true, keys: ["DATABASE_URL"], summary: "PostgreSQL login and SELECT 1"),
        .init(id: "cache", kind: "redis", critical: false, configured: false, keys: ["REDIS_URL", "REDIS_PASSWORD"], summary: "Redis PING"),
        .init(id: "scan", kind: "next_public", critical: false, configured: true, keys: [], summary: "NEXT_PUBLIC_* baked into the build"),
    ])

    @Test func listHuman() throws {
        let text = Self.listReport.render("human")
        try expectGolden(text, "list.txt")
        #expect(text.hasPrefix("ID        KIND         CRITICAL  CONFIGURED  KEYS\n"))
    }

    @Test(.requires(.jsonSchemaValidator)) func listJSON() async throws {
        let text = Self.listReport.render("json")
        try expectGolden(text, "list.json")
        try await SchemaValidator.validateJSON(text, schema: "list.schema.json")
        // The schema tells the two shapes apart: a probe list with a codes field is invalid.
        let mixed = text.replacingOccurrences(of: "\"probes\":", with: "\"kinds\": [],\n  \"probes\":")
        await #expect(throws: (any Error).self) { try await SchemaValidator.validateJSON(mixed, schema: "list.schema.json") }
    }

    @Test(.requires(.jsonSchemaValidator)) func listCodesJSONValidates() async throws {
        let registry = ProbeRegistry([
            ProbeCodeTests.blink, ProbeCodeTests.kind("vault", secret: .whole, codes: [ProbeCode(.init("sealed"), .fail, meaning: "sealed")]),
        ])
        try await SchemaValidator.validateJSON(CodesReport.json(registry), schema: "list.schema.json")
    }
}
