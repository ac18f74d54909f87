#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The process's one source of SIGTERM and SIGINT (a cancelled CI job, a kubelet stopping
/// the pod, Ctrl-C): they become an ``Interruption`` instead of killing the process, so
/// that the run can still write its reports and remove what its write checks created.
///
/// The signals are blocked in every thread and taken with `sigwait` on a thread of their
/// own, rather than by a handler: nothing runs in signal context, and no C call of a probe
/// is interrupted with `EINTR`.
public enum SignalSource {
    /// The signals a run stops on.
    public static let stopSignals: [Int32] = [SIGTERM, SIGINT]

    /// Blocks `signals` in the calling thread, and so in every thread created after it (they
    /// inherit the mask), and waits for them on a thread of its own, which feeds
    /// `interruption`; signals after the first change nothing. Call it once, at the start of
    /// `main`, before any other thread exists: a thread that still had them unblocked would
    /// take the default action and end the process on the spot.
    ///
    /// A signal the process was started with ignored (`nohup`, or SIGINT for `cmd &` in a
    /// non-interactive shell) stays ignored, as the parent asked. The blocked mask is
    /// inherited across `exec`: a program started from this one must install its own source.
    public static func install(_ signals: [Int32] = stopSignals, into interruption: Interruption = .process) {
        var set = sigset_t()
        sigemptyset(&set)
        let listened = signals.filter { !isIgnored($0) }
        for signal in listened { sigaddset(&set, signal) }
        guard !listened.isEmpty, pthread_sigmask(SIG_BLOCK, &set, nil) == 0 else { return }
        let waited = set
        Blocking.startThread {
            var set = waited
            while true {
                var signal: Int32 = 0
                if sigwait(&set, &signal) == 0 { interruption.interrupt(signal: signal) }
            }
        }
    }

    /// Whether `signal`'s disposition is "ignore".
    static func isIgnored(_ signal: Int32) -> Bool {
        var current = sigaction()
        guard sigaction(signal, nil, &current) == 0 else { return false }
        #if canImport(Glibc)
            let handler = current.__sigaction_handler.sa_handler
        #else
            let handler = current.__sigaction_u.__sa_handler
        #endif
        return unsafeBitCast(handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
    }
}
