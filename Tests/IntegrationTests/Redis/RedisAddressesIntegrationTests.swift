import EnvCheckCore
import Foundation
import TestSupport
import Testing

@testable import EnvCheckProbes

/// A host name with two addresses, `::1` first, as stock Debian resolves `localhost`
/// (the resolver is injected: this machine's /etc/hosts may give only 127.0.0.1). The
/// servers listen on 127.0.0.1 only, so `::1` refuses; what the 127.0.0.1 server answered
/// must be the result, not `connection_refused`.
@Suite struct RedisAddressesIntegrationTests {
    let password = Canary.make("addrpw")

    static let dualStack: TCPConnection.Resolve = { _, port, deadline throws(NetError) in
        var addresses: [SocketAddress] = []
        for ip in ["::1", "127.0.0.1"] { addresses += try Resolver.resolve(host: ip, port: port, deadline: deadline) }
        return addresses
    }

    func run(_ url: String, caFile: String? = nil, timeout: Duration = .seconds(3)) async -> ProbeOutcome {
        let settings = ProbeSettings(id: "redis", config: ResolvedConfig(["REDIS_URL": url]), global: GlobalSettings(caFile: caFile))
        guard case .ready(let probe) = RedisProbe.kind(.init(connector: SocketRedisConnector(resolve: Self.dualStack))).setup(settings) else {
            return .skip("setup failed")
        }
        let outcome = await Runner.outcome(of: probe, ProbeContext(id: "redis", deadline: .after(timeout), timeout: timeout))
        let text = [outcome.message.text, outcome.hint?.text ?? "", JSONWriter.write(.object(outcome.details))].joined(separator: "\n")
        #expect(Canary.leaks([password], in: text).isEmpty, "a secret leaked: \(text)")
        return outcome
    }

    /// `details.addresses` as (address, outcome, code) triples.
    func addresses(_ outcome: ProbeOutcome) -> [[String]] {
        (outcome.details["addresses"]?.arrayValue ?? []).compactMap(\.objectValue).map { entry in
            ["address", "outcome", "code"].compactMap { entry[$0]?.stringValue }
        }
    }

    func withTLSServer(_ body: (RedisTestServer, TestCertificates) async throws -> Void) async throws {
        let certs = try await TestCertificates.make()
        try await withRedisServer(password: password, tls: certs) { server in
            // The premise: nothing on ::1 at either port, and the server answers on 127.0.0.1.
            for port in [server.port!, server.tlsPort!] {
                #expect(tcpConnectErrno("::1", port) == ECONNREFUSED)
                #expect(tcpConnectErrno("127.0.0.1", port) == 0)
            }
            try await body(server, certs)
        }
        withExtendedLifetime(certs) {}
    }

    @Test func aWrongCAOnIPv4IsTLSNotConnectionRefused() async throws {
        try await withTLSServer { server, certs in
            let port = server.tlsPort!
            let r = await run("rediss://:\(password)@localhost:\(port)", caFile: certs.otherCAFile)
            #expect(r.status == .fail)
            #expect(r.code == .tls, "\(r.message)")
            #expect(addresses(r) == [["[::1]:\(port)", "failed", "connection_refused"], ["127.0.0.1:\(port)", "failed", "tls"]])
            // The 127.0.0.1 server really sent its certificate: only then can verification fail.
            let entry = r.details["addresses"]?.arrayValue?.last?.objectValue
            #expect(entry?["message"]?.stringValue?.contains("certificate verification failed") == true)
            #expect(r.message.hasSuffix("; by address: [::1]:\(port) connection_refused, 127.0.0.1:\(port) tls"), "\(r.message)")
            #expect(r.hint?.contains("ssl_ca_certs") == true, "the TLS hint, not the refused one")
        }
    }

    @Test func aCertificateForAnotherNameIsTLS() async throws {
        try await withTLSServer { server, certs in
            // The certificate names localhost and 127.0.0.1, not dual.test.
            let r = await run("rediss://:\(password)@dual.test:\(server.tlsPort!)", caFile: certs.caFile)
            #expect(r.code == .tls, "\(r.message)")
            #expect(addresses(r).map { $0.last } == ["connection_refused", "tls"])
        }
    }

    @Test func aWrongPasswordIsAuthFailedOverPlainAndTLS() async throws {
        try await withTLSServer { server, certs in
            let plain = await run("redis://:wrong-\(password)@localhost:\(server.port!)")
            #expect(plain.code == .authFailed, "\(plain.message)")
            #expect(
                addresses(plain) == [
                    ["[::1]:\(server.port!)", "failed", "connection_refused"],
                    ["127.0.0.1:\(server.port!)", "failed", "auth_failed"],
                ])
            #expect(plain.message.contains("WRONGPASS"), "the server's own answer: \(plain.message)")
            let tls = await run("rediss://:wrong-\(password)@localhost:\(server.tlsPort!)", caFile: certs.caFile)
            #expect(tls.code == .authFailed, "\(tls.message)")
        }
    }

    @Test func aPassListsEachAddressInDetails() async throws {
        try await withTLSServer { server, certs in
            let r = await run("rediss://:\(password)@localhost:\(server.tlsPort!)", caFile: certs.caFile)
            #expect(r.status == .pass, "\(r.message)")
            #expect(addresses(r) == [["[::1]:\(server.tlsPort!)", "failed", "connection_refused"], ["127.0.0.1:\(server.tlsPort!)", "connected"]])
            #expect(!r.message.contains("by address"))
        }
    }

    /// An IPv6 address that never answers gets its share of the deadline, not all of it:
    /// the IPv4 server is still reached, and its TLS failure outranks the IPv6 timeout.
    @Test func aSilentIPv6AddressDoesNotHideIPv4() async throws {
        try await withTLSServer { server, certs in
            let port = server.tlsPort!
            let silent = try UnansweredIPv6Port(port: port)
            try #require(silent.isSilent(), "the premise: a connect to [::1]:\(port) hangs")
            let started = ContinuousClock.now
            let failing = await run("rediss://:\(password)@localhost:\(port)", caFile: certs.otherCAFile, timeout: .seconds(2))
            #expect(ContinuousClock.now - started < .milliseconds(2500))
            #expect(failing.code == .tls, "\(failing.message)")
            #expect(addresses(failing) == [["[::1]:\(port)", "failed", "timeout"], ["127.0.0.1:\(port)", "failed", "tls"]])
            let passing = await run("rediss://:\(password)@localhost:\(port)", caFile: certs.caFile, timeout: .seconds(2))
            #expect(passing.status == .pass, "\(passing.message)")
            withExtendedLifetime(silent) {}
        }
    }
}
