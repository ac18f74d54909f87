import Dispatch
import EnvCheckCore
import Testing

@testable import EnvCheckProbes

#if canImport(Glibc)
    import Glibc
#endif

/// The Redis write check and the runner's cleanup after SIGTERM/SIGINT: the probe's GET is
/// where the signal finds it (its thread stays stuck there), so the `DEL` that follows comes
/// from the runner, over a connection of its own.
@Suite(.requires(.serialRun)) struct RedisWriteCheckInterruptionTests {
    func runInterrupted(_ url: String, _ session: FakeRedisSession) async -> ProbeResult {
        let interruption = Interruption()
        let stuck = DispatchSemaphore(value: 0)
        session.onCall = { arguments in
            guard arguments[0] == "GET" else { return }
            interruption.interrupt(signal: SIGTERM)
            stuck.wait()  // the probe's own thread, never released
        }
        let settings = ProbeSettings(id: "cache", config: ResolvedConfig(["REDIS_URL": url]))
        guard case .ready(let probe) = RedisProbe.kind(.init(connector: FakeRedisConnector(session: session))).setup(settings) else {
            Issue.record("setup failed")
            return ProbeResult(id: "cache", kind: "redis", critical: false, status: .skip, durationMs: 0, attempts: 0, message: "")
        }
        let plan = ProbePlan(id: "cache", kind: "redis", critical: false, required: false, timeout: .seconds(5), setup: .ready(probe))
        return await Runner(runDeadline: .after(.seconds(10)), writeCheck: true, interruption: interruption).run([plan])[0]
    }

    @Test func theRunnerDeletesTheKeyLoggedInAsTheProbe() async throws {
        let session = FakeRedisSession()
        let result = await runInterrupted("redis://:pw@cache/2", session)
        #expect(result.status == .fail && result.code == .interrupted, "\(result)")
        let key = try #require(session.calls.first { $0[0] == "SET" }?[1])
        #expect(result.details["removed"] == .array([.string(key)]))
        #expect(
            result.message.hasSuffix("; removed the write-check object \(key) at cache:6379 (it expires by itself within 60s)"),
            "\(result.message)")
        // After the probe's GET: a new login, the same db, then DEL.
        let afterGet = session.calls.drop { $0[0] != "GET" }.dropFirst()
        #expect(Array(afterGet) == [["AUTH", "pw"], ["SELECT", "2"], ["DEL", key]])
    }

    @Test func aKeyTheRunnerCannotDeleteIsNamed() async throws {
        let session = FakeRedisSession(["DEL": .success(.error("NOPERM this user has no permissions to run the 'del' command"))])
        let result = await runInterrupted("redis://cache", session)
        #expect(result.code == .cleanupFailed, "\(result)")
        let key = try #require(session.calls.first { $0[0] == "SET" }?[1])
        #expect(result.details["left_behind"] == .array([.string(key)]))
        #expect(
            result.message.contains("the write-check object \(key) at cache:6379 (it expires by itself within 60s) is left behind: "),
            "\(result.message)")
    }
}
