import EnvCheckCore
import EnvCheckProbes
import TestSupport
import Testing

/// The `redis` probe against real `redis-server` processes the tests start themselves.
@Suite(.requires(.redisServer, .serialRun)) struct RedisIntegrationTests {
    let password = Canary.make("redispw")
    let alicePassword = Canary.make("alicepw")
    var canaries: [String] { [password, alicePassword] }
    var users: [[String]] { [["alice", "on", ">" + alicePassword, "~*", "+@all"]] }

    @Test func passwordLoginPingInfoAndWriteCheck() async throws {
        try await withRedisServer(password: password) { server in
            let run = await RedisHarness.run("redis://:\(password)@127.0.0.1:\(server.port!)/2", writeCheck: true, canaries: canaries)
            #expect(run.outcome.status == .pass, "\(run.outcome.message)")
            #expect(run.outcome.details["redis_version"]?.stringValue?.isEmpty == false)
            #expect(run.outcome.details["role"] == "master")
            #expect(run.outcome.details["tls"] == false)
            #expect(run.outcome.details["db"] == 2)
            #expect(run.outcome.details["write_check"] == "ok")
            for key in ["connect_ms", "auth_ms", "select_ms", "ping_ms", "write_ms"] { #expect(run.outcome.details[key] != nil) }
        }
    }

    @Test func wrongPasswordIsAuthFailed() async throws {
        try await withRedisServer(password: password) { server in
            let wrong = Canary.make("wrongpw")
            let run = await RedisHarness.run("redis://:\(wrong)@127.0.0.1:\(server.port!)", canaries: canaries + [wrong])
            #expect(run.outcome.status == .fail)
            #expect(run.outcome.code == .authFailed)
            #expect(run.outcome.message.contains("WRONGPASS"))
        }
    }

    @Test func missingPasswordIsAuthFailed() async throws {
        try await withRedisServer(password: password) { server in
            let run = await RedisHarness.run("redis://127.0.0.1:\(server.port!)", canaries: canaries)
            #expect(run.outcome.code == .authFailed)
            #expect(run.outcome.message.contains("NOAUTH"))
        }
    }

    @Test func aclUserLogsInAndUnknownUserIsAuthFailed() async throws {
        try await withRedisServer(password: password, users: users) { server in
            let port = server.port!
            let good = await RedisHarness.run("redis://alice:\(alicePassword)@127.0.0.1:\(port)", canaries: canaries)
            #expect(good.outcome.status == .pass, "\(good.outcome.message)")
            #expect(good.outcome.details["user"] == "alice")
            let unknown = await RedisHarness.run("redis://mallory:\(alicePassword)@127.0.0.1:\(port)", canaries: canaries)
            #expect(unknown.outcome.status == .fail)
            #expect(unknown.outcome.code == .authFailed)
            let wrong = await RedisHarness.run("redis://alice:\(password)@127.0.0.1:\(port)", canaries: canaries)
            #expect(wrong.outcome.code == .authFailed)
        }
    }

    @Test func outOfRangeDatabaseIsInvalidDB() async throws {
        try await withRedisServer(password: password) { server in
            let run = await RedisHarness.run("redis://:\(password)@127.0.0.1:\(server.port!)?db=99", canaries: canaries)
            #expect(run.outcome.status == .fail)
            #expect(run.outcome.code?.rawValue == "invalid_db")
            #expect(run.outcome.details["auth_ms"] != nil)
        }
    }

    @Test func unixSocketWithPasswordAndDB() async throws {
        try await withRedisServer(password: password, plainPort: false) { server in
            let run = await RedisHarness.run("unix://:\(password)@\(server.socketPath)?db=1", writeCheck: true, canaries: canaries)
            #expect(run.outcome.status == .pass, "\(run.outcome.message)")
            #expect(run.outcome.details["address"]?.stringValue == server.socketPath)
            #expect(run.outcome.details["db"] == 1)
            let missing = await RedisHarness.run("unix://\(server.socketPath).missing", canaries: canaries)
            #expect(missing.outcome.code == .connectionRefused)
        }
    }

    @Test func refusedPortIsConnectionRefused() async throws {
        let port = try refusedPort()
        let run = await RedisHarness.run("redis://:\(password)@127.0.0.1:\(port)", canaries: canaries)
        #expect(run.outcome.status == .fail)
        #expect(run.outcome.code == .connectionRefused)
        #expect(run.outcome.details["address"] == .string("127.0.0.1:\(port)"))
    }

    @Test func malformedURLIsAnError() async {
        let run = await RedisHarness.run("redis://:\(password)@127.0.0.1:notaport", canaries: canaries)
        #expect(run.outcome.status == .error)
        #expect(run.outcome.code == .invalidURL)
    }
}

/// The probe's own deadlines against a server that accepts and never answers. `*TimingTests`
/// suites run alone (scripts/test.sh), so a loaded machine does not blur the timing.
@Suite(.requires(.serialRun)) struct RedisTimingTests {
    let password = Canary.make("hungpw")

    @Test func hungServerEndsAtTheDeadlineWaitingForAUTH() async throws {
        let hung = try HungListener()
        let run = await RedisHarness.run("redis://:\(password)@127.0.0.1:\(hung.port)", timeout: .seconds(1), canaries: [password])
        #expect(run.outcome.status == .fail)
        #expect(run.outcome.code == .timeout)
        #expect(run.outcome.message.contains("AUTH"), "\(run.outcome.message)")
        #expect(run.elapsed >= .milliseconds(900) && run.elapsed < .milliseconds(1400), "took \(run.elapsed)")
        #expect(hung.acceptedCount == 1)
    }

    @Test func hungServerEndsDuringTheTLSHandshake() async throws {
        let hung = try HungListener()
        let run = await RedisHarness.run("rediss://:\(password)@127.0.0.1:\(hung.port)", timeout: .seconds(1), canaries: [password])
        #expect(run.outcome.code == .timeout)
        #expect(run.outcome.message.contains("TLS"), "\(run.outcome.message)")
        #expect(run.elapsed >= .milliseconds(900) && run.elapsed < .milliseconds(1400), "took \(run.elapsed)")
    }

    @Test func socketTimeoutInTheURLEndsTheWaitSooner() async throws {
        let hung = try HungListener()
        let run = await RedisHarness.run("redis://127.0.0.1:\(hung.port)?socket_timeout=0.3", timeout: .seconds(2), canaries: [password])
        #expect(run.outcome.code == .timeout)
        #expect(run.elapsed >= .milliseconds(250) && run.elapsed < .milliseconds(800), "took \(run.elapsed)")
    }
}
