import Synchronization
import TestSupport
import Testing

@testable import EnvCheckCore

#if canImport(Glibc)
    import Glibc
#endif

@Suite("runner: concurrency limits", .serialized, .requires(.serialRun))
struct RunnerConcurrencyTests {
    func runner(_ deadline: Duration, global: Int = ConcurrencyLimits.defaultGlobal, perTarget: Int = ConcurrencyLimits.defaultPerTarget) -> Runner {
        var runner = Runner(runDeadline: .after(deadline))
        runner.limits = ConcurrencyLimits(global: global, perTarget: perTarget)
        return runner
    }

    // The probes of the two peak tests take 200 ms: long enough that all admitted at once
    // are inside at once on a loaded machine, so the peak is the limit, not less.
    static let aWhile = SleepingProbe(duration: .milliseconds(200))

    @Test func atMostPerTargetProbesTalkToOneServerAtOnce() async {
        let gauge = Gauge()
        let plans = (1...12).map { plan("p\($0)", CountedProbe(id: "p\($0)", targets: ["db:5432"], gauge: gauge, inner: Self.aWhile)) }
        let results = await runner(.seconds(10)).run(plans)
        #expect(results.allSatisfy { $0.status == .pass }, "\(results.map(\.message))")
        #expect(gauge.peak("db:5432") == 4)
    }

    @Test func atMostMaxConcurrentProbesRunAtAll() async {
        let gauge = Gauge()
        let plans =
            (1...12).map { i in plan("p\(i)", CountedProbe(id: "p\(i)", targets: ["host\(i):1"], gauge: gauge, inner: Self.aWhile)) }
            + (1...3).map { i in plan("local\(i)", CountedProbe(id: "local\(i)", targets: [], gauge: gauge, inner: Self.aWhile)) }
        let results = await runner(.seconds(10), global: 5).run(plans)
        #expect(results.allSatisfy { $0.status == .pass })
        #expect(gauge.peak == 5)
    }

    @Test func withoutPressureEveryProbeStartsAtOnce() async {
        let gauge = Gauge()
        // 400 ms each: long enough that all ten are inside at once on a loaded machine.
        let plans = (1...10).map { i in
            plan("p\(i)", CountedProbe(id: "p\(i)", targets: ["host\(i % 3):1"], gauge: gauge, inner: SleepingProbe(duration: .milliseconds(400))))
        }
        let results = await runner(.seconds(10)).run(plans)
        #expect(results.allSatisfy { $0.status == .pass })
        #expect(gauge.peak == 10)
    }

    /// Each probe gets its whole timeout from when it starts: ten 100 ms probes through one
    /// slot take a second, yet none of their 300 ms timeouts fire.
    @Test func theTimeoutStartsWhenTheProbeGetsItsSlot() async {
        let gauge = Gauge()
        let plans = (1...10).map { i in
            plan(
                "p\(i)", CountedProbe(id: "p\(i)", targets: ["one:1"], gauge: gauge, inner: SleepingProbe(duration: .milliseconds(100))),
                timeout: .milliseconds(300))
        }
        let results = await runner(.seconds(10), perTarget: 1).run(plans)
        #expect(results.allSatisfy { $0.status == .pass }, "\(results.map(\.message))")
        #expect(gauge.peak("one:1") == 1)
        #expect((results.map(\.durationMs).max() ?? 0) >= 900)
        let waits = results.compactMap { r -> Int? in if case .int(let ms) = r.details["slot_wait_ms"] { ms } else { nil } }
        // Nine queued behind others (the first may queue a millisecond for its free slot).
        #expect(waits.filter { $0 >= 50 }.count == 9 && (waits.max() ?? 0) >= 850, "\(waits)")
    }

    /// Two hung probes of one server through one slot (which of them gets it first is the
    /// scheduler's choice).
    @Test func aProbeStillWaitingAtTheRunDeadlineIsATimeoutThatNeverStarted() async {
        let gauge = Gauge()
        let plans = ["h1", "h2"].map { plan($0, CountedProbe(id: $0, targets: ["db:5432"], gauge: gauge, inner: NeverReturningProbe()), timeout: .seconds(5)) }
        let start = ContinuousClock.now
        let results = await runner(.milliseconds(400), perTarget: 1).run(plans)
        #expect(ContinuousClock.now - start < .milliseconds(1500))
        #expect(results.allSatisfy { $0.status == .fail && $0.code == .timeout })
        let ran = results.filter { $0.message.hasPrefix("stopped by the run deadline") }
        let waited = results.filter { $0.message.hasPrefix("not started: waiting for a slot") }
        #expect(ran.count == 1 && waited.count == 1, "\(results.map(\.message))")
        #expect(waited.first?.message.contains("1 probe was running against db:5432 (--max-per-target 1)") == true, "\(results.map(\.message))")
        #expect(waited.first?.hint?.contains("--max-per-target") == true)
        #expect(waited.first.map { gauge.started($0.id) == nil } == true)
    }

    @Test func aFullRunSaysSoWhenAProbeNeverStarted() async {
        let gauge = Gauge()
        let plans = ["a", "b"].map { plan($0, CountedProbe(id: $0, targets: ["\($0):1"], gauge: gauge, inner: NeverReturningProbe())) }
        let results = await runner(.milliseconds(300), global: 1).run(plans)
        let waited = results.filter { $0.message.hasPrefix("not started") }
        #expect(waited.count == 1 && waited[0].message.contains("1 probe was running (--max-concurrent 1)"), "\(results.map(\.message))")
    }

    /// Hung probes of one server hold its four slots for their whole timeout, and four more
    /// wait behind them; the probes of every other server start at once all the same.
    @Test func aHungDependencyNeverDelaysProbesOfOtherDependencies() async {
        let gauge = Gauge()
        let hung = (1...8).map { i in
            plan("hung\(i)", CountedProbe(id: "hung\(i)", targets: ["hung:1"], gauge: gauge, inner: NeverReturningProbe()), timeout: .milliseconds(1500))
        }
        let others = (1...12).map { i in plan("ok\(i)", CountedProbe(id: "ok\(i)", targets: ["other\(i):1"], gauge: gauge)) }
        let start = ContinuousClock.now
        let results = await runner(.seconds(2), global: 8).run(hung + others)
        for result in results where result.id.hasPrefix("ok") {
            #expect(result.status == .pass)
            // Started long before the hung probes' 1.5 s timeouts freed anything.
            if let started = gauge.started(result.id) { #expect(started - start < .milliseconds(700), "\(result.id)") }
        }
        // Four at a time: the next four started only when the first four timed out.
        let hungStarts = (1...8).compactMap { gauge.started("hung\($0)") }.map { $0 - start }
        #expect(hungStarts.filter { $0 < .milliseconds(1400) }.count == 4, "\(hungStarts)")
        let hungResults = results.filter { $0.id.hasPrefix("hung") }
        #expect(hungResults.filter { $0.message.hasPrefix("no answer within") }.count == 4, "\(hungResults.map(\.message))")
        #expect(hungResults.allSatisfy { $0.code == .timeout })
    }

    @Test func anInterruptionEndsTheWaitAtOnce() async {
        let gauge = Gauge()
        let interruption = Interruption()
        var runner = Runner(runDeadline: .after(.seconds(30)), interruption: interruption)
        runner.limits = ConcurrencyLimits(global: 4, perTarget: 1)
        let plans = ["h1", "h2"].map { plan($0, CountedProbe(id: $0, targets: ["db:1"], gauge: gauge, inner: NeverReturningProbe())) }
        Task {
            try await Task.sleep(for: .milliseconds(150))
            interruption.interrupt(signal: SIGTERM)
        }
        let start = ContinuousClock.now
        let results = await runner.run(plans)
        #expect(ContinuousClock.now - start < .seconds(2))
        #expect(results.allSatisfy { $0.code == .interrupted })
        let waited = results.filter { $0.message == "interrupted by SIGTERM before it started (it was waiting for a slot)" }
        #expect(waited.count == 1, "\(results.map(\.message))")
        #expect(waited.first.map { gauge.started($0.id) == nil } == true)
    }

    /// One slot, a probe that fails twice with 400 ms backoffs and one that takes 5 ms: the
    /// second runs during a backoff, so it waits at most one failed attempt, never a backoff.
    /// Which of the two gets the slot first is the scheduler's choice; only a run where the
    /// flaky one did shows anything, so up to five runs are made to get one.
    @Test func underWaitEachAttemptTakesItsSlotAgainAndGivesItBackWhileItBacksOff() async {
        var runner = Runner(runDeadline: .after(.seconds(10)), wait: .seconds(5))
        runner.initialBackoff = .milliseconds(400)
        runner.maxBackoff = .milliseconds(400)
        runner.limits = ConcurrencyLimits(global: 1, perTarget: 1)
        for _ in 1...5 {
            let gauge = Gauge()
            let flaky = CountedProbe(id: "flaky", targets: [], gauge: gauge, inner: FlakyProbe(passAfter: 3))
            let other = CountedProbe(id: "other", targets: [], gauge: gauge, inner: SleepingProbe(duration: .milliseconds(5)))
            let results = await runner.run([plan("flaky", flaky), plan("other", other)])
            #expect(results.map(\.status) == [.pass, .pass])
            #expect(results[0].attempts == 3)
            let attempts = gauge.starts("flaky")
            guard let first = attempts.first, let started = gauge.started("other"), first < started else { continue }
            #expect(attempts.count == 3 && started < attempts[1], "the other probe did not run during the first backoff")
            #expect(results[1].durationMs < 150, "the other probe waited \(results[1].durationMs)ms: the slot was held through a backoff")
            return
        }
        Issue.record("in five runs the flaky probe never got the slot first")
    }

    /// With `--max-concurrent` no larger than `--max-per-target`, one server still never
    /// holds every slot: a hung one leaves room for the others.
    @Test func aServerNeverHoldsEverySlotOfTheRun() async {
        let gauge = Gauge()
        let hung = (1...6).map { i in plan("hung\(i)", CountedProbe(id: "hung\(i)", targets: ["hung:1"], gauge: gauge, inner: NeverReturningProbe())) }
        let other = plan("other", CountedProbe(id: "other", targets: ["other:1"], gauge: gauge))
        let start = ContinuousClock.now
        let results = await runner(.milliseconds(600), global: 4, perTarget: 4).run(hung + [other])
        #expect(results.last?.status == .pass)
        if let started = gauge.started("other") { #expect(started - start < .milliseconds(300)) }
        let waited = results.filter { $0.message.hasPrefix("not started") }
        #expect(waited.count == 3, "\(results.map(\.message))")
        #expect(waited.first?.message.contains("(--max-per-target 4, at most 3 with --max-concurrent 4)") == true, "\(results.map(\.message))")
    }

    @Test func limitsAreAtLeastOne() {
        let limits = ConcurrencyLimits(global: 0, perTarget: -3)
        #expect(limits.global == 1 && limits.perTarget == 1)
    }
}

@Suite("slots")
struct SlotsTests {
    @Test func waitersAreAdmittedInArrivalOrder() async throws {
        let slots = Slots(ConcurrencyLimits(global: 4, perTarget: 1))
        #expect(await slots.acquire(["a"], by: .after(.seconds(5)), interruption: nil).isGranted)
        final class Order: Sendable {
            let admitted = Mutex<[Int]>([])
        }
        let order = Order()
        var tasks: [Task<Void, Never>] = []
        for n in 1...3 {
            tasks.append(
                Task { [slots, order] in
                    if await slots.acquire(["a"], by: .after(.seconds(5)), interruption: nil).isGranted {
                        order.admitted.withLock { $0.append(n) }
                        slots.release(["a"])
                    }
                })
            try await waitUntil("\(n) waiting", limit: .seconds(5)) { slots.waiting == n }
        }
        slots.release(["a"])
        for task in tasks { await task.value }
        #expect(order.admitted.withLock { $0 } == [1, 2, 3])
    }

    @Test func releasedSlotsGoToTheFirstWaiterThatFits() async throws {
        let slots = Slots(ConcurrencyLimits(global: 2, perTarget: 1))
        #expect(await slots.acquire(["a"], by: .after(.seconds(5)), interruption: nil).isGranted)
        #expect(await slots.acquire(["b"], by: .after(.seconds(5)), interruption: nil).isGranted)
        #expect(slots.running == 2)
        let waiter = Task { await slots.acquire(["a"], by: .after(.seconds(5)), interruption: nil).isGranted }
        try await waitUntil("a waiter", limit: .seconds(5)) { slots.waiting == 1 }
        slots.release(["b"])  // room in the run, but "a" is still busy
        try? await Task.sleep(for: .milliseconds(50))
        #expect(slots.running == 1)
        slots.release(["a"])
        #expect(await waiter.value)
        #expect(slots.running == 1)
    }

    @Test func aWaiterForSeveralServersHoldsNoneWhileItWaits() async throws {
        let slots = Slots(ConcurrencyLimits(global: 8, perTarget: 1))
        #expect(await slots.acquire(["a"], by: .after(.seconds(5)), interruption: nil).isGranted)
        let both = Task { await slots.acquire(["b", "a"], by: .after(.seconds(5)), interruption: nil).isGranted }
        try await waitUntil("a waiter", limit: .seconds(5)) { slots.waiting == 1 }
        // "b" is free although a waiter wants it with "a".
        #expect(await slots.acquire(["b"], by: .after(.milliseconds(100)), interruption: nil).isGranted)
        slots.release(["a"])
        try? await Task.sleep(for: .milliseconds(50))
        #expect(slots.running == 1)  // "b" still held: the waiter takes both or nothing
        slots.release(["b"])
        #expect(await both.value)
        #expect(slots.running == 1)
    }

    @Test func aWaitThatTimesOutTakesNothing() async {
        let slots = Slots(ConcurrencyLimits(global: 1, perTarget: 1))
        #expect(await slots.acquire([], by: .after(.seconds(5)), interruption: nil).isGranted)
        let start = ContinuousClock.now
        let end = await slots.acquire([], by: .after(.milliseconds(100)), interruption: nil)
        #expect(!end.isGranted && ContinuousClock.now - start >= .milliseconds(95))
        slots.release([])
        #expect(slots.running == 0)
        #expect(await slots.acquire(["x"], by: .after(.seconds(5)), interruption: nil).isGranted)
    }

    /// The slot a probe stopped by the signal gives back goes to no one, even when that
    /// release comes before the signal reached the waiter (CI saw this order: the waiter then
    /// started after the signal). An observer registered before the waiter's runs first and
    /// frees the slot, so that order is made every time.
    @Test func aSlotFreedBySignalIsNeverGranted() async throws {
        let slots = Slots(ConcurrencyLimits(global: 4, perTarget: 1))
        let interruption = Interruption()
        #expect(await slots.acquire(["a"], by: .after(.seconds(5)), interruption: interruption).isGranted)
        interruption.observe { _ in slots.release(["a"]) }
        let waiter = Task { await slots.acquire(["a"], by: .after(.seconds(5)), interruption: interruption) }
        try await waitUntil("a waiter", limit: .seconds(5)) { slots.waiting == 1 }
        interruption.interrupt(signal: SIGTERM)
        let end = await waiter.value
        guard case .interrupted(let cause) = end else {
            Issue.record("the wait ended \(end), not interrupted")
            return
        }
        #expect(cause.signal == SIGTERM)
        #expect(slots.running == 0 && slots.waiting == 0)
        guard case .interrupted = await slots.acquire(["b"], by: .after(.seconds(5)), interruption: interruption) else {
            Issue.record("a free slot was granted after the signal")
            return
        }
        #expect(slots.running == 0)
    }

    /// A server named twice by one probe holds one of its slots, not two: the second of two
    /// slots is still free.
    @Test func duplicateTargetsCountOnce() async {
        let slots = Slots(ConcurrencyLimits(global: 4, perTarget: 2))
        #expect(await slots.acquire(["a", "a"], by: .after(.seconds(1)), interruption: nil).isGranted)
        #expect(await slots.acquire(["a"], by: .after(.milliseconds(100)), interruption: nil).isGranted)
        slots.release(["a"])
        slots.release(["a", "a"])
        #expect(slots.running == 0)
        #expect(await slots.acquire(["a"], by: .after(.milliseconds(100)), interruption: nil).isGranted)
        #expect(await slots.acquire(["a"], by: .after(.milliseconds(100)), interruption: nil).isGranted)
    }
}

extension Slots.Wait {
    var isGranted: Bool {
        if case .granted = self { return true }
        return false
    }
}

@Suite("probe targets")
struct ProbeTargetTests {
    @Test func keysNameOneServerOneWay() {
        #expect(ProbeTarget.key(host: "DB.internal", port: 5432) == "db.internal:5432")
        #expect(ProbeTarget.key(host: "::1", port: 6379) == "[::1]:6379")
        #expect(ProbeTarget.key(socket: "/run/redis.sock") == "unix:/run/redis.sock")
    }
}
