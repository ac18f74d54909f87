import EnvCheckCore
import EnvCheckProbes
import Foundation
import TestSupport
import Testing

/// The postgres probe against the real PostgreSQL 15 cluster scripts/services/postgres.sh
/// starts (scram-sha-256, TLS with a generated CA). Serialized: one test sets PG*
/// variables in-process.
@Suite("Postgres probe against PostgreSQL 15", .serialized, .requires(.postgres))
struct PostgresIntegrationTests {
    let server: PostgresTestServer

    init() throws { server = try PostgresTestServer() }

    /// libpq's default sslmode (prefer) encrypts but never checks the certificate: the
    /// login works, and the result is a warning that says so.
    @Test func passesOverTCPWithServerFacts() async throws {
        let r = await run(server.url())
        try expectStatus(r, .warn)
        #expect(r.code?.rawValue == "tls_verify_disabled")
        #expect(r.message.hasSuffix("the server's certificate was not verified (sslmode=prefer)"))
        #expect(r.message.contains("logged in as \(server.user) to \(server.db) at 127.0.0.1:\(server.port)"))
        let d = r.details
        #expect(d["server_version"]?.stringValue?.hasPrefix("15.") == true)
        #expect(d["standby"] == false)
        #expect(d["tls"] == true)  // sslmode=prefer and a server with ssl=on
        #expect(d["tls_protocol"]?.stringValue?.hasPrefix("TLSv1.") == true)
        #expect(d["tls_cipher"]?.stringValue?.isEmpty == false)
        #expect(d["user"] == .string(server.user))
        #expect(d["database"] == .string(server.db))
        #expect((d["connect_ms"]?.doubleValue ?? -1) >= 0)
        #expect((d["query_ms"]?.doubleValue ?? -1) >= 0)
        expectNoLeak(r)
    }

    @Test func passesOverAUnixSocket() async throws {
        let socket = PercentEncoding.encode(server.socketDir)
        let r = await run("postgres://\(server.user):\(server.encodedPassword)@\(socket):\(server.port)/\(server.db)")
        try expectStatus(r, .pass)
        #expect(r.details["tls"] == false)
        #expect(r.details["host"] == .string(server.socketDir))
        #expect(r.details["dns_ms"] == nil)
        expectNoLeak(r)
    }

    @Test func passesWithAnSQLAlchemyURLAndDropsUnknownParameters() async throws {
        let url = "postgresql+asyncpg://\(server.user):\(server.encodedPassword)@127.0.0.1:\(server.port)/\(server.db)?ssl=require&schema=public"
        let r = await run(url)
        try expectStatus(r, .warn)  // ssl=require: encrypted, certificate unchecked
        #expect(r.details["tls"] == true)
        let notes = r.details["notes"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(notes.contains("dropped the driver suffix +asyncpg"))
        #expect(notes.contains("dropped the query parameter schema (not a libpq option)"))
        expectNoLeak(r)
    }

    @Test func verifyFullPassesAgainstTheGeneratedCA() async throws {
        let r = await run(server.url(host: "localhost", query: "sslmode=verify-full&sslrootcert=\(server.caFile)"))
        try expectStatus(r, .pass)
        #expect(r.details["tls"] == true)
        #expect(r.details["host"] == "localhost")
        #expect(r.details["dns_ms"]?.doubleValue != nil)  // resolved by the probe, not by libpq
        // The same through the probe's ca_file option.
        let viaOption = await run(server.url(host: "localhost", query: "sslmode=verify-full"), options: ["ca_file": .string(server.caFile)])
        try expectStatus(viaOption, .pass)
        expectNoLeak(r, viaOption)
    }

    /// libpq hands its `SSL *` over (`PQsslStruct`): the server's certificate, made for 90
    /// days by scripts/services/postgres.sh, is in the details and under the expiry rule.
    @Test func theServersCertificateExpiryIsReadThroughLibpq() async throws {
        let url = server.url(host: "localhost", query: "sslmode=verify-full&sslrootcert=\(server.caFile)")
        let r = await run(url)
        try expectStatus(r, .pass)
        let days = try #require(r.details["certificate"]?.objectValue?["days_left"]?.doubleValue)
        #expect((85...90).contains(days), "\(days)")
        #expect(r.details["certificate"]?.objectValue?["not_after"]?.stringValue?.hasSuffix("Z") == true)
        let strict = await run(url, options: ["cert_warn_days": 120])
        try expectStatus(strict, .warn)
        #expect(strict.code == .certExpiring && strict.message.contains("its TLS certificate expires in"), "\(strict.message)")
        let plaintext = await run(server.url(query: "sslmode=disable"), options: ["cert_warn_days": 120])
        try expectStatus(plaintext, .pass)
        #expect(plaintext.details["certificate"] == nil)
    }

    @Test func requireWithARootCertificateVerifiesAndPasses() async throws {
        let r = await run(server.url(query: "sslmode=require&sslrootcert=\(server.caFile)"))
        try expectStatus(r, .pass)
        let plaintext = await run(server.url(query: "sslmode=disable"))
        try expectStatus(plaintext, .pass)  // no TLS at all: nothing unverified to warn about
        #expect(plaintext.details["tls"] == false)
    }

    @Test func verifyFullFailsAgainstAWrongCA() async throws {
        let r = await run(server.url(host: "localhost", query: "sslmode=verify-full&sslrootcert=\(server.wrongCAFile)"))
        try expectStatus(r, .fail)
        #expect(r.code?.rawValue == "tls")
        #expect(r.message.contains("certificate verify failed"))
        #expect(r.hint?.contains("sslrootcert") == true)
        expectNoLeak(r)
    }

    @Test func aWrongPasswordIsAuthFailed() async throws {
        let canary = Canary.make("pgwrong")
        let r = await run(server.url(password: canary))
        try expectStatus(r, .fail)
        #expect(r.code?.rawValue == "auth_failed")
        #expect(r.message.contains("password authentication failed"))
        expectNoLeak(r, extra: [canary])
    }

    @Test func anUnknownDatabaseIsDatabaseMissing() async throws {
        let r = await run(server.url(db: "envcheck_no_such_db"))
        try expectStatus(r, .fail)
        #expect(r.code?.rawValue == "database_missing")
        #expect(r.message.contains("envcheck_no_such_db"))
        expectNoLeak(r)
    }

    @Test(.requires(.serialRun)) func aRefusedPortIsConnectionRefused() async throws {
        let r = await run(server.url(port: try refusedPort()))
        try expectStatus(r, .fail)
        #expect(r.code?.rawValue == "connection_refused")
        #expect(r.durationMs < 1000)
        expectNoLeak(r)
    }

    @Test func passesWithKeywordValueConninfo() async throws {
        let r = await run("host=\(server.socketDir) port=\(server.port) dbname=\(server.db) user=\(server.user) password='\(server.password)'")
        try expectStatus(r, .pass)
        #expect(r.details["database"] == .string(server.db))
        expectNoLeak(r)
    }

    @Test func anUnresolvableHostIsDNS() async throws {
        let r = await run(server.url(host: "envcheck-no-such-host.invalid"))
        try expectStatus(r, .fail)
        #expect(r.code?.rawValue == "dns")
        expectNoLeak(r)
    }

    @Test(.requires(.serialRun)) func aHungListenerEndsAtTheDeadline() async throws {
        let hung = try HungListener()
        let timeout = Duration.seconds(1)
        let started = ContinuousClock.now
        let r = await run(server.url(port: hung.port), timeout: timeout)
        let elapsed = ContinuousClock.now - started
        try expectStatus(r, .fail)
        #expect(r.code?.rawValue == "timeout")
        #expect(r.message.contains("timed out during the TLS handshake"), "message: \(r.message)")
        #expect(elapsed >= timeout - .milliseconds(100))
        #expect(elapsed < timeout + .milliseconds(300), "took \(elapsed)")
        #expect(hung.acceptedCount >= 1)
        expectNoLeak(r)
    }

    @Test func aTempTableWriteCheckPassesOnThePrimary() async throws {
        let r = await run(
            server.url(query: "sslmode=verify-full&sslrootcert=\(server.caFile)"), writeCheck: true,
            options: ["expect_primary": true])
        try expectStatus(r, .pass)
        #expect(r.details["write_check_ms"]?.doubleValue != nil)
        #expect(r.details["standby"] == false)
        expectNoLeak(r)
    }

    @Test func anUnparseableURLIsAnErrorWithoutItsPassword() async throws {
        let canary = Canary.make("pgbad")
        let r = await run("postgres://\(server.user):\(canary)@127.0.0.1:notaport/\(server.db)")
        try expectStatus(r, .error)
        #expect(r.code?.rawValue == "invalid_url")
        #expect(r.hint != nil)
        expectNoLeak(r, extra: [canary])
    }

    /// PGPASSWORD and a password file would rescue a URL without a password in a naive
    /// client (psql proves it below); the probe must not let them.
    @Test func pgPasswordAndPassfileCannotRescueAURLWithoutPassword() async throws {
        let passfile = FileManager.default.temporaryDirectory.appendingPathComponent("envcheck-pgpass-\(UUID().uuidString)")
        try "*:*:*:*:\(server.password)\n".write(to: passfile, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: passfile.path)
        defer { try? FileManager.default.removeItem(at: passfile) }
        let url = "postgres://\(server.user)@127.0.0.1:\(server.port)/\(server.db)"
        // Control: with these variables a plain libpq client logs in.
        let psql = try await server.psql(url, environment: ["PGPASSWORD": server.password])
        #expect(psql == "1", "psql with PGPASSWORD should log in")
        let viaFile = try await server.psql(url, environment: ["PGPASSFILE": passfile.path])
        #expect(viaFile == "1", "psql with PGPASSFILE should log in")

        setenv("PGPASSWORD", server.password, 1)
        setenv("PGPASSFILE", passfile.path, 1)
        defer {
            unsetenv("PGPASSWORD")
            unsetenv("PGPASSFILE")
        }
        let r = await run(url)
        try expectStatus(r, .fail)
        #expect(r.code?.rawValue == "auth_failed")
        #expect(r.message.contains("no password supplied"))
        expectNoLeak(r)
    }

    // MARK: - Helpers

    func run(
        _ url: String, timeout: Duration = .seconds(3), writeCheck: Bool = false,
        options: JSONObject = JSONObject()
    ) async -> ProbeResult {
        let settings = ProbeSettings(id: "postgres", config: ResolvedConfig(["DATABASE_URL": url]), options: options)
        let plan = ProbePlan(
            id: "postgres", kind: "postgres", critical: true, required: true, timeout: timeout,
            setup: PostgresProbe.kind.setup(settings), certificateExpiry: settings.certificateExpiry)
        return await Runner(runDeadline: .after(timeout + .milliseconds(250)), writeCheck: writeCheck).run([plan])[0]
    }

    func expectStatus(_ r: ProbeResult, _ status: ProbeStatus, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(r.status == status, "\(r.status): \(r.code?.rawValue ?? "-") \(r.message)", sourceLocation: sourceLocation)
        try #require(r.status == status, sourceLocation: sourceLocation)
    }

    /// Neither the server's password nor any canary appears in message, hint or details.
    func expectNoLeak(_ results: ProbeResult..., extra: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) {
        for r in results {
            let text = [r.message, r.hint ?? "", JSONWriter.write(.object(r.details))].joined(separator: "\n")
            #expect(Canary.leaks([server.password] + extra, in: text).isEmpty, "secret in: \(text)", sourceLocation: sourceLocation)
        }
    }
}
