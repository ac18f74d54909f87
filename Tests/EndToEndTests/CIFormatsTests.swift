import Foundation
import TestSupport
import Testing

/// The reports CI systems show natively, on the built binary: markdown, TAP 14, Prometheus
/// text, `--json -`/`--junit -`, `--fail-on warn`, JUnit properties, and GitHub Actions'
/// annotations and job summary.
@Suite("CI formats", .requires(.junitSchemaValidator, .jsonSchemaValidator))
struct CIFormatsTests {
    /// policy warns (an unknown environment name), postgres fails (nothing listens), s3
    /// fails (critical, so required, and not configured), the rest skip.
    static func mixed() throws -> [String: String] {
        ["ENVIRONMENT": "sandbox", "DATABASE_URL": "postgres://app:pw-e2e-1@127.0.0.1:\(try refusedPort())/app"]
    }
    static let warnOnly = ["ENVIRONMENT": "sandbox"]

    func check(_ arguments: [String], _ environment: [String: String]) async throws -> ProgramOutput {
        try await EnvCheckBinary.run(["check", "--no-env-file"] + arguments, environment: environment)
    }

    @Test func markdownIsATableWithEveryProbe() async throws {
        let r = try await check(["--format", "markdown"], try Self.mixed())
        #expect(r.status == 1)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("### envcheck check: FAIL - 2 failed · 0 passed · 1 warning"), "\(lines[0])")
        #expect(lines.contains("| | probe | status | time | result |"))
        #expect(lines.contains { $0.hasPrefix("| ❌ | `postgres` (critical) | fail `connection_refused` |") && $0.contains("<br>**hint:**") })
        #expect(lines.contains { $0.hasPrefix("| ⚠️ | `policy` | warn `environment_known` |") })
        #expect(!r.stdout.contains("pw-e2e-1"))
    }

    @Test func tapIsVersion14WithAPlanAndDiagnostics() async throws {
        let r = try await check(["--format", "tap"], try Self.mixed())
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines[0] == "TAP version 14")
        let plan = try #require(lines[1].firstMatch(of: /^1\.\.(\d+)$/))
        let points = lines.filter { $0.hasPrefix("ok ") || $0.hasPrefix("not ok ") }
        #expect(points.count == Int(plan.output.1))
        #expect(points.enumerated().allSatisfy { i, line in line.contains(" \(i + 1) - ") })
        #expect(points.contains { $0.hasPrefix("not ok ") && $0.contains(" - postgres: ") })
        #expect(points.contains { $0.hasPrefix("ok ") && $0.contains("# SKIP") })
        #expect(points.contains { $0.hasPrefix("ok ") && $0.contains(" - policy: ") })
        // Each YAML block opens with "  ---" and closes with "  ..." right after its point.
        #expect(lines.count { $0 == "  ---" } == lines.count { $0 == "  ..." })
        #expect(lines.contains("  code: \"connection_refused\""))
        let strict = try await check(["--format", "tap", "--fail-on", "warn", "--only", "policy"], Self.warnOnly)
        #expect(strict.status == 1 && strict.stdout.contains("not ok 1 - policy: "))
    }

    @Test(.requires(.promtool)) func prometheusTextPassesPromtool() async throws {
        let r = try await check(["--format", "prometheus"], try Self.mixed())
        #expect(r.stdout.contains("envcheck_probe_up{probe=\"postgres\",kind=\"postgres\",critical=\"true\"} 0"))
        #expect(r.stdout.contains("envcheck_probe_up{probe=\"policy\",kind=\"policy\",critical=\"false\"} 1"))
        #expect(!r.stdout.contains("envcheck_probe_up{probe=\"redis\""), "a skipped probe has no up series")
        #expect(r.stdout.contains("envcheck_probe_status{probe=\"redis\",kind=\"redis\",critical=\"false\",status=\"skip\"} 1"))
        #expect(r.stdout.contains("envcheck_build_info{version=\""))
        let dir = try TempDir(prefix: "envcheck-prom")
        let file = try dir.write("metrics.prom", r.stdout)
        let lint = try await runProgram("/bin/sh", ["-c", "/usr/bin/promtool check metrics < \(file)"])
        #expect(lint.status == 0, "promtool: \(lint.stdout) \(lint.stderr)")
    }

    @Test func jsonAndJUnitDashMeanStdout() async throws {
        let json = try await check(["--json", "-"], try Self.mixed())
        #expect(json.status == 1 && json.stdout.hasPrefix("{"))
        try await SchemaValidator.validateJSON(json.stdout)
        let junit = try await check(["--junit", "-", "--quiet"], try Self.mixed())
        #expect(junit.stdout.hasPrefix("<?xml"))
        try await SchemaValidator.validateJUnit(junit.stdout)
        for bad in [["--json", "-", "--junit", "-"], ["--json", "-", "--format", "tap"], ["--junit", "-", "--format", "json"], ["--fail-on", "error"]] {
            let r = try await check(bad, Self.warnOnly)
            #expect(r.status == 2, "\(bad): \(r.stderr)")
        }
        #expect(try await EnvCheckBinary.run(["keys", "--format", "prometheus"]).status == 2)
    }

    @Test func failOnWarnFailsEveryFormat() async throws {
        let plain = try await check(["--only", "policy"], Self.warnOnly)
        #expect(plain.status == 0 && plain.stdout.contains("PASS"))
        let dir = try TempDir(prefix: "envcheck-failon")
        let strict = try await check(
            ["--only", "policy", "--fail-on", "warn", "--json", dir.path + "/r.json", "--junit", dir.path + "/r.xml"], Self.warnOnly)
        #expect(strict.status == 1 && strict.stdout.contains("envcheck check: FAIL"))
        let report = try String(contentsOfFile: dir.path + "/r.json", encoding: .utf8)
        #expect(report.contains("\"status\": \"fail\""))
        // JUnit keeps the warning a passing case, with its message as a property.
        let xml = try String(contentsOfFile: dir.path + "/r.xml", encoding: .utf8)
        try await SchemaValidator.validateJUnit(xml)
        #expect(xml.contains("failures=\"0\"") && xml.contains("<property name=\"warning\" value=\""))
        #expect(xml.contains("<property name=\"code\" value=\"environment_known\"/>") && xml.contains("<property name=\"attempts\" value=\"1\"/>"))
        // healthcheck honours it too: policy made critical by a manifest.
        let manifest = try dir.write("critical-policy.yaml", "version: 1\nprobes:\n  - kind: policy\n    critical: true\n")
        let healthy = try await EnvCheckBinary.run(["healthcheck", "--no-env-file", "--probes", manifest], environment: Self.warnOnly)
        #expect(healthy.status == 0 && healthy.stdout.hasPrefix("healthy: policy"), "\(healthy.stdout)")
        let unhealthy = try await EnvCheckBinary.run(
            ["healthcheck", "--no-env-file", "--probes", manifest, "--fail-on", "warn"], environment: Self.warnOnly)
        #expect(unhealthy.status == 1 && unhealthy.stdout.hasPrefix("unhealthy: policy environment_known"), "\(unhealthy.stdout)")
    }

    @Test func gitHubActionsGetsAnnotationsAndAJobSummary() async throws {
        let dir = try TempDir(prefix: "envcheck-gha")
        let summary = dir.path + "/summary.md"
        try "previous step\n".write(toFile: summary, atomically: true, encoding: .utf8)
        var environment = try Self.mixed()
        environment["GITHUB_ACTIONS"] = "true"
        environment["GITHUB_STEP_SUMMARY"] = summary
        let r = try await check([], environment)
        let annotations = r.stdout.split(separator: "\n").filter { $0.hasPrefix("::") }
        #expect(annotations.contains { $0.hasPrefix("::error title=envcheck postgres::") && $0.contains("[connection_refused]%0Ahint: ") })
        #expect(annotations.contains { $0.hasPrefix("::warning title=envcheck policy::") })
        #expect(!r.stdout.contains("pw-e2e-1"))
        let written = try String(contentsOfFile: summary, encoding: .utf8)
        #expect(written.hasPrefix("previous step\n### envcheck check: FAIL"), "appended, not replaced: \(written.prefix(80))")
        #expect(written.contains("| ❌ | `postgres` (critical) |"))
        // With a machine format on stdout, the annotations go to stderr.
        let json = try await check(["--format", "json"], environment)
        #expect(json.stdout.hasPrefix("{") && json.stderr.contains("::error title=envcheck postgres::"))
        // Outside GitHub Actions, nothing of it.
        environment["GITHUB_ACTIONS"] = nil
        #expect(!(try await check([], environment)).stdout.contains("::error"))
    }
}
