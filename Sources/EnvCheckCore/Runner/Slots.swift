import Synchronization

/// How many probes may talk to their dependencies at once: in all (`--max-concurrent`) and
/// to one `host:port` (`--max-per-target`) (docs/concurrency.md).
public struct ConcurrencyLimits: Sendable, Equatable {
    /// Probes running at once, over every target.
    public var global: Int
    /// Probes running at once against one target (``Probe/targets``).
    public var perTarget: Int

    /// Chosen from measurement (docs/concurrency.md): past this, a 2-core machine gains
    /// no wall time and pays a thread and a connection per extra probe.
    public static let defaultGlobal = 32
    /// A few connections per server: what a pooler or `max_connections` tolerates from
    /// one client, and enough to keep a server's round trips overlapped.
    public static let defaultPerTarget = 4

    public init(global: Int = Self.defaultGlobal, perTarget: Int = Self.defaultPerTarget) {
        self.global = max(1, global)
        self.perTarget = max(1, perTarget)
    }

    /// The slots one target may hold: never every slot of the run (when there are two or
    /// more), so that a hung server always leaves room for the others.
    var targetShare: Int { global > 1 ? min(perTarget, global - 1) : perTarget }
}

/// The run's slots. A probe attempt waits until the run and each of its targets have room,
/// and takes all of its slots at once: a probe waiting on a busy target never holds a slot
/// that a probe of another dependency could use, so a hung dependency delays only probes of
/// itself (at most ``ConcurrencyLimits/perTarget`` of the run's slots are ever its own).
/// Waiters are served first come, first served among those that fit.
final class Slots: Sendable {
    /// How waiting for slots ended.
    enum Wait: Sendable {
        case granted
        /// The deadline passed first; `blocker` says which limit was full.
        case deadline(blocker: Message)
        case interrupted(Interruption.Cause)
    }

    private struct Waiter {
        let id: Int
        let targets: [String]
        let deadline: Deadline
        let continuation: CheckedContinuation<Wait, Never>
        let interruption: Interruption?
        var token: Interruption.Token?
    }

    private struct State {
        var running = 0
        var perTarget: [String: Int] = [:]
        var waiters: [Waiter] = []
        var nextID = 0

        func fits(_ targets: [String], _ limits: ConcurrencyLimits) -> Bool {
            running < limits.global && targets.allSatisfy { perTarget[$0, default: 0] < limits.targetShare }
        }

        mutating func take(_ targets: [String]) {
            running += 1
            for target in targets { perTarget[target, default: 0] += 1 }
        }

        /// Removes the waiters whose deadline has passed, each with what kept it waiting: a
        /// slot freed at the deadline itself (by a probe the same deadline stopped) is too
        /// late to start anything in.
        mutating func expire(_ limits: ConcurrencyLimits) -> [(Waiter, Message)] {
            let now = Deadline.now
            var expired: [(Waiter, Message)] = []
            for waiter in waiters where waiter.deadline <= now { expired.append((waiter, blocker(of: waiter.targets, limits))) }
            if !expired.isEmpty { waiters.removeAll { $0.deadline <= now } }
            return expired
        }

        /// Removes the waiters whose run was interrupted, each with its cause. Their
        /// interruption's observers may not have reached them yet (a slot freed by the same
        /// signal comes first): a slot is never granted after the signal.
        mutating func interrupted() -> [(Waiter, Interruption.Cause)] {
            let stopped = waiters.compactMap { waiter in waiter.interruption?.cause.map { (waiter, $0) } }
            if !stopped.isEmpty { waiters.removeAll { $0.interruption?.cause != nil } }
            return stopped
        }

        /// Removes and returns every waiter that now fits, in arrival order, having taken
        /// its slots.
        mutating func admit(_ limits: ConcurrencyLimits) -> [Waiter] {
            var admitted: [Waiter] = []
            var index = 0
            while index < waiters.count, running < limits.global {
                if fits(waiters[index].targets, limits) {
                    take(waiters[index].targets)
                    admitted.append(waiters.remove(at: index))
                } else {
                    index += 1
                }
            }
            return admitted
        }

        func blocker(of targets: [String], _ limits: ConcurrencyLimits) -> Message {
            func running(_ n: Int) -> Message { n == 1 ? "1 probe was running" : "\(n) probes were running" }
            if let full = targets.first(where: { perTarget[$0, default: 0] >= limits.targetShare }) {
                let limit: Message =
                    limits.targetShare < limits.perTarget
                    ? "--max-per-target \(limits.perTarget), at most \(limits.targetShare) with --max-concurrent \(limits.global)"
                    : "--max-per-target \(limits.perTarget)"
                return "\(running(perTarget[full, default: 0])) against \(full) (\(limit))"
            }
            return "\(running(self.running)) (--max-concurrent \(limits.global))"
        }
    }

    let limits: ConcurrencyLimits
    private let state = Mutex(State())

    init(_ limits: ConcurrencyLimits) { self.limits = limits }

    /// Waits for a slot of the run and one of each target, until `deadline` or an
    /// interruption. A run already interrupted gets no slot: nothing starts after the
    /// signal. After ``Wait/granted``, the caller must ``release(_:)`` the same targets.
    func acquire(_ targets: [String], by deadline: Deadline, interruption: Interruption?) async -> Wait {
        let targets = Array(Set(targets)).sorted()
        let limits = self.limits
        return await withCheckedContinuation { (continuation: CheckedContinuation<Wait, Never>) in
            // Every queued waiter is queued because it does not fit (each release admits,
            // under the same lock, whoever fits): one that fits now passes no one who could run.
            // The wait ends now (`Wait`), or the waiter is queued under an id.
            let entry = state.withLock { s -> (ended: Wait?, id: Int) in
                if let cause = interruption?.cause { return (.interrupted(cause), 0) }
                if s.fits(targets, limits) {
                    s.take(targets)
                    return (.granted, 0)
                }
                defer { s.nextID += 1 }
                s.waiters.append(Waiter(id: s.nextID, targets: targets, deadline: deadline, continuation: continuation, interruption: interruption))
                return (nil, s.nextID)
            }
            if let ended = entry.ended { return continuation.resume(returning: ended) }
            let id = entry.id
            // A wait that ended first makes these no-ops (the waiter is gone by then).
            let token = interruption?.observe { [self] cause in finish(id, with: .interrupted(cause)) }
            let stillWaiting = state.withLock { s -> Bool in
                guard let index = s.waiters.firstIndex(where: { $0.id == id }) else { return false }
                s.waiters[index].token = token
                return true
            }
            if !stillWaiting, let token { interruption?.stopObserving(token) }
            deadline.whenPassed { [self] in
                let blocker = state.withLock { s in s.blocker(of: targets, limits) }
                finish(id, with: .deadline(blocker: blocker))
            }
        }
    }

    /// Gives back the slots ``acquire(_:by:interruption:)`` granted, and admits whoever fits now.
    func release(_ targets: [String]) {
        let targets = Array(Set(targets))
        let limits = self.limits
        let (expired, stopped, admitted) = state.withLock { s in
            let expired = s.expire(limits)
            let stopped = s.interrupted()
            s.running -= 1
            for target in targets { s.perTarget[target, default: 1] -= 1 }
            return (expired, stopped, s.admit(limits))
        }
        for (waiter, blocker) in expired { resume(waiter, .deadline(blocker: blocker)) }
        for (waiter, cause) in stopped { resume(waiter, .interrupted(cause)) }
        for waiter in admitted { resume(waiter, .granted) }
    }

    /// Probes running now, and probes waiting (tests).
    var running: Int { state.withLock { $0.running } }
    var waiting: Int { state.withLock { $0.waiters.count } }

    /// Ends one wait without slots, unless it already ended.
    private func finish(_ id: Int, with end: Wait) {
        let waiter = state.withLock { s -> Waiter? in
            guard let index = s.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return s.waiters.remove(at: index)
        }
        if let waiter { resume(waiter, end) }
    }

    private func resume(_ waiter: Waiter, _ end: Wait) {
        if let token = waiter.token { waiter.interruption?.stopObserving(token) }
        waiter.continuation.resume(returning: end)
    }
}
