import EnvCheckCore
import EnvCheckProbes
import Foundation
import ProbeFixtures
import TestSupport
import Testing

/// Every registered probe kind runs with unique canary secrets, sent by every route a
/// value can take (the environment, an env file, a manifest literal, a `${VAR:-fallback}`,
/// interpolation in an env file, and each kind's odd forms), to hostile stand-ins that
/// echo the credentials raw, base64 (every alignment), hex and percent-encoded. No form of
/// any canary may appear in stdout, stderr, the JSON or JUnit files, `config`, `list` or
/// `healthcheck`. The kinds come from the registry (``GenericChecks``): a kind without a
/// fixture in Tests/ProbeFixtures fails, and a new kind is covered once registered.
@Suite("canary leaks, every route")
struct CanaryLeakTests {
    static let binary = GenericChecks.binary(BuiltInProbes.registry)

    @Test(arguments: GenericChecks.Route.allCases)
    func noFormOfAnyCanaryLeaksFromTheBinary(_ route: GenericChecks.Route) async throws {
        let findings = try await Self.binary.leakFindings(route)
        #expect(findings.isEmpty, "\(findings.joined(separator: "\n"))")
    }

    /// Values only some kinds take: a scheme-less endpoint, a userinfo with several `@`.
    /// Every kind's every odd route runs (run N takes each kind's route N, where it has one).
    @Test func oddFormsNeverLeak() async throws {
        let runs = try Self.binary.oddRouteCount()
        #expect(runs >= 1, "no kind declares an odd route")
        for odd in 0..<runs {
            for route in [GenericChecks.Route.environment, .manifestReference] {
                let findings = try await Self.binary.leakFindings(route, odd: odd)
                #expect(findings.isEmpty, "\(route) odd \(odd): \(findings.joined(separator: "\n"))")
            }
        }
    }

    /// The same check in-process over the registry (what a new kind's tests run first).
    @Test func inProcessOverTheRegistry() async throws {
        let findings = try await GenericChecks.inProcess(BuiltInProbes.registry).leakFindings(.manifestFallback)
        #expect(findings.isEmpty, "\(findings.joined(separator: "\n"))")
    }
}

/// Every network kind, pointed at a listener that accepts and never answers, ends
/// `fail`/`timeout` by its deadline (the listener must have accepted).
@Suite("hung servers, every kind", .requires(.serialRun))
struct HungServerTimingTests {
    @Test func everyKindTimesOutAgainstAHungListener() async throws {
        let (findings, checked) = try await GenericChecks.binary(BuiltInProbes.registry).hungFindings()
        #expect(findings.isEmpty, "\(findings.joined(separator: "\n"))")
        Self.expectEveryNetworkKind(checked)
    }

    @Test func everyNetworkKindKeepsToItsPerTargetLimit() async throws {
        let (findings, checked) = try await GenericChecks.binary(BuiltInProbes.registry).targetFindings()
        #expect(findings.isEmpty, "\(findings.joined(separator: "\n"))")
        Self.expectEveryNetworkKind(checked)
    }

    /// `checked` kinds were pointed at a hung listener: every kind but those of local
    /// state alone (whose fixture has no hung server), and at least the four network ones.
    static func expectEveryNetworkKind(_ checked: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        let offline = ProbeFixtures.all.values.filter { (try? $0.hung(port: 1, dir: TempDir())) ?? nil == nil }.count
        #expect(checked + offline == BuiltInProbes.registry.kinds.count && checked >= 4, sourceLocation: sourceLocation)
    }
}

/// The premise of the leak test: the stand-ins really echo what they receive, in every form.
@Suite("hostile stand-ins echo credentials")
struct HostileServerTests {
    func expectAllForms(_ reply: String, _ canary: String) {
        for offset in ["", "a", "ab"] {
            let b64 = Data((offset + canary).utf8).base64EncodedString()
            #expect(reply.contains(b64), "base64 at offset \(offset.count) missing in \(reply)")
        }
        #expect(reply.contains(canary) && reply.contains(CanaryForms.hex(canary)) && reply.contains(CanaryForms.percent(canary)))
    }

    @Test func redisQuotesAuth() throws {
        let server = try HostileRedis()
        let canary = Canary.make("echo")
        let reply = try RawSocket.exchange(port: server.port, "*2\r\n$4\r\nAUTH\r\n$\(canary.utf8.count)\r\n\(canary)\r\n")
        expectAllForms(reply, canary)
        #expect(server.received.contains(canary))
    }

    @Test func postgresQuotesTheCleartextPassword() throws {
        let server = try HostilePostgres()
        let canary = Canary.make("echo")
        var startup: [UInt8] = [0, 3, 0, 0] + Array("user\0app\0\0".utf8)
        startup = withUnsafeBytes(of: UInt32(startup.count + 4).bigEndian, Array.init) + startup
        let password = Array(canary.utf8) + [0]
        let message = [UInt8(ascii: "p")] + withUnsafeBytes(of: UInt32(password.count + 4).bigEndian, Array.init) + password
        let reply = try RawSocket.exchange(port: server.port, bytes: startup + message)
        expectAllForms(reply, canary)
        #expect(server.received == [canary])
    }

    @Test func httpQuotesTheAuthorizationHeader() throws {
        let server = try HostileHTTP.server()
        let canary = Canary.make("echo")
        let reply = try RawSocket.exchange(port: server.port, "GET /api/v1/key HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(canary)\r\n\r\n")
        expectAllForms(reply.replacingOccurrences(of: "\\", with: ""), canary)
    }
}
