import EnvCheckCore
import Foundation
import TestSupport
import Testing

@testable import EnvCheckProbes

@Suite("Postgres probe logic (fake session)")
struct PostgresProbeTests {
    let url = "postgres://app:secretpw@db.internal:5432/appdb?sslmode=verify-full"

    @Test func passReportsServerFactsAndTimings() async throws {
        let log = FakePostgresSession.Log()
        let result = await outcome(of: try .fake(url, log: log), context())
        #expect(result.status == .pass)
        #expect(result.message.contains("logged in as app to appdb at db.internal:5432 (PostgreSQL 15.18, over TLSv1.3)"))
        let d = result.details
        #expect(d["server_version"] == "15.18 (Debian 15.18-0+deb12u1)")
        #expect(d["standby"] == false)
        #expect(d["tls"] == true)
        #expect(d["tls_protocol"] == "TLSv1.3")
        #expect(d["tls_cipher"] == "TLS_AES_256_GCM_SHA384")
        #expect(d["user"] == "app")
        #expect(d["database"] == "appdb")
        for key in ["dns_ms", "connect_ms", "query_ms"] { #expect(d[key]?.doubleValue != nil, "\(key) missing") }
        #expect(log.queries == ["SELECT 1"])
        #expect(log.keyword("host") == "db.internal")
        #expect(log.keyword("hostaddr") == "10.1.2.3")
        #expect(log.keyword("password") == "secretpw")
        #expect(log.keyword("passfile") == PostgresTarget.noPassfile)
    }

    @Test func aWrongAnswerToSelectOneFails() async throws {
        var script = FakePostgresSession.Script()
        script.answers = [("SELECT 1", .success([["2"]]))]
        let result = await outcome(of: try .fake(url, script: script, log: .init()), context())
        #expect(result.status == .fail)
        #expect(result.code == .protocolError)
        #expect(result.message == "SELECT 1 failed: SELECT 1 returned 2, not 1")
    }

    @Test func connectFailuresKeepTheirCodeAndGetAHint() async throws {
        var script = FakePostgresSession.Script()
        script.connectError = PostgresError(.databaseMissing, "FATAL:  database \"appdb\" does not exist")
        let result = await outcome(of: try .fake(url + "&schema=public", script: script, log: .init()), context())
        #expect(result.status == .fail)
        #expect(result.code == .databaseMissing)
        #expect(result.message == "could not connect: FATAL:  database \"appdb\" does not exist")
        #expect(result.hint?.text == PostgresErrorMapping.hint(for: .databaseMissing))
        #expect(result.details["notes"] == .array(["dropped the query parameter schema (not a libpq option)"]))
    }

    @Test func optionValuesLibpqRejectsAreConfigurationErrorsWithValuesElided() async throws {
        var script = FakePostgresSession.Script()
        script.connectError = PostgresError(.invalidURL, "invalid integer value \"s3cr3tish\" for connection option \"port\"")
        let result = await outcome(of: try .fake(url, script: script, log: .init()), context())
        #expect(result.status == .error)
        #expect(result.code == .invalidURL)
        #expect(result.message == "libpq rejected the connection options: invalid integer value \"…\" for connection option \"port\"")
    }

    @Test func aStandbyPassesUnlessAPrimaryIsExpected() async throws {
        var script = FakePostgresSession.Script()
        script.parameters["in_hot_standby"] = "on"
        let relaxed = await outcome(of: try .fake(url, script: script, log: .init()), context())
        #expect(relaxed.status == .pass)
        #expect(relaxed.details["standby"] == true)
        let strict = await outcome(of: try .fake(url, script: script, log: .init(), expectPrimary: true), context())
        #expect(strict.status == .fail)
        #expect(strict.code == .readOnly)
        #expect(strict.details["standby"] == true)
    }

    @Test func olderServersAreAskedWhetherTheyAreInRecovery() async throws {
        var script = FakePostgresSession.Script()
        script.parameters["in_hot_standby"] = nil
        script.answers.append(("SELECT pg_is_in_recovery()", .success([["t"]])))
        let log = FakePostgresSession.Log()
        let result = await outcome(of: try .fake(url, script: script, log: log, expectPrimary: true), context())
        #expect(log.queries == ["SELECT 1", "SELECT pg_is_in_recovery()"])
        #expect(result.code == .readOnly)
    }

    @Test func theWriteCheckIsATempTableRoundTrip() async throws {
        let log = FakePostgresSession.Log()
        let result = await outcome(of: try .fake(url, log: log), context(writeCheck: true))
        #expect(result.status == .pass)
        #expect(result.details["write_check_ms"]?.doubleValue != nil)
        let q = log.queries
        try #require(q.count == 5)
        let table = try #require(q[1].split(separator: " ").dropFirst(3).first).description
        #expect(table.hasPrefix("envcheck_probe_"))
        #expect(q[1] == "CREATE TEMP TABLE \(table) (v text)")
        #expect(q[2].hasPrefix("INSERT INTO \(table) (v) VALUES ('"))
        #expect(q[3] == "SELECT v FROM \(table)")
        #expect(q[4] == "DROP TABLE \(table)")
    }

    @Test func aWriteCheckOnAStandbyFailsReadOnly() async throws {
        var script = FakePostgresSession.Script()
        script.answers.append(
            ("CREATE TEMP TABLE", .failure(PostgresError(.readOnly, "cannot execute CREATE TABLE in a read-only transaction", sqlstate: "25006"))))
        let result = await outcome(of: try .fake(url, script: script, log: .init()), context(writeCheck: true))
        #expect(result.code == .readOnly)
        #expect(result.details["sqlstate"] == "25006")
        #expect(result.message.hasPrefix("the temp-table write check failed: "))
    }

    @Test func aWriteCheckThatReadsBackSomethingElseFails() async throws {
        var script = FakePostgresSession.Script()
        script.echoInsert = false
        let result = await outcome(of: try .fake(url, script: script, log: .init()), context(writeCheck: true))
        #expect(result.status == .fail)
        #expect(result.code == .protocolError)
    }

    @Test func tlsVerifyFalseIsAtBestAWarning() async throws {
        let result = await outcome(of: try .fake(url, log: .init(), tls: TLSOptions(verify: false)), context())
        #expect(result.status == .warn)
        #expect(result.code == .tlsVerifyDisabled)
        #expect(result.message.hasSuffix(", but TLS verification is off (tls_verify: false)"))
    }

    /// The shared rule: only a session that uses TLS has a certificate to distrust.
    @Test func tlsVerifyFalseWithoutTLSPasses() async throws {
        var script = FakePostgresSession.Script()
        script.tls = nil
        let result = await outcome(of: try .fake(url, script: script, log: .init(), tls: TLSOptions(verify: false)), context())
        #expect(result.status == .pass && result.code == nil)
        #expect(result.details["tls"] == false)
    }

    /// A lookup the deadline cut short is a timeout naming the DNS phase (the shared
    /// `Resolver` gives up on `getaddrinfo` at the deadline; NetTests prove that part).
    @Test(.requires(.serialRun)) func aHungResolverEndsAtTheDeadline() async throws {
        let probe = try PostgresProbe.fake(
            url, log: .init(),
            resolve: { _, deadline in
                while !deadline.hasPassed { usleep(10_000) }
                return nil
            })
        let started = ContinuousClock.now
        let result = await outcome(of: probe, context(timeout: .milliseconds(300)))
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(result.code == .timeout)
        #expect(result.message.hasPrefix("timed out during the DNS lookup of db.internal after "))
    }

    @Test func theCanaryPasswordAppearsNowhere() async throws {
        let canary = Canary.make("pgpw")
        let log = FakePostgresSession.Log()
        var script = FakePostgresSession.Script()
        let canaryURL = "postgresql+psycopg://app:\(canary)@db.internal/appdb?schema=x"
        for error in [nil, PostgresError(.authFailed, "FATAL:  password authentication failed for user \"app\"")] {
            script.connectError = error
            let result = await outcome(of: try .fake(canaryURL, script: script, log: log), context(writeCheck: true))
            let text = [result.message.text, result.hint?.text ?? "", JSONWriter.write(.object(result.details))].joined(separator: "\n")
            #expect(Canary.leaks([canary], in: text).isEmpty)
        }
        #expect(log.keyword("password") == canary)  // it did reach the session
    }

    @Test func theKindIsRegisteredFirstAndCritical() {
        let kind = BuiltInProbes.registry.kinds.first
        #expect(kind?.kind == "postgres")
        #expect(kind?.critical == true)
        #expect(kind?.keys == ["DATABASE_URL"])
        #expect(kind?.options.map(\.name) == ["expect_primary"])
    }
}
