import EnvCheckCore
import TestSupport
import Testing

@testable import EnvCheckProbes

@Suite struct RedisProbeTests {
    let canary = Canary.make("redispw")

    func run(_ url: String, session: FakeRedisSession, options: JSONObject = JSONObject(), writeCheck: Bool = false)
        async -> ProbeOutcome
    {
        let settings = ProbeSettings(id: "cache", config: ResolvedConfig(["REDIS_URL": url]), options: options)
        guard case .ready(let probe) = RedisProbe.kind(.init(connector: FakeRedisConnector(session: session))).setup(settings) else {
            Issue.record("setup failed")
            return .skip("")
        }
        let context = ProbeContext(id: "cache", deadline: .after(.seconds(2)), timeout: .seconds(2), writeCheck: writeCheck)
        let outcome = await Runner.outcome(of: probe, context)
        #expect(outcome.code != .internalError, "unexpected error: \(outcome.message)")
        #expect(RedisProbe.kind.undeclared(outcome.code, status: outcome.status) == nil)
        expectNoLeak(outcome)
        return outcome
    }

    func expectNoLeak(_ outcome: ProbeOutcome, sourceLocation: SourceLocation = #_sourceLocation) {
        let text = outcome.message.text + (outcome.hint?.text ?? "") + JSONWriter.write(.object(outcome.details))
        #expect(Canary.leaks([canary], in: text).isEmpty, sourceLocation: sourceLocation)
    }

    @Test func passwordOnlyAuthSelectPingAndDetails() async {
        let session = FakeRedisSession()
        let outcome = await run("redis://:\(canary)@cache:6380/3", session: session)
        #expect(outcome.status == .pass)
        #expect(session.calls.map { $0[0] } == ["AUTH", "SELECT", "PING", "INFO", "INFO"])
        #expect(session.calls[0] == ["AUTH", canary])
        #expect(session.calls[1] == ["SELECT", "3"])
        #expect(outcome.details["redis_version"] == "7.2.4")
        #expect(outcome.details["role"] == "master")
        #expect(outcome.details["tls"] == false)
        #expect(outcome.details["db"] == 3)
        for key in ["connect_ms", "auth_ms", "select_ms", "ping_ms"] { #expect(outcome.details[key] != nil) }
        #expect(outcome.message.contains("7.2.4") && outcome.message.contains("cache:6380"))
    }

    @Test func aclUserAuthAndNoSelectForDBZero() async {
        let session = FakeRedisSession()
        let outcome = await run("redis://alice:\(canary)@cache/0", session: session)
        #expect(outcome.status == .pass)
        #expect(session.calls[0] == ["AUTH", "alice", canary])
        #expect(!session.calls.contains { $0[0] == "SELECT" })
        #expect(outcome.details["user"] == "alice")
    }

    @Test func noCredentialsNoAuth() async {
        let session = FakeRedisSession()
        _ = await run("redis://cache", session: session)
        #expect(session.calls.first == ["PING"])
    }

    @Test(arguments: [
        ("AUTH", "WRONGPASS invalid username-password pair or user is disabled.", "auth_failed"),
        ("AUTH", "ERR invalid password", "auth_failed"),
        ("AUTH", "ERR AUTH <password> called without any password configured for the default user.", "auth_failed"),
        ("PING", "NOAUTH Authentication required.", "auth_failed"),
        ("SELECT", "ERR DB index is out of range", "invalid_db"),
        ("SELECT", "ERR SELECT is not allowed in cluster mode", "invalid_db"),
        ("PING", "LOADING Redis is loading the dataset in memory", "loading"),
        ("PING", "NOPERM this user has no permissions to run the 'ping' command", "permission_denied"),
        ("PING", "ERR max number of clients reached", "too_many_connections"),
        ("PING", "MASTERDOWN Link with MASTER is down", "upstream_error"),
    ])
    func errorRepliesMapToCodes(command: String, error: String, code: String) async {
        let session = FakeRedisSession([command: .success(.error(error))])
        let outcome = await run("redis://:\(canary)@cache/1", session: session)
        #expect(outcome.status == .fail)
        #expect(outcome.code?.rawValue == code)
        #expect(outcome.hint?.isEmpty == false)
        #expect(outcome.details["address"] == "cache:6379")
    }

    @Test func echoedArgumentsAndThePasswordNeverAppear() async {
        let echo = "ERR unknown command 'AUTH', with args beginning with: '\(canary)' "
        let outcome = await run("redis://:\(canary)@cache", session: FakeRedisSession(["AUTH": .success(.error(echo))]))
        #expect(outcome.code == .upstreamError)
        #expect(outcome.message.contains("unknown command"))
    }

    @Test func pingMustAnswerPong() async {
        let outcome = await run("redis://cache", session: FakeRedisSession(["PING": .success(.string(Array("hi".utf8)))]))
        #expect(outcome.code == .protocolError)
        #expect(outcome.message.contains("PING"))
    }

    @Test func transportErrorsNameTheCommand() async {
        let timeout = await run("redis://cache", session: FakeRedisSession(["PING": .failure(.net(.timeout))]))
        #expect(timeout.status == .fail && timeout.code == .timeout)
        #expect(timeout.message.contains("reply to PING from cache:6379"))
        let garbage = await run(
            "redis://cache", session: FakeRedisSession(["PING": .failure(.protocolViolation("Protocol error, got \"H\" as reply type byte"))]))
        #expect(garbage.code == .protocolError)
        let closed = await run("redis://:\(canary)@cache", session: FakeRedisSession(["AUTH": .failure(.net(.closed))]))
        #expect(closed.code == .network && closed.message.contains("AUTH"))
    }

    @Test func infoErrorsDoNotFailTheCheck() async {
        let outcome = await run("redis://cache", session: FakeRedisSession(["INFO": .success(.error("NOPERM no INFO for you"))]))
        #expect(outcome.status == .pass)
        #expect(outcome.details["redis_version"] == nil)
    }

    @Test func writeCheckSetsGetsAndDeletesAUniqueKey() async {
        let session = FakeRedisSession()
        let outcome = await run("redis://cache", session: session, writeCheck: true)
        #expect(outcome.status == .pass)
        let writes = session.calls.filter { ["SET", "GET", "DEL"].contains($0[0]) }
        #expect(writes.map { $0[0] } == ["SET", "GET", "DEL"])
        #expect(writes[0].count == 5 && writes[0][3] == "PX" && writes[0][4] == "60000")
        #expect(writes[0][1].hasPrefix("envcheck:cache:"))
        #expect(writes[1][1] == writes[0][1] && writes[2][1] == writes[0][1])
        #expect(outcome.details["write_check"] == "ok")
        let noWrites = FakeRedisSession()
        _ = await run("redis://cache", session: noWrites)
        #expect(!noWrites.calls.contains { $0[0] == "SET" })
    }

    @Test func writeCheckOnAReplicaIsReadOnly() async {
        let outcome = await run(
            "redis://cache", session: FakeRedisSession(["SET": .success(.error("READONLY You can't write against a read only replica."))]),
            writeCheck: true)
        #expect(outcome.code == .readOnly)
        let lost = await run("redis://cache", session: FakeRedisSession(["GET": .success(.null)]), writeCheck: true)
        #expect(lost.code == .protocolError)
    }

    @Test func tlsWithoutVerificationIsAWarning() async {
        let session = FakeRedisSession()
        session.info = RedisConnectionInfo(connectMs: 1, tlsMs: 2, tlsVersion: "TLSv1.3")
        let viaURL = await run("rediss://cache?ssl_cert_reqs=none", session: session)
        #expect(viaURL.status == .warn && viaURL.code == .tlsVerifyDisabled)
        #expect(viaURL.details["tls_version"] == "TLSv1.3" && viaURL.details["tls_ms"] == 2)
        let viaOption = await run("rediss://cache", session: session, options: ["tls_verify": false])
        #expect(viaOption.status == .warn && viaOption.code == .tlsVerifyDisabled)
        let verified = await run("rediss://cache", session: session)
        #expect(verified.status == .pass && verified.details["tls_verify"] == true)
        #expect(verified.message.contains("TLSv1.3"))
        #expect(viaURL.message.hasSuffix(", but the certificate was not verified"))
        let plain = await run("redis://cache", session: FakeRedisSession(), options: ["tls_verify": false])
        #expect(plain.status == .pass && plain.code == nil)
    }

    @Test func connectFailuresKeepTheirCodeAndGainTheAddress() async {
        let settings = ProbeSettings(id: "cache", config: ResolvedConfig(["REDIS_URL": "redis://cache:1"]))
        let connector = FakeRedisConnector(
            session: nil, failure: NetError.refused("Connection refused").failure(while: "connecting to cache:1", elapsed: .zero))
        guard case .ready(let probe) = RedisProbe.kind(.init(connector: connector)).setup(settings) else { return }
        let context = ProbeContext(id: "cache", deadline: .after(.seconds(1)), timeout: .seconds(1))
        await #expect(throws: ProbeFailure.self) { try await probe.check(context) }
        do {
            _ = try await probe.check(context)
        } catch let failure as ProbeFailure {
            #expect(failure.code == .connectionRefused)
            #expect(failure.details["address"] == "cache:1")
        } catch {}
    }

    @Test func kindIsRegistered() {
        #expect(BuiltInProbes.registry.kind("redis") != nil)
        #expect(BuiltInProbes.registry.problems.isEmpty)
    }
}
