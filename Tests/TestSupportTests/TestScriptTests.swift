import Foundation
import Testing

@testable import TestSupport

/// What scripts/test.sh promises CI: it runs everything, and a skip is a failure.
@Suite struct TestScriptTests {
    /// Every test run of scripts/test.sh has ENVCHECK_REQUIRE_ALL set (a missing requirement
    /// fails) and goes through the one `swift test` line that writes the report its skip
    /// check reads.
    @Test func everyRunRequiresEverythingAndChecksForSkips() throws {
        let lines = try String(contentsOfFile: repositoryRoot + "/scripts/test.sh", encoding: .utf8)
            .split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let export = try #require(lines.firstIndex(of: "export \(requireAllVariable)=1"), "scripts/test.sh does not export \(requireAllVariable)=1")
        let runs = lines.indices.filter { lines[$0].hasPrefix("swift test ") || lines[$0].contains(" swift test ") }
        try #require(runs.count == 1, "\(runs.map { lines[$0] })")
        #expect(runs[0] > export, "swift test runs before \(requireAllVariable) is exported")
        #expect(lines[runs[0]].contains("--no-parallel") && lines[runs[0]].contains("--xunit-output"), "\(lines[runs[0]])")
        #expect(lines.filter { $0.hasPrefix("run_tests ") }.count >= 3, "the unit run and the two full runs go through run_tests")
    }
}
