import EnvCheckCore
import Testing

@testable import EnvCheckProbes

@Suite("Postgres: libpq's text split by address, the most informative wins")
struct PostgresAddressesTests {
    /// libpq 15's own text (PQerrorMessage) for `host=localhost,localhost hostaddr=::1,127.0.0.1`
    /// against a server on 127.0.0.1 only, sslmode=prefer and a wrong password: the
    /// address refused, then the server refused the login twice (over TLS, then without).
    static let refusedThenAuth = """
        connection to server at "::1", port 41529 failed: Connection refused
        \tIs the server running on that host and accepting TCP/IP connections?
        connection to server at "127.0.0.1", port 41529 failed: FATAL:  password authentication failed for user "app"
        connection to server at "127.0.0.1", port 41529 failed: FATAL:  password authentication failed for user "app"

        """

    @Test func eachAddressGetsItsOwnCodeAndText() {
        let attempts = PostgresErrorMapping.attempts(in: Self.refusedThenAuth)
        #expect(attempts.map(\.address) == ["[::1]:41529", "127.0.0.1:41529", "127.0.0.1:41529"])
        #expect(attempts.map(\.code) == [.connectionRefused, .authFailed, .authFailed])
        #expect(attempts[0].message == "connection to server at \"::1\", port 41529 failed: Connection refused")
        // The old way, one classification for the whole text, says refused: the bug.
        #expect(PostgresErrorMapping.classifyConnectFailure(LibPQSession.oneLine(Self.refusedThenAuth)) == .connectionRefused)
    }

    @Test func namesSocketsUnresolvedHostsAndAttemptsInProgressAreRecognised() {
        let text = """
            could not translate host name "db.invalid" to address: Name or service not known
            connection to server on socket "/run/pg/.s.PGSQL.5432" failed: No such file or directory
            \tIs the server running locally and accepting connections on that socket?
            connection to server at "ssl-db.example" (10.0.0.7), port 5433 failed: Connection refused
            connection to server at "10.0.0.8", port 5432 failed:\u{20}
            """
        let attempts = PostgresErrorMapping.attempts(in: text)
        #expect(attempts.map(\.address) == ["db.invalid", "/run/pg/.s.PGSQL.5432", "10.0.0.7:5433", "10.0.0.8:5432"])
        // The host name's "ssl" is not read as a TLS failure: only the words after the header count.
        #expect(attempts.map(\.code) == [.dns, .connectionRefused, .connectionRefused, nil])
        #expect(PostgresErrorMapping.attempts(in: "invalid sslmode value: \"bogus\"").isEmpty)
    }

    func run(_ script: FakePostgresSession.Script) async throws -> ProbeOutcome {
        let probe = try PostgresProbe.fake(
            "postgres://app:pw@localhost:41529/appdb?sslmode=verify-full", script: script, log: .init(),
            resolve: { _, _ in ["::1", "127.0.0.1"] })
        return await outcome(of: probe, context())
    }

    @Test func aServerAnswerOnTheSecondAddressWinsOverRefusedOnTheFirst() async throws {
        var script = FakePostgresSession.Script()
        let text = LibPQSession.oneLine(Self.refusedThenAuth)
        let attempts = PostgresErrorMapping.attempts(in: Self.refusedThenAuth).map { PostgresAttempt(address: $0.address, code: $0.code!, message: $0.message) }
        script.connectError = PostgresError(PostgresErrorMapping.classifyConnectFailure(text), text, attempts: attempts)
        let r = try await run(script)
        #expect(r.code == .authFailed)
        #expect(r.hint?.text == PostgresErrorMapping.hint(for: .authFailed))
        #expect(
            r.message.text == "could not connect: connection to server at \"127.0.0.1\", port 41529 failed: FATAL:  password authentication failed "
                + "for user \"app\"; by address: [::1]:41529 connection_refused, 127.0.0.1:41529 auth_failed")
        let entries = r.details["addresses"]?.arrayValue?.compactMap(\.objectValue) ?? []
        #expect(entries.map { $0["code"]?.stringValue } == ["connection_refused", "auth_failed"])
    }

    @Test func aPassNamesTheAddressesThatFailedBeforeTheOneThatConnected() async throws {
        var script = FakePostgresSession.Script()
        script.connectedAddress = "127.0.0.1:41529"
        script.earlierAttempts = [PostgresAttempt(address: "[::1]:41529", code: .connectionRefused, message: "Connection refused")]
        let r = try await run(script)
        #expect(r.status == .pass)
        let entries = r.details["addresses"]?.arrayValue?.compactMap(\.objectValue) ?? []
        #expect(entries.map { $0["outcome"]?.stringValue } == ["failed", "connected"])
    }

    @Test func aQueryFailureAfterConnectingIsTheConnectedAddresss() async throws {
        var script = FakePostgresSession.Script()
        script.connectedAddress = "127.0.0.1:41529"
        script.earlierAttempts = [PostgresAttempt(address: "[::1]:41529", code: .connectionRefused, message: "Connection refused")]
        script.answers = [("SELECT 1", .failure(PostgresError(.queryFailed, "permission denied", sqlstate: "42501")))]
        let r = try await run(script)
        #expect(r.code == .queryFailed)
        #expect(r.message.hasSuffix("; by address: [::1]:41529 connection_refused, 127.0.0.1:41529 query_failed"))
        #expect(r.details["sqlstate"] == "42501")
    }

    @Test func labelsFollowLibpqsOrderAndPorts() throws {
        let target = try PostgresProbe.target(from: "postgres://u:p@a:1,b:2/x", key: "DATABASE_URL").get()
        #expect(target.addressLabels(addresses: ["a": ["::1", "10.0.0.1"], "b": ["10.0.0.2"]]) == ["[::1]:1", "10.0.0.1:1", "10.0.0.2:2"])
    }
}
