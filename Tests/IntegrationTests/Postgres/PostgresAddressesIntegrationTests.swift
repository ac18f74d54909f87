import EnvCheckCore
import Foundation
import TestSupport
import Testing

@testable import EnvCheckProbes

/// Real libpq against the shared PostgreSQL (listening on 127.0.0.1 only), with the host
/// name's addresses injected as stock Debian resolves `localhost`: `::1` first (refused),
/// then 127.0.0.1. libpq tries both and reports both in one text; the probe must report
/// what 127.0.0.1 answered.
@Suite("Postgres probe across several addresses", .serialized)
struct PostgresAddressesIntegrationTests {
    let server: PostgresTestServer

    init() throws {
        server = try PostgresTestServer()
        // The premise: nothing on ::1 at the server's port, the server on 127.0.0.1.
        #expect(tcpConnectErrno("::1", server.port) == ECONNREFUSED)
        #expect(tcpConnectErrno("127.0.0.1", server.port) == 0)
    }

    func run(_ url: String, addresses: [String] = ["::1", "127.0.0.1"], timeout: Duration = .seconds(3)) async throws -> ProbeResult {
        let target = try PostgresProbe.target(from: url, key: "DATABASE_URL").get()
        let probe = PostgresProbe(target: target, dependencies: .init(resolve: { _, _ in addresses }))
        let plan = ProbePlan(id: "postgres", kind: "postgres", critical: true, required: true, timeout: timeout, setup: .ready(probe))
        let r = await Runner(runDeadline: .after(timeout + .milliseconds(250))).run([plan])[0]
        let text = [r.message, r.hint ?? "", JSONWriter.write(.object(r.details))].joined(separator: "\n")
        #expect(Canary.leaks([server.password], in: text).isEmpty, "secret in: \(text)")
        return r
    }

    /// `details.addresses` as (address, outcome, code) triples.
    func addresses(_ r: ProbeResult) -> [[String]] {
        (r.details["addresses"]?.arrayValue ?? []).compactMap(\.objectValue).map { entry in
            ["address", "outcome", "code"].compactMap { entry[$0]?.stringValue }
        }
    }

    var v6: String { "[::1]:\(server.port)" }
    var v4: String { "127.0.0.1:\(server.port)" }

    @Test func aWrongCAOnIPv4IsTLSNotConnectionRefused() async throws {
        let r = try await run(server.url(host: "localhost", query: "sslmode=verify-full&sslrootcert=\(server.wrongCAFile)"))
        #expect(r.status == .fail)
        #expect(r.code == .tls, "\(r.message)")
        #expect(addresses(r) == [[v6, "failed", "connection_refused"], [v4, "failed", "tls"]])
        #expect(r.message.contains("certificate verify failed"), "what 127.0.0.1 said: \(r.message)")
        #expect(r.message.hasSuffix("; by address: \(v6) connection_refused, \(v4) tls"))
        #expect(r.hint == PostgresErrorMapping.hint(for: .tls))
        // What the issue describes: libpq's whole text, classified as one, says refused.
        let whole = (r.details["addresses"]?.arrayValue ?? []).compactMap { $0.objectValue?["message"]?.stringValue }.joined(separator: "; ")
        #expect(PostgresErrorMapping.classifyConnectFailure(whole) == .connectionRefused)
    }

    @Test func aCertificateForAnotherNameIsTLS() async throws {
        // The server's certificate names localhost and 127.0.0.1, not dual.test.
        let r = try await run(server.url(host: "dual.test", query: "sslmode=verify-full&sslrootcert=\(server.caFile)"))
        #expect(r.code == .tls, "\(r.message)")
        #expect(r.message.contains("does not match host name \"dual.test\""), "\(r.message)")
        #expect(addresses(r).map { $0.last } == ["connection_refused", "tls"])
    }

    @Test func aWrongPasswordIsAuthFailed() async throws {
        let r = try await run(server.url(host: "localhost", password: "wrong-password"))
        #expect(r.code == .authFailed, "\(r.message)")
        #expect(r.message.contains("password authentication failed"), "the server's answer: \(r.message)")
        #expect(addresses(r) == [[v6, "failed", "connection_refused"], [v4, "failed", "auth_failed"]])
    }

    @Test func aMissingDatabaseIsDatabaseMissing() async throws {
        let r = try await run(server.url(host: "localhost", db: "envcheck_no_such_db"))
        #expect(r.code?.rawValue == "database_missing", "\(r.message)")
        #expect(addresses(r).map { $0.last } == ["connection_refused", "database_missing"])
    }

    @Test func aPassListsEachAddressInDetails() async throws {
        let r = try await run(server.url(host: "localhost", query: "sslmode=verify-full&sslrootcert=\(server.caFile)"))
        #expect(r.status == .pass, "\(r.message)")
        #expect(addresses(r) == [[v6, "failed", "connection_refused"], [v4, "connected"]])
        #expect(!r.message.contains("by address"))
    }

    /// libpq gives up after a TLS failure: the address after it is reported as not tried.
    @Test func anAddressAfterAHardFailureIsNotTried() async throws {
        let r = try await run(
            server.url(host: "localhost", query: "sslmode=verify-full&sslrootcert=\(server.wrongCAFile)"),
            addresses: ["127.0.0.1", "::1"])
        #expect(r.code == .tls)
        #expect(addresses(r) == [[v4, "failed", "tls"], [v6, "not_tried"]])
    }

    /// The deadline cuts 127.0.0.1 short after ::1 refused: a timeout, which outranks refused.
    @Test func anAddressStillInProgressAtTheDeadlineIsATimeout() async throws {
        let hung = try HungListener()
        #expect(tcpConnectErrno("::1", hung.port) == ECONNREFUSED)
        let r = try await run(server.url(host: "localhost", port: hung.port), timeout: .seconds(1))
        #expect(r.code == .timeout, "\(r.message)")
        #expect(addresses(r) == [["[::1]:\(hung.port)", "failed", "connection_refused"], ["127.0.0.1:\(hung.port)", "failed", "timeout"]])
        #expect(r.message.contains("timed out during the TLS handshake with localhost:\(hung.port) (127.0.0.1)"), "\(r.message)")
        #expect(hung.acceptedCount >= 1)
    }
}
