import EnvCheckCore
import EnvCheckProbes
import Foundation
import ProbeFixtures
import TestSupport
import Testing

/// The generic checks catch what they exist for: a throwaway kind registered in a
/// test-only registry is picked up without editing them, and one that leaks its canary
/// or ignores its server is reported.
@Suite("generic checks catch bad kinds")
struct GenericChecksMetaTests {
    /// Puts its secret input into a trusted label: exactly the mistake typed messages exist to stop.
    static let careless = ProbeKind(
        kind: "careless", summary: "shows its token", critical: false,
        inputs: [
            ProbeInput("token", keys: ["CARELESS_TOKEN"], secret: .whole),
            ProbeInput("port", keys: ["CARELESS_PORT"]),
        ]
    ) { settings in
        guard let token = settings.value(ProbeInput("token", keys: ["CARELESS_TOKEN"])) else { return .notConfigured("CARELESS_TOKEN is not set") }
        return .ready(StubProbe(outcome: .pass("accepted \(label: token.value)"), connectTo: nil))
    }

    /// Builds its message from typed parts and connects where it is told.
    static let careful = ProbeKind(
        kind: "careful", summary: "hides its token", critical: false,
        inputs: [
            ProbeInput("token", keys: ["CAREFUL_TOKEN"], secret: .whole),
            ProbeInput("port", keys: ["CAREFUL_PORT"]),
        ]
    ) { settings in
        guard let token = settings.value(ProbeInput("token", keys: ["CAREFUL_TOKEN"])) else { return .notConfigured("CAREFUL_TOKEN is not set") }
        let port = settings.value(ProbeInput("port", keys: ["CAREFUL_PORT"])).flatMap { Int($0.value) }
        return .ready(StubProbe(outcome: .pass("accepted \(token.value)"), connectTo: port))
    }

    /// Fails with a code it never declared (its declaration says `lamp_broken`).
    static func vague(declaring codes: [ProbeCode]) -> ProbeKind {
        ProbeKind(
            kind: "vague", summary: "fails vaguely", critical: false, inputs: [ProbeInput("token", keys: ["VAGUE_TOKEN"], secret: .whole)],
            codes: codes
        ) { settings in
            guard settings.value(ProbeInput("token", keys: ["VAGUE_TOKEN"])) != nil else { return .notConfigured("VAGUE_TOKEN is not set") }
            return .ready(StubProbe(outcome: ProbeOutcome(status: .fail, message: "the lamp is off", code: ErrorCode("lamp_off")), connectTo: nil))
        }
    }

    enum VagueFixture: ProbeFixture {
        static let kind = "vague"
        static func leaking(_ servers: LeakServers) throws -> CanaryInputs {
            let c = Canary.make("vague")
            return CanaryInputs(inputs: ["token": c], canaries: [c])
        }
        static func hung(port: Int, dir: TempDir) throws -> [String: String]? { nil }
    }

    enum CarelessFixture: ProbeFixture {
        static let kind = "careless"
        static func leaking(_ servers: LeakServers) throws -> CanaryInputs {
            let c = Canary.make("careless")
            return CanaryInputs(inputs: ["token": c], canaries: [c])
        }
        static func hung(port: Int, dir: TempDir) throws -> [String: String]? { ["token": "t0ken-value", "port": String(port)] }
    }

    enum CarefulFixture: ProbeFixture {
        static let kind = "careful"
        static func leaking(_ servers: LeakServers) throws -> CanaryInputs {
            let c = Canary.make("careful")
            return CanaryInputs(inputs: ["token": c], canaries: [c])
        }
        static func hung(port: Int, dir: TempDir) throws -> [String: String]? { ["token": "t0ken-value", "port": String(port)] }
    }

    @Test func aCarefulKindPassesAndACarelessOneIsCaught() async throws {
        let careful = try await GenericChecks.inProcess(ProbeRegistry([Self.careful]), fixtures: ["careful": CarefulFixture.self]).leakFindings(.environment)
        #expect(careful.isEmpty, "\(careful)")
        let careless = try await GenericChecks.inProcess(ProbeRegistry([Self.careless]), fixtures: ["careless": CarelessFixture.self]).leakFindings(
            .environment)
        #expect(careless.contains { $0.contains("leaked") }, "\(careless)")
    }

    @Test func aResultWithACodeItsKindDoesNotDeclareIsCaught() async throws {
        let undeclared = try await GenericChecks.inProcess(
            ProbeRegistry([Self.vague(declaring: [ProbeCode(ErrorCode("lamp_broken"), .fail, meaning: "broken")])]),
            fixtures: ["vague": VagueFixture.self]
        ).leakFindings(.environment)
        #expect(undeclared.contains("environment: kind vague does not declare code lamp_off (a fail result)"), "\(undeclared)")
        let declared = try await GenericChecks.inProcess(
            ProbeRegistry([Self.vague(declaring: [ProbeCode(ErrorCode("lamp_off"), .fail, meaning: "off")])]),
            fixtures: ["vague": VagueFixture.self]
        ).leakFindings(.environment)
        #expect(declared.isEmpty, "\(declared)")
    }

    @Test func aKindWithoutAFixtureIsReported() async throws {
        let findings = try await GenericChecks.inProcess(ProbeRegistry([Self.careful]), fixtures: [:]).leakFindings(.environment)
        #expect(findings.contains("probe kind careful has no fixture in Tests/ProbeFixtures"), "\(findings)")
    }

    @Test func theDeadlineCheckSeesAKindThatNeverConnects() async throws {
        let registry = ProbeRegistry([Self.careful, Self.careless])
        let (findings, checked) = try await GenericChecks.inProcess(registry, fixtures: ["careful": CarefulFixture.self, "careless": CarelessFixture.self])
            .hungFindings()
        #expect(checked == 2)
        #expect(!findings.contains { $0.hasPrefix("careful:") }, "\(findings)")
        #expect(findings.contains("careless: the hung listener never accepted a connection"), "\(findings)")
    }
}
