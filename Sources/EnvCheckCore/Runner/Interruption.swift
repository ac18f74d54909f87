import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A run stopped from outside (SIGTERM from a kubelet or a cancelled CI job, SIGINT from a
/// terminal): set once, by ``SignalSource`` for the process or by a test, and observed by
/// the runner like a deadline. Probes that have not finished become `fail`/`interrupted`,
/// results already settled are kept, and what a write check created is removed within what
/// remains of ``budget``.
public final class Interruption: Sendable {
    /// From the signal to the process's exit.
    public static let budget = Duration.milliseconds(250)
    /// The part of the budget kept for the reports (and the exit) after the cleanups.
    public static let reportReserve = Duration.milliseconds(30)
    /// When a command has still not ended this long after the signal (a report path on a
    /// stalled pipe or file system), the process exits anyway with its interrupted status.
    public static let backstop = budget * 2

    /// The process's own, which ``SignalSource`` feeds; commands and the runner read it.
    public static let process = Interruption()

    /// Which signal stopped the run, and when it arrived.
    public struct Cause: Sendable, Equatable {
        public let signal: Int32
        public let at: ContinuousClock.Instant

        /// `SIGTERM`, `SIGINT`, else `signal N`.
        public var signalName: String {
            switch signal {
            case SIGTERM: "SIGTERM"
            case SIGINT: "SIGINT"
            case SIGHUP: "SIGHUP"
            case SIGQUIT: "SIGQUIT"
            default: "signal \(signal)"
            }
        }

        /// By when the cleanups of unfinished write checks must be done.
        public var cleanupDeadline: Deadline { Deadline(at + Interruption.budget - Interruption.reportReserve) }
    }

    /// A registered observer, to stop observing with ``stopObserving(_:)``.
    public struct Token: Sendable, Hashable {
        fileprivate let id: Int
    }

    private struct State {
        var cause: Cause?
        var nextToken = 0
        var observers: [Int: @Sendable (Cause) -> Void] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    /// Why the run was stopped; nil while it was not.
    public var cause: Cause? { state.withLock { $0.cause } }

    /// Stops the run: the first call wins, later ones change nothing (a second Ctrl-C does
    /// not cut the reports short). Observers are called on this thread. Returns whether
    /// this call was the first.
    @discardableResult
    public func interrupt(signal: Int32, at instant: ContinuousClock.Instant = .now) -> Bool {
        let (cause, observers) = state.withLock { s -> (Cause?, [@Sendable (Cause) -> Void]) in
            guard s.cause == nil else { return (nil, []) }
            let cause = Cause(signal: signal, at: instant)
            s.cause = cause
            defer { s.observers = [:] }
            return (cause, s.observers.sorted { $0.key < $1.key }.map(\.value))
        }
        guard let cause else { return false }
        for observer in observers { observer(cause) }
        return true
    }

    /// Calls `body` once when the run is interrupted; at once, on this thread, when it
    /// already was.
    @discardableResult
    public func observe(_ body: @escaping @Sendable (Cause) -> Void) -> Token {
        let (token, cause) = state.withLock { s -> (Token, Cause?) in
            let token = Token(id: s.nextToken)
            s.nextToken += 1
            if s.cause == nil { s.observers[token.id] = body }
            return (token, s.cause)
        }
        if let cause { body(cause) }
        return token
    }

    /// `body` of that token will not be called (if it has not been already).
    public func stopObserving(_ token: Token) {
        _ = state.withLock { $0.observers.removeValue(forKey: token.id) }
    }
}
