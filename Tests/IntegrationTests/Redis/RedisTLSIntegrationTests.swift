import EnvCheckCore
import EnvCheckProbes
import Foundation
import TestSupport
import Testing

/// `rediss://` against a real TLS `redis-server` with a CA the test generates.
@Suite(.requires(.redisServer, .openssl, .serialRun)) struct RedisTLSIntegrationTests {
    let password = Canary.make("tlspw")

    /// A TLS-only server (no plain port) with fresh certificates; both removed afterwards.
    func withTLSServer(_ body: (RedisTestServer, TestCertificates) async throws -> Void) async throws {
        let certs = try await TestCertificates.make()
        try await withRedisServer(password: password, tls: certs, plainPort: false) { server in
            try await body(server, certs)
        }
        withExtendedLifetime(certs) {}  // the files must outlive the server and the probes
    }

    @Test func rightCAPassesWithEachWayOfGivingIt() async throws {
        try await withTLSServer { server, certs in
            let port = server.tlsPort!
            let option = await RedisHarness.run(
                "rediss://:\(password)@localhost:\(port)", options: ["ca_file": .string(certs.caFile)],
                writeCheck: true, canaries: [password])
            #expect(option.outcome.status == .pass, "\(option.outcome.message)")
            #expect(option.outcome.details["tls"] == true)
            #expect(option.outcome.details["tls_verify"] == true)
            #expect(option.outcome.details["tls_version"]?.stringValue?.hasPrefix("TLSv1.") == true)
            #expect(option.outcome.details["tls_ms"] != nil && option.outcome.details["write_check"] == "ok")
            let inURL = await RedisHarness.run("rediss://:\(password)@127.0.0.1:\(port)?ssl_ca_certs=\(certs.caFile)", canaries: [password])
            #expect(inURL.outcome.status == .pass, "\(inURL.outcome.message)")
            let global = await RedisHarness.run("rediss://:\(password)@localhost:\(port)/1", caFile: certs.caFile, canaries: [password])
            #expect(global.outcome.status == .pass, "\(global.outcome.message)")
        }
    }

    @Test func wrongCAIsATLSFailure() async throws {
        try await withTLSServer { server, certs in
            let run = await RedisHarness.run(
                "rediss://:\(password)@localhost:\(server.tlsPort!)",
                options: ["ca_file": .string(certs.otherCAFile)], canaries: [password])
            #expect(run.outcome.status == .fail)
            #expect(run.outcome.code == .tls)
            #expect(run.outcome.message.contains("certificate verification failed"), "\(run.outcome.message)")
            let noCA = await RedisHarness.run("rediss://:\(password)@localhost:\(server.tlsPort!)", canaries: [password])
            #expect(noCA.outcome.code == .tls)
        }
    }

    @Test func hostNameMustMatchTheCertificate() async throws {
        try await withTLSServer { server, certs in
            // The certificate names localhost and 127.0.0.1: the same server reached under
            // another name must fail verification.
            let other = await RedisHarness.run(
                "rediss://:\(password)@127.0.0.1:\(server.tlsPort!)?ssl_check_hostname=true",
                options: ["ca_file": .string(certs.caFile)], canaries: [password])
            #expect(other.outcome.status == .pass)
            let mismatch = await RedisHarness.run(
                "rediss://:\(password)@\(Self.otherNameForLoopback):\(server.tlsPort!)",
                options: ["ca_file": .string(certs.caFile)], canaries: [password])
            #expect(mismatch.outcome.code == .tls, "\(mismatch.outcome.message)")
            #expect(mismatch.outcome.message.contains("certificate verification failed"))
        }
    }

    @Test func verificationOptOutIsAWarning() async throws {
        try await withTLSServer { server, _ in
            let url = await RedisHarness.run("rediss://:\(password)@localhost:\(server.tlsPort!)?ssl_cert_reqs=none", canaries: [password])
            #expect(url.outcome.status == .warn, "\(url.outcome.message)")
            #expect(url.outcome.code == .tlsVerifyDisabled)
            let option = await RedisHarness.run(
                "rediss://:\(password)@localhost:\(server.tlsPort!)", options: ["tls_verify": false],
                canaries: [password])
            #expect(option.outcome.status == .warn)
            #expect(option.outcome.details["tls_verify"] == false)
        }
    }

    @Test func unreadableCAFileIsAConfigurationError() async throws {
        try await withTLSServer { server, _ in
            let run = await RedisHarness.run(
                "rediss://:\(password)@localhost:\(server.tlsPort!)", options: ["ca_file": "/nonexistent/ca.pem"],
                canaries: [password])
            #expect(run.outcome.status == .error)
            #expect(run.outcome.code == .invalidConfig)
        }
    }

    /// A name for 127.0.0.1 that the certificate does not list: the address's integer
    /// spelling, which getaddrinfo resolves but which is a DNS name to TLS (not in the SAN).
    static let otherNameForLoopback = "2130706433"
}
