import Synchronization
import Testing

@testable import EnvCheckCore

@Suite struct ServeStateTests {
    func result(_ id: String, _ status: ProbeStatus, critical: Bool = true, code: String? = nil, attempts: Int = 1) -> ProbeResult {
        ProbeResult(
            id: id, kind: id, critical: critical, status: status, durationMs: 12, attempts: attempts, message: "\(id) \(status.rawValue)",
            code: code.map(ErrorCode.init(rawValue:)))
    }

    @Test func startingThenReadyThenStale() async {
        let state = ServeState(interval: .seconds(30))
        #expect(await state.readiness(now: 0) == .init(status: 503, line: "starting: no round of probes has finished yet"))
        let early = await state.health(now: 0)
        let noReport = await state.report()
        #expect(early.status == 503 && noReport == nil)
        await state.record([result("db", .pass), result("cache", .skip, critical: false)], required: ["db": true, "cache": false], at: 1_000)
        #expect(await state.readiness(now: 2_000) == .init(status: 200, line: "ready: db"))
        #expect(await state.health(now: 2_000) == .init(status: 200, line: "healthy: db"))
        #expect(await state.readiness(now: 1_000 + 90_001).line.hasPrefix("stale: the last round finished 90s ago"))
    }

    @Test func readinessLooksAtRequiredProbesAndHealthAtCriticalOnes() async {
        let state = ServeState(interval: .seconds(10))
        await state.record(
            [result("db", .pass), result("cache", .fail, critical: false, code: "connection_refused"), result("ai", .fail, critical: false)],
            required: ["db": true, "cache": true, "ai": false], at: 0)
        #expect(await state.readiness(now: 1) == .init(status: 503, line: "not ready: cache connection_refused"))
        #expect(await state.health(now: 1) == .init(status: 200, line: "healthy: db"))
    }

    @Test func aWeakCredentialNeverMakesHealthFailButReadinessSeesIt() async {
        let state = ServeState(interval: .seconds(10))
        await state.record([result("db", .fail, code: "weak_credential")], required: ["db": true], at: 0)
        #expect(await state.health(now: 1).status == 200)
        #expect(await state.readiness(now: 1).status == 503)
        await state.record([result("db", .warn, code: "tls_verify_disabled")], required: ["db": true], at: 2)
        let lenient = await state.health(now: 3)
        let strict = await state.health(now: 3, failOnWarn: true)
        #expect(lenient.status == 200 && strict.status == 503)
    }

    @Test func attemptsAccumulateAcrossRoundsInTheMetrics() async {
        let state = ServeState(interval: .seconds(10))
        await state.record([result("db", .pass, attempts: 1)], required: ["db": true], at: 5_000)
        await state.record([result("db", .fail, code: "timeout", attempts: 1)], required: ["db": true], at: 15_000)
        let metrics = await state.metrics()
        #expect(metrics.contains(#"envcheck_probe_attempts_total{probe="db",kind="db",critical="true"} 2"#))
        #expect(metrics.contains(#"envcheck_probe_up{probe="db",kind="db",critical="true"} 0"#))
        #expect(metrics.contains(#"envcheck_probe_last_run_timestamp_seconds{probe="db",kind="db",critical="true"} 15.000"#))
        let rounds = await state.rounds
        #expect(rounds == 2)
    }

    /// However slow a round is, the next starts only after it: never two at once.
    @Test func roundsAreSingleFlight() async {
        let state = ServeState(interval: .milliseconds(20))
        let running = Mutex(0)
        let most = Mutex(0)
        let count = Mutex(0)
        let stop: @Sendable () -> Bool = { count.withLock { $0 >= 4 } }
        await ServeLoop.run(
            every: .milliseconds(20), state: state,
            round: {
                let now = running.withLock {
                    $0 += 1
                    return $0
                }
                most.withLock { $0 = max($0, now) }
                try? await Task.sleep(for: .milliseconds(60))  // longer than the interval
                running.withLock { $0 -= 1 }
                count.withLock { $0 += 1 }
                return ([], [:], [])
            }, stop: stop)
        let rounds = await state.rounds
        #expect(most.withLock { $0 } == 1 && rounds == 4)
    }
}
