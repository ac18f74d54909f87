import EnvCheckCore
import EnvCheckProbes
import Foundation
import TestSupport
import Testing

/// `rediss://` against a real TLS `redis-server` with a CA the test generates.
@Suite(.requires(.redisServer, .openssl, .serialRun)) struct RedisTLSIntegrationTests {
    let password = Canary.make("tlspw")

    /// A TLS-only server (no plain port) with fresh certificates; both removed afterwards.
    func withTLSServer(serverDays: Int = 90, _ body: (RedisTestServer, TestCertificates) async throws -> Void) async throws {
        let certs = try await TestCertificates.make(serverDays: serverDays)
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

    /// A certificate that expires in five days: `warn`/`cert_expiring` by default, read from
    /// envcheck's own TLS whether or not it was verified; `cert_warn_days` moves the line.
    @Test func aCertificateNearItsExpiryIsAWarning() async throws {
        try await withTLSServer(serverDays: 5) { server, certs in
            let url = "rediss://:\(password)@localhost:\(server.tlsPort!)"
            let run = await RedisHarness.run(url, options: ["ca_file": .string(certs.caFile)], canaries: [password])
            #expect(run.outcome.status == .warn && run.outcome.code == .certExpiring, "\(run.outcome.message)")
            // Five days from a moment ago: 4 once a second has passed, rounded down.
            let days = try #require(run.outcome.details["certificate"]?.objectValue?["days_left"]?.doubleValue)
            #expect(days == 4 || days == 5)
            #expect(run.outcome.message.text.contains("its TLS certificate expires in \(Int(days)) days"), "\(run.outcome.message)")
            let relaxed = await RedisHarness.run(url, options: ["ca_file": .string(certs.caFile), "cert_warn_days": 3], canaries: [password])
            #expect(relaxed.outcome.status == .pass, "\(relaxed.outcome.message)")
            let unverified = await RedisHarness.run(url, options: ["tls_verify": false], canaries: [password])
            #expect(unverified.outcome.code == .tlsVerifyDisabled && unverified.outcome.details["certificate"] != nil)
        }
    }

    /// An expired certificate fails verification, and is a `fail`/`tls` without it too.
    @Test func anExpiredCertificateFailsEvenWithVerificationOff() async throws {
        try await withTLSServer(serverDays: -1) { server, certs in
            let url = "rediss://:\(password)@localhost:\(server.tlsPort!)"
            let verified = await RedisHarness.run(url, options: ["ca_file": .string(certs.caFile)], canaries: [password])
            #expect(verified.outcome.code == .tls && verified.outcome.message.contains("expired"), "\(verified.outcome.message)")
            let unverified = await RedisHarness.run(url, options: ["tls_verify": false], canaries: [password])
            #expect(unverified.outcome.status == .fail && unverified.outcome.code == .tls, "\(unverified.outcome.message)")
            #expect(unverified.outcome.message.text.contains("certificate expired on"), "\(unverified.outcome.message)")
        }
    }

    /// A name for 127.0.0.1 that the certificate does not list: the address's integer
    /// spelling, which getaddrinfo resolves but which is a DNS name to TLS (not in the SAN).
    static let otherNameForLoopback = "2130706433"
}
