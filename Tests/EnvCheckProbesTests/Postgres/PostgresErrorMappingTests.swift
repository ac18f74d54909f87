import EnvCheckCore
import Testing

@testable import EnvCheckProbes

@Suite("Postgres error mapping")
struct PostgresErrorMappingTests {
    /// Texts as libpq 15 and a PostgreSQL 15 server write them (lc_messages C).
    @Test(arguments: [
        ("connection to server at \"127.0.0.1\", port 1 failed: Connection refused", "connection_refused"),
        ("connection to server on socket \"/tmp/x/.s.PGSQL.5432\" failed: No such file or directory", "connection_refused"),
        ("could not translate host name \"nope.invalid\" to address: Name or service not known", "dns"),
        ("connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  password authentication failed for user \"app\"", "auth_failed"),
        ("connection to server at \"127.0.0.1\", port 5432 failed: fe_sendauth: no password supplied", "auth_failed"),
        ("connection to server on socket \"/s\" failed: FATAL:  role \"ghost\" does not exist", "auth_failed"),
        ("FATAL:  no pg_hba.conf entry for host \"10.0.0.1\", user \"app\", database \"db\", SSL encryption", "auth_failed"),
        ("FATAL:  no pg_hba.conf entry for host \"10.0.0.1\", user \"app\", database \"db\", no encryption", "tls"),
        ("connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  database \"nope\" does not exist", "database_missing"),
        ("connection to server at \"h\", port 5432 failed: FATAL:  sorry, too many clients already", "too_many_connections"),
        ("FATAL:  remaining connection slots are reserved for non-replication superuser connections", "too_many_connections"),
        ("connection to server at \"h\", port 5432 failed: FATAL:  the database system is starting up", "starting_up"),
        ("FATAL:  the database system is shutting down", "starting_up"),
        ("connection to server at \"h\", port 5432 failed: server does not support SSL, but SSL was required", "tls"),
        ("connection to server at \"h\", port 5432 failed: SSL error: certificate verify failed", "tls"),
        ("connection to server at \"h\", port 5432 failed: server certificate for \"localhost\" does not match host name \"db\"", "tls"),
        ("connection to server at \"h\", port 5432 failed: root certificate file \"/root/.postgresql/root.crt\" does not exist", "tls"),
        ("connection to server at \"h\", port 5432 failed: server is in hot standby mode", "read_only"),
        ("connection to server at \"h\", port 5432 failed: session is read-only", "read_only"),
        ("connection to server at \"h\", port 5432 failed: server is not in hot standby mode", "connection_failed"),
        ("server closed the connection unexpectedly", "network"),
        ("connection to server at \"10.9.9.9\", port 5432 failed: No route to host", "network"),
        ("connection to server at \"h\", port 5432 failed: timeout expired", "timeout"),
        ("something libpq has never said before", "connection_failed"),
        ("invalid integer value \"notaport\" for connection option \"port\"", "invalid_url"),
        ("invalid sslmode value: \"bogus\"", "invalid_url"),
        ("could not match 3 port numbers to 2 hosts", "invalid_url"),
        ("invalid port number: \"99999\"", "invalid_url"),
    ])
    func connectFailuresAreClassifiedFromTheirText(text: String, code: String) {
        #expect(PostgresErrorMapping.classifyConnectFailure(text).rawValue == code)
    }

    @Test func queryErrorsAreClassifiedBySQLState() {
        #expect(PostgresErrorMapping.classify(sqlstate: "25006") == .readOnly)
        #expect(PostgresErrorMapping.classify(sqlstate: "57P03") == .startingUp)
        #expect(PostgresErrorMapping.classify(sqlstate: "53300") == .tooManyConnections)
        #expect(PostgresErrorMapping.classify(sqlstate: "3D000") == .databaseMissing)
        #expect(PostgresErrorMapping.classify(sqlstate: "28P01") == .authFailed)
        #expect(PostgresErrorMapping.classify(sqlstate: "28000") == .authFailed)
        #expect(PostgresErrorMapping.classify(sqlstate: "42501") == .queryFailed)
        #expect(PostgresErrorMapping.classify(sqlstate: nil) == .network)
    }

    @Test func everyCodeHasAHint() {
        for code in [
            ErrorCode.connectionRefused, .dns, .timeout, .authFailed, .databaseMissing, .tls,
            .tooManyConnections, .startingUp, .readOnly, .network, .queryFailed, .connectionFailed,
        ] {
            #expect(PostgresErrorMapping.hint(for: code)?.isEmpty == false)
        }
    }

    @Test func libpqTextBecomesOneLine() {
        let text =
            "connection to server at \"a\" (::1), port 1 failed: Connection refused\n\tIs the server running on that host and accepting TCP/IP connections?\nconnection to server at \"a\" (127.0.0.1), port 1 failed: Connection refused\n\tIs the server running on that host and accepting TCP/IP connections?\n"
        #expect(
            LibPQSession.oneLine(text)
                == "connection to server at \"a\" (::1), port 1 failed: Connection refused; connection to server at \"a\" (127.0.0.1), port 1 failed: Connection refused"
        )
    }
}
