import Dispatch
import Synchronization

/// How a ``race(deadline:interruption:_:)`` ended.
public enum RaceEnd<T: Sendable>: Sendable {
    /// The operation returned first.
    case finished(T)
    /// The deadline came first.
    case deadline
    /// The run was interrupted first (or already was: the operation did not start).
    case interrupted(Interruption.Cause)
}

/// Resolves to whichever comes first: `operation`'s value, `deadline`, or `interruption`.
///
/// The timer is a Dispatch timer, not a task on the cooperative pool, so it fires even when
/// a misbehaving operation holds pool threads; an interruption resumes the race on the
/// thread that interrupts. An operation that loses the race is cancelled and abandoned (its
/// blocking thread, if any, ends on its own).
public func race<T: Sendable>(
    deadline: Deadline, interruption: Interruption? = nil,
    _ operation: @escaping @Sendable () async -> T
) async -> RaceEnd<T> {
    if let cause = interruption?.cause { return .interrupted(cause) }
    let observation = Mutex<Interruption.Token?>(nil)
    let end = await withCheckedContinuation { (continuation: CheckedContinuation<RaceEnd<T>, Never>) in
        let once = ResumeOnce(continuation)
        let task = Task { once.resume(.finished(await operation())) }
        deadline.whenPassed {
            if once.resume(.deadline) { task.cancel() }
        }
        if let interruption {
            let token = interruption.observe { cause in
                if once.resume(.interrupted(cause)) { task.cancel() }
            }
            observation.withLock { $0 = token }
        }
    }
    if let interruption, let token = observation.withLock({ $0 }) { interruption.stopObserving(token) }
    return end
}

/// Resolves to whichever comes first: `operation`'s value, or `onDeadline()` at `deadline`.
public func race<T: Sendable>(
    deadline: Deadline, onDeadline: @escaping @Sendable () -> T,
    _ operation: @escaping @Sendable () async -> T
) async -> T {
    switch await race(deadline: deadline, operation) {
    case .finished(let value): value
    case .deadline, .interrupted: onDeadline()
    }
}

extension Deadline {
    /// Runs `body` on a Dispatch worker once this deadline has passed: a timer that fires
    /// even when the cooperative pool is starved (races, slot waits).
    func whenPassed(_ body: @escaping @Sendable () -> Void) {
        let nanos = remaining.components
        let delay = DispatchTimeInterval.nanoseconds(Int(nanos.seconds) * 1_000_000_000 + Int(nanos.attoseconds / 1_000_000_000))
        DispatchQueue.global().asyncAfter(deadline: .now() + delay, execute: body)
    }
}

private final class ResumeOnce<T: Sendable>: Sendable {
    private let state: Mutex<CheckedContinuation<T, Never>?>
    init(_ continuation: CheckedContinuation<T, Never>) { state = Mutex(continuation) }

    /// Resumes the continuation the first time; returns whether this call did.
    @discardableResult
    func resume(_ value: T) -> Bool {
        let continuation = state.withLock { c -> CheckedContinuation<T, Never>? in
            defer { c = nil }
            return c
        }
        continuation?.resume(returning: value)
        return continuation != nil
    }
}
