import Dispatch
import Synchronization
import Testing

@testable import EnvCheckCore

#if canImport(Glibc)
    import Glibc
#endif

/// SIGTERM and SIGINT as the runner sees them: an ``Interruption`` the test sets from a
/// Dispatch thread, as the signal thread does. (In the `RunnerTests` suite, so that these
/// timing tests run with the others on a quiet machine.)
extension RunnerTests {
    func interrupt(_ interruption: Interruption, after delay: Duration, signal: Int32 = SIGTERM) {
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(Int(delay.milliseconds))) {
            interruption.interrupt(signal: signal)
        }
    }

    @Test func unfinishedProbesAreInterruptedAndSettledResultsKept() async throws {
        let interruption = Interruption()
        let runner = Runner(runDeadline: .after(.seconds(30)), interruption: interruption)
        interrupt(interruption, after: .milliseconds(300))
        var results: [ProbeResult] = []
        let took = await elapsed {
            results = await runner.run([
                plan("hung", NeverReturningProbe(), timeout: .seconds(20)),
                plan("blocked", BlockingProbe(seconds: 30), timeout: .seconds(20)),
                plan("fast", SleepingProbe(duration: .milliseconds(10))),
                plan("denied", FailingProbe(failure: ProbeFailure(.authFailed, "password authentication failed"))),
            ])
        }
        for result in results[0...1] {
            #expect(result.status == .fail && result.code == .interrupted, "\(result)")
            #expect(result.message.hasPrefix("interrupted by SIGTERM after "), "\(result.message)")
            #expect(result.message.hasSuffix("ms, before the probe finished"), "\(result.message)")
            #expect(result.details["interrupted_by"] == "SIGTERM")
            #expect(result.hint?.contains("run the check again") == true)
            #expect(result.durationMs >= 290 && result.durationMs < 1000, "\(result.durationMs)")
        }
        #expect(results[2].status == .pass)
        #expect(results[3].code == .authFailed)
        // Without the interruption the run takes the probes' 20 s timeout.
        #expect(took < .milliseconds(1000), "took \(took)")
    }

    @Test func interruptedBeforeTheRunNoProbeStarts() async {
        let interruption = Interruption()
        interruption.interrupt(signal: SIGINT)
        let flaky = FlakyProbe(passAfter: 1)
        let results = await Runner(runDeadline: .after(.seconds(5)), interruption: interruption).run([
            plan("ready", flaky),
            ProbePlan(
                id: "unset", kind: "redis", critical: false, required: false, timeout: .seconds(1),
                setup: .notConfigured("REDIS_URL is not set")),
        ])
        #expect(flaky.calls == 0)
        #expect(results[0].code == .interrupted)
        #expect(results[0].message == "interrupted by SIGINT before it started")
        #expect(results[1].status == .skip)
    }

    @Test func anInterruptEndsTheWaitBackoff() async {
        let interruption = Interruption()
        var runner = Runner(runDeadline: .after(.seconds(60)), wait: .seconds(30), interruption: interruption)
        runner.initialBackoff = .seconds(10)
        interrupt(interruption, after: .milliseconds(300))
        var results: [ProbeResult] = []
        let took = await elapsed { results = await runner.run([plan("down", FlakyProbe(passAfter: 1000))]) }
        #expect(results[0].status == .fail && results[0].code == .interrupted)
        #expect(results[0].message.contains("ms while waiting to retry; the last attempt failed: refused"), "\(results[0].message)")
        #expect(results[0].attempts == 1)
        // The backoff alone is 5 to 10 s.
        #expect(took < .milliseconds(1500), "took \(took)")
    }

    @Test func whatAWriteCheckLeftIsRemovedByTheCleanupDeadline() async throws {
        let interruption = Interruption()
        let probe = StuckWriteProbe()
        interrupt(interruption, after: .milliseconds(200))
        let results = await Runner(runDeadline: .after(.seconds(30)), writeCheck: true, interruption: interruption)
            .run([plan("s3", probe, timeout: .seconds(20))])
        #expect(results[0].status == .fail && results[0].code == .interrupted)
        #expect(
            results[0].message.hasSuffix("ms, before the probe finished; removed the write-check object envcheck-probe/x.txt in bucket b"),
            "\(results[0].message)")
        #expect(results[0].details["removed"] == .array(["envcheck-probe/x.txt"]))
        let cause = try #require(interruption.cause)
        #expect(probe.removalDeadlines == [cause.cleanupDeadline])
        #expect(cause.cleanupDeadline.instant == cause.at + Interruption.budget - Interruption.reportReserve)
    }

    @Test func aCleanupThatCannotFinishInTimeIsCleanupFailedNamingTheObject() async throws {
        let interruption = Interruption()
        interrupt(interruption, after: .milliseconds(200))
        let results = await Runner(runDeadline: .after(.seconds(30)), writeCheck: true, interruption: interruption)
            .run([plan("s3", StuckWriteProbe(removalTakes: .seconds(5)), timeout: .seconds(20))])
        let ended = ContinuousClock.now
        let cause = try #require(interruption.cause)
        #expect(results[0].status == .fail && results[0].code == .cleanupFailed)
        #expect(results[0].message.hasPrefix("interrupted by SIGTERM after "))
        #expect(
            results[0].message.contains("; the write-check object envcheck-probe/x.txt in bucket b is left behind: not removed within the 250ms"),
            "\(results[0].message)")
        #expect(results[0].details["left_behind"] == .array(["envcheck-probe/x.txt"]))
        #expect(results[0].details["interrupted_by"] == "SIGTERM")
        #expect(results[0].hint == "delete envcheck-probe/x.txt in bucket b by hand")
        // Ended at the cleanup deadline (220 ms after the signal), not after the removal's 5 s.
        #expect(ended - cause.at < .milliseconds(700), "ended \(ended - cause.at) after the signal")
    }

    @Test func aRemovalThatFailsIsCleanupFailedWithItsReason() async {
        let interruption = Interruption()
        interrupt(interruption, after: .milliseconds(100))
        let results = await Runner(runDeadline: .after(.seconds(30)), writeCheck: true, interruption: interruption)
            .run([plan("s3", StuckWriteProbe(removal: "DELETE failed: access denied"), timeout: .seconds(20))])
        #expect(results[0].code == .cleanupFailed)
        #expect(results[0].message.hasSuffix("; the write-check object envcheck-probe/x.txt in bucket b is left behind: DELETE failed: access denied"))
    }

    @Test func anObjectTheProbeRemovedItselfIsLeftAlone() async {
        let interruption = Interruption()
        let probe = StuckWriteProbe(removeItself: true)
        interrupt(interruption, after: .milliseconds(100))
        let results = await Runner(runDeadline: .after(.seconds(30)), writeCheck: true, interruption: interruption)
            .run([plan("s3", probe, timeout: .seconds(20))])
        #expect(results[0].code == .interrupted)
        #expect(results[0].message.hasSuffix(", before the probe finished"))
        #expect(results[0].details["removed"] == nil)
        #expect(probe.removalDeadlines.isEmpty)
    }
}

@Suite("interruption")
struct InterruptionTests {
    @Test func theFirstSignalWins() throws {
        let interruption = Interruption()
        #expect(interruption.cause == nil)
        #expect(interruption.interrupt(signal: SIGINT))
        #expect(!interruption.interrupt(signal: SIGTERM))
        let cause = try #require(interruption.cause)
        #expect(cause.signal == SIGINT && cause.signalName == "SIGINT")
        #expect(Interruption.Cause(signal: SIGTERM, at: .now).signalName == "SIGTERM")
        #expect(Interruption.Cause(signal: 10, at: .now).signalName == "signal 10")
    }

    @Test func observersAreCalledOnceAndCanStop() {
        let interruption = Interruption()
        let calls = Mutex<[String]>([])
        interruption.observe { _ in calls.withLock { $0.append("a") } }
        let token = interruption.observe { _ in calls.withLock { $0.append("b") } }
        interruption.stopObserving(token)
        interruption.interrupt(signal: SIGTERM)
        interruption.interrupt(signal: SIGTERM)
        #expect(calls.withLock { $0 } == ["a"])
        // Observing an interrupted run calls back at once.
        interruption.observe { cause in calls.withLock { $0.append("late \(cause.signalName)") } }
        #expect(calls.withLock { $0 } == ["a", "late SIGTERM"])
    }

    @Test func registrationsEndWhenTheCleanupsAreTaken() {
        let cleanups = Cleanups()
        let removed = cleanups.register("k1") { _ in nil }
        _ = cleanups.register("k2", location: "at cache:6379") { _ in nil }
        #expect(cleanups.pending == ["k1", "k2"])
        cleanups.done(removed!)
        #expect(cleanups.pending == ["k2"])
        #expect(cleanups.close().map(\.described) == ["k2 at cache:6379"])
        #expect(cleanups.pending.isEmpty)
        // After an interruption a write check is told to create nothing.
        #expect(cleanups.register("k3") { _ in nil } == nil)
    }

    @Test(.requires(.serialRun)) func anInterruptionEndsARaceAtOnce() async {
        let interruption = Interruption()
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(50)) { interruption.interrupt(signal: SIGTERM) }
        let end = await race(deadline: .after(.seconds(10)), interruption: interruption) { () -> Int in
            try? await Task.sleep(for: .seconds(10))
            return 1
        }
        guard case .interrupted(let cause) = end else {
            Issue.record("expected .interrupted, got \(end)")
            return
        }
        #expect(cause.signal == SIGTERM)
        let finished = await race(deadline: .after(.seconds(1)), interruption: Interruption()) { 2 }
        guard case .finished(2) = finished else {
            Issue.record("expected .finished(2), got \(finished)")
            return
        }
    }

    @Test func anInterruptedRaceDoesNotStartItsOperation() async {
        let interruption = Interruption()
        interruption.interrupt(signal: SIGINT)
        let started = Mutex(false)
        let end = await race(deadline: .after(.seconds(1)), interruption: interruption) { started.withLock { $0 = true } }
        guard case .interrupted = end else {
            Issue.record("expected .interrupted, got \(end)")
            return
        }
        #expect(!started.withLock { $0 })
    }
}
