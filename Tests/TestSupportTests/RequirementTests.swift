import Foundation
import Testing

@testable import TestSupport

/// `.requires(...)`: met, the test runs; missing, it is skipped with a reason naming what is
/// missing and scripts/test.sh; missing under ENVCHECK_REQUIRE_ALL (scripts/test.sh), the
/// test fails, so the full run cannot pass with a suite left out.
@Suite struct RequirementTests {
    static let met = TestRequirement("something present") { _ in true }
    static let missing = TestRequirement("something absent") { _ in false }

    func trait(_ requirements: [TestRequirement], _ environment: [String: String]) -> ConditionTrait {
        TestRequirement.condition(requirements, environment: { environment }, sourceLocation: #_sourceLocation)
    }

    @Test func metRequirementsRun() async throws {
        #expect(try await trait([Self.met], [:]).evaluate())
        #expect(try await trait([Self.met], [requireAllVariable: "1"]).evaluate())
    }

    @Test func aMissingRequirementSkipsWithAReasonNamingItAndTheScript() async throws {
        let condition = trait([Self.met, Self.missing], [:])
        #expect(try await condition.evaluate() == false)
        let reason = try #require(condition.comments.first?.rawValue)
        #expect(reason == "needs something present and something absent: run scripts/test.sh, which provides them")
        #expect(trait([Self.missing], [:]).comments.first?.rawValue == "needs something absent: run scripts/test.sh, which provides it")
        #expect(!reason.contains("\n"))
    }

    @Test func underScriptsTestShAMissingRequirementFailsInsteadOfSkipping() async throws {
        let condition = trait([Self.met, Self.missing], [requireAllVariable: "1"])
        let error = await #expect(throws: MissingRequirementError.self) { try await condition.evaluate() }
        #expect(error?.missing.map(\.description) == ["something absent"])
        #expect(error?.description.contains("something absent") == true)
        // "0" or empty is off, as unset.
        #expect(try await trait([Self.missing], [requireAllVariable: "0"]).evaluate() == false)
        #expect(try await trait([Self.missing], [requireAllVariable: ""]).evaluate() == false)
    }

    @Test func serverRequirementsReadTheVariablesTheServiceScriptsExport() {
        let pg = ["HOST", "PORT", "USER", "PASSWORD", "DB", "SOCKET_DIR", "CA_FILE", "WRONG_CA_FILE"]
        var environment = Dictionary(uniqueKeysWithValues: pg.map { ("ENVCHECK_TEST_PG_" + $0, "x") })
        #expect(TestRequirement.postgres.isMet(environment))
        environment["ENVCHECK_TEST_PG_PASSWORD"] = ""
        #expect(!TestRequirement.postgres.isMet(environment))
        #expect(!TestRequirement.s3.isMet(environment))
        #expect(!TestRequirement.venv.isMet(["ENVCHECK_VENV": "/nonexistent"]))
        #expect(!TestRequirement.releaseBinary.isMet([:]))
        #expect(!TestRequirement.program("/nonexistent/redis-server", package: "redis-server").isMet([:]))
        #expect(TestRequirement.program("/bin/sh", package: "dash").isMet([:]))
    }

    @Test func aSerialRunIsOneSwiftTestWasAskedToRunWithoutParallelism() {
        #expect(TestRequirement.isSerial(["envcheckPackageTests.xctest", "--no-parallel", "--testing-library", "swift-testing"]))
        #expect(!TestRequirement.isSerial(["envcheckPackageTests.xctest", "--filter", "no-parallel", "--testing-library", "swift-testing"]))
        #expect(!TestRequirement.isSerial(["envcheckPackageTests.xctest"]))
    }
}
