#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A point on the monotonic clock by which something must end.
public struct Deadline: Sendable, Comparable {
    public let instant: ContinuousClock.Instant

    public init(_ instant: ContinuousClock.Instant) { self.instant = instant }

    public static func after(_ duration: Duration) -> Deadline { Deadline(.now + duration) }
    public static var now: Deadline { Deadline(.now) }

    public var remaining: Duration { max(.zero, instant - .now) }
    public var hasPassed: Bool { ContinuousClock.now >= instant }

    /// Milliseconds left, for `poll(2)`-style timeouts: never negative, at least 1 while time
    /// remains so that a poll does not spin at 0.
    public var remainingMilliseconds: Int32 {
        let left = instant - .now
        guard left > .zero else { return 0 }
        return Int32(clamping: max(1, left.milliseconds))
    }

    public static func < (a: Deadline, b: Deadline) -> Bool { a.instant < b.instant }

    /// The earlier of two deadlines.
    public func capped(by other: Deadline) -> Deadline { Swift.min(self, other) }
}

/// What waiting on a file descriptor gave.
public enum PollResult: Sendable, Equatable {
    /// Ready for the events asked (or in error: the next call on the descriptor says which).
    case ready
    case timedOut
    /// `poll(2)` itself failed (strerror text).
    case failed(String)
}

extension Deadline {
    /// Waits until `fd` is ready for `events` (`POLLIN`, `POLLOUT`) or this deadline
    /// passes, retrying after signals: the one poll loop every nonblocking connection uses.
    public func wait(for events: Int16, on fd: Int32) -> PollResult {
        var descriptor = pollfd(fd: fd, events: events, revents: 0)
        while true {
            let ms = remainingMilliseconds
            guard ms > 0 else { return .timedOut }
            let rc = poll(&descriptor, 1, ms)
            if rc > 0 { return .ready }
            if rc < 0 && errno != EINTR { return .failed(String(cString: strerror(errno))) }
        }
    }
}
