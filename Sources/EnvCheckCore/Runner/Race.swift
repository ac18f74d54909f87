import Dispatch
import Synchronization

/// Resolves to whichever comes first: `operation`'s value, or `onDeadline()` at `deadline`.
///
/// The timer is a Dispatch timer, not a task on the cooperative pool, so it fires even when
/// a misbehaving operation holds pool threads. An operation that loses the race is cancelled
/// and abandoned (its blocking thread, if any, ends on its own).
public func race<T: Sendable>(deadline: Deadline, onDeadline: @escaping @Sendable () -> T,
                              _ operation: @escaping @Sendable () async -> T) async -> T {
    await withCheckedContinuation { (continuation: CheckedContinuation<T, Never>) in
        let once = ResumeOnce(continuation)
        let task = Task { once.resume(await operation()) }
        let nanos = deadline.remaining.components
        let delay = DispatchTimeInterval.nanoseconds(Int(nanos.seconds) * 1_000_000_000 + Int(nanos.attoseconds / 1_000_000_000))
        DispatchQueue.global().asyncAfter(deadline: .now() + delay) {
            if once.resume(onDeadline()) { task.cancel() }
        }
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
