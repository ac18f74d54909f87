import EnvCheckCore
import Foundation
import TestSupport
import Testing

@testable import EnvCheckProbes

/// `tcp` over real sockets: listeners this test opens, a refused port, `openssl s_server`
/// for TLS (verified, wrong CA, unverified, near expiry) and a listener that never
/// completes a handshake.
@Suite(.serialized, .requires(.openssl, .serialRun))
struct TCPIntegrationTests {
    /// Runs the registered kind as the runner does (the certificate-expiry rule included).
    func run(
        _ address: String, options: JSONObject = JSONObject(), dependencies: TCPProbe.Dependencies = .live,
        timeout: Duration = .seconds(3)
    ) async -> ProbeResult {
        let settings = ProbeSettings(id: "tcp", config: ResolvedConfig([:]), bindings: ["address": address], options: options)
        let kind = TCPProbe.kind(dependencies)
        let plan = ProbePlan(
            id: "tcp", kind: "tcp", critical: false, required: true, timeout: timeout, setup: kind.setup(settings),
            certificateExpiry: settings.certificateExpiry)
        let result = await Runner(runDeadline: .after(timeout + .milliseconds(250))).run([plan])[0]
        #expect(kind.undeclared(result.code, status: result.status) == nil)
        return result
    }

    @Test func aListeningPortPassesAndARefusedOneFails() async throws {
        let listener = try HungListener()
        let open = await run("127.0.0.1:\(listener.port)")
        #expect(open.status == .pass, "\(open.message)")
        #expect(open.message.hasPrefix("connected to 127.0.0.1:\(listener.port) in "))
        #expect(open.details["connect_ms"] != nil && open.details["tls"] == false)
        let port = try refusedPort()
        let refused = await run("127.0.0.1:\(port)")
        #expect(refused.status == .fail && refused.code?.rawValue == "connection_refused", "\(refused.message)")
        #expect(refused.message == "Connection refused while connecting to 127.0.0.1:\(port)")
    }

    /// A name with two addresses, as a stock Debian's `localhost` has (`::1` and
    /// `127.0.0.1`), whatever this machine's resolver says: each is connected to for real.
    @Test func eachAddressOfANameIsTriedAndReported() async throws {
        let listener = try HungListener()  // 127.0.0.1 only: ::1 refuses
        var dependencies = TCPProbe.Dependencies.live
        dependencies.resolve = { _, port, deadline throws(NetError) in
            try Resolver.resolve(host: "::1", port: port, deadline: deadline) + Resolver.resolve(host: "127.0.0.1", port: port, deadline: deadline)
        }
        let r = await run("localhost:\(listener.port)", dependencies: dependencies)
        #expect(r.status == .pass, "\(r.message)")
        #expect(r.message.contains("(1 of 2 addresses)") && r.message.hasSuffix("; [::1]:\(listener.port) connection_refused"), "\(r.message)")
        let entries = try #require(r.details["addresses"]?.arrayValue)
        #expect(entries.map { $0.objectValue?["outcome"]?.stringValue } == ["failed", "connected"])
        let none = await run("localhost:\(try refusedPort())", dependencies: dependencies)
        #expect(none.code?.rawValue == "connection_refused" && none.message.contains("by address: [::1]:"), "\(none.message)")
    }

    @Test func tlsIsVerifiedAgainstTheCAAndTheName() async throws {
        let server = try await OpenSSLTestServer.start()
        let verified = await run("localhost:\(server.port)", options: ["tls": true, "ca_file": .string(server.caFile)])
        #expect(verified.status == .pass, "\(verified.message)")
        #expect(verified.details["tls_version"]?.stringValue?.hasPrefix("TLSv1.") == true && verified.details["tls_ms"] != nil)
        #expect([89, 90].contains(verified.details["certificate"]?.objectValue?["days_left"]?.doubleValue ?? 0))  // 90 days from a moment ago
        let wrongCA = await run("localhost:\(server.port)", options: ["tls": true, "ca_file": .string(server.certificates.otherCAFile)])
        #expect(wrongCA.status == .fail && wrongCA.code?.rawValue == "tls", "\(wrongCA.message)")
        #expect(wrongCA.message.contains("certificate verification failed"))
        // SNI and verification use server_name: a name the certificate does not hold fails.
        let wrongName = await run(
            "127.0.0.1:\(server.port)", options: ["tls": true, "ca_file": .string(server.caFile), "server_name": "db.example.org"])
        #expect(wrongName.code?.rawValue == "tls", "\(wrongName.message)")
        let named = await run("127.0.0.1:\(server.port)", options: ["tls": true, "ca_file": .string(server.caFile), "server_name": "localhost"])
        #expect(named.status == .pass, "\(named.message)")
        let unverified = await run("127.0.0.1:\(server.port)", options: ["tls": true, "tls_verify": false])
        #expect(unverified.status == .warn && unverified.code?.rawValue == "tls_verify_disabled", "\(unverified.message)")
    }

    @Test func aCertificateNearExpiryWarnsAndAnExpiredOneFails() async throws {
        let soon = try await OpenSSLTestServer.start(serverDays: 5)
        let r = await run("localhost:\(soon.port)", options: ["tls": true, "ca_file": .string(soon.caFile)])
        #expect(r.status == .warn && r.code?.rawValue == "cert_expiring", "\(r.message)")
        #expect(r.message.contains("its TLS certificate expires in 4 days") || r.message.contains("its TLS certificate expires in 5 days"))
        let expired = try await OpenSSLTestServer.start(serverDays: -1)
        let unverified = await run("localhost:\(expired.port)", options: ["tls": true, "tls_verify": false])
        #expect(unverified.status == .fail && unverified.code?.rawValue == "tls", "\(unverified.message)")
        #expect(unverified.message.contains("certificate expired on"))
    }

    @Test func aHandshakeThatNeverCompletesTimesOut() async throws {
        let listener = try HungListener()
        let start = ContinuousClock.now
        let r = await run("127.0.0.1:\(listener.port)", options: ["tls": true], timeout: .seconds(1))
        #expect(ContinuousClock.now - start < .milliseconds(1800))
        #expect(listener.acceptedCount > 0)
        #expect(r.status == .fail && r.code?.rawValue == "timeout", "\(r.message)")
        #expect(r.hint?.contains("did not complete the TLS handshake") == true || r.message.contains("negotiating TLS"), "\(r.message)")
    }
}
