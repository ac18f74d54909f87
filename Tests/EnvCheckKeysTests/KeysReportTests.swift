import EnvCheckCore
import Foundation
import TestSupport
import Testing

@testable import EnvCheckKeys

@Suite struct KeysReportTests {
    static let findings = [
        KeyFinding(
            .fail, .templateKeyUnknown, "STRIPE_KEY is rendered <but> & \"unread\"\u{01}", key: "STRIPE_KEY", file: "secrets.ctmpl", line: 3, layer: .template),
        KeyFinding(.warn, .exampleKeyUnknown, "LEGACY is unknown", key: "LEGACY", file: ".env.example", line: 8, layer: .example),
        KeyFinding(.fail, .duplicateKey, "A twice", key: "A", file: ".env.example", line: 9, layer: .example),
        KeyFinding(.fail, .duplicateKey, "B twice", key: "B", file: "secrets.ctmpl", line: 6, layer: .template),
    ]
    static let report = KeysReport(
        startedAtEpochMs: 1_764_401_133_123, durationMs: 4, findings: findings,
        files: ["secrets.ctmpl", "config.py", ".env.example"])

    /// The human and JSON output pinned by golden files (`UPDATE_GOLDEN=1` rewrites them);
    /// the JSON follows schemas/report.schema.json (mode "keys").
    @Test func humanAndJSONMatchTheirGoldenFiles() throws {
        let golden = repositoryRoot + "/Tests/EnvCheckKeysTests/Fixtures/Golden/"
        for (name, text) in [("keys.txt", Self.report.human(ReportOptions())), ("keys.json", Self.report.json())] {
            if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" { try text.write(toFile: golden + name, atomically: true, encoding: .utf8) }
            #expect(text == (try String(contentsOfFile: golden + name, encoding: .utf8)), "\(name) differs from its golden file")
        }
    }

    @Test(.requires(.jsonSchemaValidator)) func jsonHasExactlyTheAgreedFields() async throws {
        let json = try JSONParser.parse(Self.report.json())
        let root = try #require(json.objectValue)
        #expect(root.keys == ["schema_version", "tool", "mode", "status", "started_at", "duration_ms", "summary", "findings"])
        #expect(root["schema_version"] == .int(1) && root["tool"] == "envcheck" && root["mode"] == "keys" && root["status"] == "fail")
        #expect(root["started_at"] == "2025-11-29T07:25:33.123Z")
        #expect(root["summary"] == .object(["failures": .int(3), "warnings": .int(1)]))
        let first = try #require(root["findings"]?.arrayValue?.first?.objectValue)
        #expect(first.keys == ["severity", "code", "message", "key", "file", "line", "layer"])
        #expect(first["severity"] == "fail" && first["code"] == "template_key_unknown" && first["line"] == .int(3) && first["layer"] == "template")
        let passing = KeysReport(startedAtEpochMs: 0, durationMs: 1, findings: [Self.findings[1]], files: [])
        #expect(try JSONParser.parse(passing.json()).objectValue?["status"] == "pass")
        #expect(passing.exitCode == 0 && Self.report.exitCode == 1)
        try await SchemaValidator.validateJSON(Self.report.json())
        try await SchemaValidator.validateJSON(passing.json())
    }

    @Test(.requires(.junitSchemaValidator)) func junitIsValidXMLWithOneCasePerCheck() async throws {
        let xml = Self.report.junit(hostname: "ci<1>")
        #expect(xml.contains("<testsuites name=\"envcheck\" tests=\"10\" failures=\"2\" errors=\"0\" skipped=\"0\" time=\"0.004\">"))
        #expect(
            xml.contains(
                "<testcase name=\"duplicate_key\" classname=\"envcheck.keys\" time=\"0.000\">\n      <failure message=\"2 findings: A twice ...\" type=\"duplicate_key\">.env.example:9: A twice\nsecrets.ctmpl:6: B twice</failure>"
            ))
        #expect(xml.contains("<system-out>warning: .env.example:8: LEGACY is unknown</system-out>"))
        #expect(xml.contains("<testcase name=\"field_not_in_example\" classname=\"envcheck.keys\" time=\"0.000\"/>"))
        #expect(xml.contains("&lt;but&gt; &amp; &quot;unread&quot;\\x01"))
        #expect(xml.contains("hostname=\"ci&lt;1&gt;\""))
        try await SchemaValidator.validateJUnit(xml)
        try await SchemaValidator.validateJUnit(KeysReport(startedAtEpochMs: 0, durationMs: 0, findings: [], files: []).junit(hostname: nil))
    }

    @Test func humanReportListsFindingsAndASummary() {
        let text = Self.report.human(ReportOptions())
        #expect(text.hasPrefix("FAIL  secrets.ctmpl:3  STRIPE_KEY is rendered"))
        #expect(text.contains("WARN  .env.example:8   LEGACY is unknown [example_key_unknown]"))
        #expect(text.hasSuffix("envcheck keys: FAIL - 3 failures · 1 warning across secrets.ctmpl, config.py, .env.example in 4ms\n"))
        let quiet = Self.report.human(ReportOptions(quiet: true))
        #expect(!quiet.contains("LEGACY"))
        #expect(Self.report.render("json", options: ReportOptions()) == Self.report.json())
    }
}
