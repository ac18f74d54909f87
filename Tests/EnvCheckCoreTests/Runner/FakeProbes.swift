import EnvCheckCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A probe that sleeps cooperatively, then returns `outcome`.
struct SleepingProbe: Probe {
    let duration: Duration
    var outcome = ProbeOutcome.pass("ok")
    func check(_ context: ProbeContext) async throws -> ProbeOutcome {
        try await Task.sleep(for: duration)
        return outcome
    }
}

/// A probe that blocks a thread in a C call (as a hung libpq connect would).
struct BlockingProbe: Probe {
    let seconds: Double
    func check(_ context: ProbeContext) async throws -> ProbeOutcome {
        let micros = UInt32(seconds * 1_000_000)
        await Blocking.run { usleep(micros) }
        return .pass("blocked and returned")
    }
}

/// A probe that never returns and ignores cancellation.
struct NeverReturningProbe: Probe {
    func check(_ context: ProbeContext) async throws -> ProbeOutcome {
        await withUnsafeContinuation { (_: UnsafeContinuation<Void, Never>) in }
        return .pass("unreachable")
    }
}

/// A probe that throws the given failure.
struct FailingProbe: Probe {
    let failure: ProbeFailure
    func check(_ context: ProbeContext) async throws -> ProbeOutcome { throw failure }
}

/// Fails until `passAfter` attempts were made, counting them.
final class FlakyProbe: Probe, @unchecked Sendable {
    let passAfter: Int
    private(set) var calls = 0
    init(passAfter: Int) { self.passAfter = passAfter }
    func check(_ context: ProbeContext) async throws -> ProbeOutcome {
        calls += 1
        if context.attempt >= passAfter { return .pass("up on attempt \(context.attempt)") }
        throw ProbeFailure(.connectionRefused, "refused")
    }
}

/// Counts how many probes are inside `check` at once, overall and per target, and when
/// each attempt of each started.
final class Gauge: Sendable {
    private struct State {
        var now = 0
        var peak = 0
        var perTarget: [String: Int] = [:]
        var peakPerTarget: [String: Int] = [:]
        var starts: [String: [ContinuousClock.Instant]] = [:]
    }
    private let state = Mutex(State())

    func enter(_ id: String, _ targets: [String]) {
        state.withLock { s in
            s.now += 1
            s.peak = max(s.peak, s.now)
            s.starts[id, default: []].append(.now)
            for t in targets {
                s.perTarget[t, default: 0] += 1
                s.peakPerTarget[t] = max(s.peakPerTarget[t, default: 0], s.perTarget[t, default: 0])
            }
        }
    }

    func leave(_ targets: [String]) {
        state.withLock { s in
            s.now -= 1
            for t in targets { s.perTarget[t, default: 0] -= 1 }
        }
    }

    var peak: Int { state.withLock { $0.peak } }
    func peak(_ target: String) -> Int { state.withLock { $0.peakPerTarget[target, default: 0] } }
    /// When the probe first started; nil if it never did.
    func started(_ id: String) -> ContinuousClock.Instant? { starts(id).first }
    /// When each of its attempts started.
    func starts(_ id: String) -> [ContinuousClock.Instant] { state.withLock { $0.starts[id, default: []] } }
}

/// `inner` as a probe of `targets`, counted by a gauge while it runs.
struct CountedProbe: Probe {
    let id: String
    let targets: [String]
    let gauge: Gauge
    var inner: any Probe = SleepingProbe(duration: .milliseconds(40))

    func check(_ context: ProbeContext) async throws -> ProbeOutcome {
        gauge.enter(id, targets)
        defer { gauge.leave(targets) }
        return try await inner.check(context)
    }
}

func plan(_ id: String, _ probe: any Probe, critical: Bool = true, timeout: Duration = .seconds(5)) -> ProbePlan {
    ProbePlan(id: id, kind: "fake", critical: critical, required: critical, timeout: timeout, setup: .ready(probe))
}

/// A registry of fake kinds for planner tests: `db` critical, `cache` not, both read one key.
let fakeRegistry = ProbeRegistry([
    ProbeKind(kind: "db", summary: "a fake database", critical: true, inputs: [ProbeInput("url", keys: ["DB_URL"])]) { settings in
        guard let url = settings.value(ProbeInput("url", keys: ["DB_URL"])) else { return .notConfigured("DB_URL is not set") }
        if url.value.hasPrefix("bad") { return .invalid(.misconfigured(.invalidURL, "DB_URL is not a URL")) }
        return .ready(SleepingProbe(duration: .milliseconds(1)))
    },
    ProbeKind(kind: "cache", summary: "a fake cache", critical: false, inputs: [ProbeInput("url", keys: ["CACHE_URL", "CACHE_FALLBACK"])]) { settings in
        guard settings.value(ProbeInput("url", keys: ["CACHE_URL", "CACHE_FALLBACK"])) != nil else { return .notConfigured("CACHE_URL is not set") }
        return .ready(SleepingProbe(duration: .milliseconds(1)))
    },
])

/// A write check that registers `object` for cleanup, then never returns; `removal` is what
/// removing it does (nil: it worked), after `removalTakes`. Records the deadlines its
/// removal was given.
final class StuckWriteProbe: Probe, Sendable {
    let object: String
    let removal: String?
    let removalTakes: Duration
    let removeItself: Bool
    private let deadlines = Mutex<[Deadline]>([])

    init(object: String = "envcheck-probe/x.txt", removal: String? = nil, removalTakes: Duration = .zero, removeItself: Bool = false) {
        self.object = object
        self.removal = removal
        self.removalTakes = removalTakes
        self.removeItself = removeItself
    }

    var removalDeadlines: [Deadline] { deadlines.withLock { $0 } }

    func check(_ context: ProbeContext) async throws -> ProbeOutcome {
        let token = context.cleanups.register(object, location: "in bucket b") { [self] deadline in
            deadlines.withLock { $0.append(deadline) }
            let micros = UInt32(removalTakes.milliseconds * 1000)
            if micros > 0 { _ = await Blocking.run { usleep(micros) } }
            return removal.map(Message.untrusted)
        }
        if removeItself, let token { context.cleanups.done(token) }
        await withUnsafeContinuation { (_: UnsafeContinuation<Void, Never>) in }
        return .pass("unreachable")
    }
}
