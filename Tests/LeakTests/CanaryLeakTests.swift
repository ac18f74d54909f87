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
    @Test func oddFormsNeverLeak() async throws {
        let findings = try await Self.binary.leakFindings(.environment, odd: true)
        #expect(findings.isEmpty, "\(findings.joined(separator: "\n"))")
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
        let offline = ProbeFixtures.all.values.filter { (try? $0.hung(port: 1, dir: TempDir())) ?? nil == nil }.count
        #expect(checked + offline == BuiltInProbes.registry.kinds.count && checked >= 4)
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

/// A blocking client that writes everything and reads until the server closes.
enum RawSocket {
    static func exchange(port: Int, _ text: String) throws -> String { try exchange(port: port, bytes: Array(text.utf8)) }

    static func exchange(port: Int, bytes: [UInt8]) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestServerError("socket failed") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw TestServerError("connect failed") }
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, 4096) }
            if n <= 0 { break }
            out += buffer[0..<n]
        }
        return String(decoding: out, as: UTF8.self)
    }
}
