import Foundation
import TestSupport
import Testing

@testable import EnvCheckCore

/// One result of every status, with text that stresses escaping.
let sampleReport = RunReport(
    mode: .check, startedAtEpochMs: 1_795_939_200_123, durationMs: 2_046,
    probes: [
        ProbeResult(
            id: "postgres", kind: "postgres", critical: true, status: .pass, durationMs: 12, attempts: 1,
            message: "connected to PostgreSQL 15.18 as app; SELECT 1 ok",
            details: ["server_version": "15.18", "standby": false, "connect_ms": 9]),
        ProbeResult(
            id: "s3", kind: "s3", critical: true, status: .fail, durationMs: 2_001, attempts: 3,
            message: "no answer within 2s (timeout)", code: .timeout,
            hint: "check that it is up & reachable; raise --timeout", details: ["endpoint": "http://127.0.0.1:9/<bucket>"]),
        ProbeResult(
            id: "redis", kind: "redis", critical: false, status: .warn, durationMs: 3, attempts: 1,
            message: "PONG, but TLS verification is off", code: .tlsVerifyDisabled, hint: "remove ssl_cert_reqs=none"),
        ProbeResult(
            id: "openrouter", kind: "openrouter", critical: false, status: .skip, durationMs: 0, attempts: 0,
            message: "OPENROUTER_API_KEY is not set"),
        ProbeResult(
            id: "next_public", kind: "next_public", critical: false, status: .error, durationMs: 1, attempts: 1,
            message: "bad \"value\" with\u{01}control\u{1B}[31m chars\tand\nnewline <tag>", code: .invalidConfig,
            hint: nil),
    ],
    warnings: ["DATABASE_URL (.env:3): contains '<no value>'"]
)

@Suite("reporters")
struct ReporterTests {
    static let golden = repositoryRoot + "/Tests/EnvCheckCoreTests/Reporters/Golden/"

    /// Compares with the golden file; `UPDATE_GOLDEN=1` rewrites it.
    func expectGolden(_ text: String, _ name: String) throws {
        let path = Self.golden + name
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text == expected, "\(name) differs from its golden file")
    }

    @Test func markdownTapAndPrometheus() throws {
        try expectGolden(MarkdownReporter.report(sampleReport, options: ReportOptions()), "report.md")
        try expectGolden(TAPReporter.report(sampleReport, options: ReportOptions()), "report.tap")
        try expectGolden(PrometheusReporter.report(sampleReport, options: ReportOptions()), "report.prom")
        var warned = RunReport(mode: .check, startedAtEpochMs: 0, durationMs: 1, probes: sampleReport.probes.filter { $0.status == .warn })
        #expect(warned.probes.count == 1 && warned.passed && warned.exitCode == 0)
        warned.failOnWarn = true
        #expect(!warned.passed && warned.exitCode == 1 && TAPReporter.report(warned, options: ReportOptions()).contains("not ok 1 - redis"))
        #expect(MarkdownReporter.cell("a|b <i>*x*</i>\nline") == "a\\|b &lt;i&gt;\\*x\\*&lt;/i&gt; line")
        #expect(TAPReporter.description("a # b \\ c") == "a \\# b \\\\ c")
        #expect(GitHubAnnotations.data("50%\r\nx") == "50%25%0D%0Ax" && GitHubAnnotations.property("a:b,c") == "a%3Ab%2Cc")
        #expect(PrometheusReporter.escape("a\"b\\c\nd") == "a\\\"b\\\\c\\nd")
    }

    @Test func human() async throws {
        try expectGolden(HumanReporter.report(sampleReport, options: ReportOptions()), "human.txt")
    }

    @Test func humanQuietShowsOnlyWhatDidNotPass() async throws {
        let text = HumanReporter.report(sampleReport, options: ReportOptions(quiet: true))
        #expect(!text.contains("postgres"))
        #expect(text.contains("s3"))
        #expect(!text.contains("warning:"))
        #expect(text.hasSuffix("of 5 probes in 2046ms\n"))
    }

    @Test func humanColourOnlyWhenAsked() {
        #expect(!HumanReporter.report(sampleReport, options: ReportOptions()).contains("\u{1B}[3"))
        let coloured = HumanReporter.report(sampleReport, options: ReportOptions(color: true))
        #expect(coloured.contains("\u{1B}[32mPASS "))
        #expect(coloured.contains("\u{1B}[31mFAIL "))
    }

    @Test func humanVerboseShowsDetails() {
        let text = HumanReporter.report(sampleReport, options: ReportOptions(verbose: true))
        #expect(text.contains("server_version: 15.18"))
        #expect(text.contains("connect_ms: 9"))
    }

    @Test(.requires(.jsonSchemaValidator)) func json() async throws {
        let text = JSONReporter.report(sampleReport, options: ReportOptions())
        try expectGolden(text, "report.json")
        try await SchemaValidator.validateJSON(text)
        let parsed = try JSONParser.parse(text)
        #expect(parsed.objectValue?["status"] == "fail")
        #expect(parsed.objectValue?["probes"]?.arrayValue?.count == 5)
    }

    @Test(.requires(.jsonSchemaValidator)) func jsonOfAPassingRunValidates() async throws {
        var report = sampleReport
        report.probes = [sampleReport.probes[0], sampleReport.probes[3]]
        let text = JSONReporter.report(report, options: ReportOptions())
        try await SchemaValidator.validateJSON(text)
        #expect(try JSONParser.parse(text).objectValue?["status"] == "pass")
    }

    @Test(.requires(.junitSchemaValidator)) func junit() async throws {
        let text = JUnitReporter.report(sampleReport, options: ReportOptions(hostname: "ci-runner"))
        try expectGolden(text, "report.xml")
        try await SchemaValidator.validateJUnit(text)
        #expect(!text.contains("\u{01}"))
        #expect(!text.contains("\u{1B}"))
        #expect(text.contains(#"<failure message="no answer within 2s (timeout)" type="timeout">"#))
        #expect(text.contains("<error "))
        #expect(text.contains("<skipped message=\"OPENROUTER_API_KEY is not set\"/>"))
    }

    @Test(.requires(.junitSchemaValidator)) func junitOfAnEmptyRunValidates() async throws {
        let empty = RunReport(mode: .healthcheck, startedAtEpochMs: 0, durationMs: 0, probes: [])
        try await SchemaValidator.validateJUnit(JUnitReporter.report(empty, options: ReportOptions()))
    }

    @Test(.requires(.jsonSchemaValidator, .junitSchemaValidator)) func theValidatorsRejectWhatDoesNotMatch() async {
        await #expect(throws: (any Error).self) { try await SchemaValidator.validateJSON(#"{"schema_version": 2}"#) }
        let json = JSONReporter.report(sampleReport, options: ReportOptions())
        await #expect(throws: (any Error).self) {
            try await SchemaValidator.validateJSON(json.replacingOccurrences(of: #""status": "warn""#, with: #""status": "warning""#))
        }
        await #expect(throws: (any Error).self) {
            try await SchemaValidator.validateJSON(json.replacingOccurrences(of: #""code": "timeout""#, with: #""code": null"#))
        }
        await #expect(throws: (any Error).self) { try await SchemaValidator.validateJUnit("<testsuites><bogus/></testsuites>") }
        let wrongCounts = JUnitReporter.report(sampleReport, options: ReportOptions()).replacingOccurrences(of: "failures=\"1\"", with: "failures=\"2\"")
        await #expect(throws: (any Error).self) { try await SchemaValidator.validateJUnit(wrongCounts) }
    }

    @Test func everyFormatIsRegisteredOnce() {
        #expect(Reporters.identifiers == ["human", "json", "junit", "markdown", "tap", "prometheus"])
        #expect(Reporters.named("junit") == JUnitReporter.self)
    }
}
