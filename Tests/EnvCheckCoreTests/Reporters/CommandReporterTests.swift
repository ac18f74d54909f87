import Foundation
import TestSupport
import Testing

@testable import EnvCheckCore

/// `config`, `list` and `healthcheck` output are reporters like the run reports: pure
/// functions pinned by golden files (`UPDATE_GOLDEN=1` rewrites them), their JSON by a schema.
@Suite("config, list and healthcheck reporters")
struct CommandReporterTests {
    static func fingerprinter(_ key: String?) -> Fingerprinter { StandInHMAC.fingerprinter(key) }

    static func configReport(key: String?) -> ConfigReport {
        let config = ResolvedConfig(
            [
                "DATABASE_URL": "postgresql://postgres:postgres@db:5432/postgres",
                "S3_SECRET_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCY", "S3_ACCESS_KEY": "short", "REDIS_URL": "",
            ],
            source: .file(path: "/srv/postgres/.env", line: 3))
        let keys: [(key: String, probes: [String])] = [
            ("DATABASE_URL", ["postgres"]), ("S3_ACCESS_KEY", ["s3"]), ("S3_SECRET_KEY", ["s3"]),
            ("REDIS_URL", ["redis"]), ("OPENROUTER_API_KEY", ["openrouter"]),
        ]
        return ConfigReport(
            config: config, keys: keys, requiredKeys: ["DATABASE_URL"],
            secrecy: ["DATABASE_URL": .credentials, "S3_ACCESS_KEY": .whole, "S3_SECRET_KEY": .whole],
            fingerprinter: fingerprinter(key))
    }

    static let redactor = Redactor(secrets: ["postgres", "wJalrXUtnFEMI/K7MDENG/bPxRfiCY", "short"])

    func expectGolden(_ text: String, _ name: String) throws {
        let path = ReporterTests.golden + name
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" { try text.write(toFile: path, atomically: true, encoding: .utf8) }
        #expect(text == (try String(contentsOfFile: path, encoding: .utf8)), "\(name) differs from its golden file")
    }

    @Test func configHuman() throws {
        let text = Self.configReport(key: nil).human(redactor: Self.redactor, color: false)
        try expectGolden(text, "config.txt")
        #expect(text.contains("postgresql://postgres:[redacted]@db:5432/postgres"))
        #expect(text.contains("/srv/postgres/.env:3"))
        #expect(!text.contains("wJalrXUtnFEMI"))
    }

    @Test(.requires(.jsonSchemaValidator)) func configJSONWithFingerprints() async throws {
        let text = Self.configReport(key: String(repeating: "k", count: 32)).json(redactor: Self.redactor)
        try expectGolden(text, "config.json")
        try await SchemaValidator.validateJSON(text, schema: "config.schema.json")
        #expect(text.contains("\"fingerprint\": \"hmac:"))
        #expect(text.contains("short_secret"))
    }

    @Test(.requires(.jsonSchemaValidator)) func configJSONWithoutAKeyValidates() async throws {
        let text = Self.configReport(key: nil).json(redactor: Self.redactor)
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
