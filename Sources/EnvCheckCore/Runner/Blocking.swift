import Dispatch

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs blocking work (C calls that connect, poll, resolve names) on a thread of its own.
///
/// Swift's cooperative pool has one thread per core: two blocked probes would stall every
/// other probe and the deadline timer (docs/protocols.md §10). Work handed to `run` never
/// occupies that pool, so the runner can always give up on it at the deadline; the thread
/// is detached and ends when the C call returns (every probe bounds its own calls too).
public enum Blocking {
    public static func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { (continuation: CheckedContinuation<T, Never>) in
            startThread { continuation.resume(returning: work()) }
        }
    }

    /// Same, for throwing work.
    public static func run<T: Sendable, E: Error>(_ work: @escaping @Sendable () throws(E) -> T) async throws(E) -> T {
        let result: Result<T, E> = await run { () -> Result<T, E> in Result { () throws(E) -> T in try work() } }
        return try result.get()
    }

    private final class Box: @unchecked Sendable {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }

    /// Starts a detached thread of its own running `body` (the signal thread uses it too).
    static func startThread(_ body: @escaping @Sendable () -> Void) {
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        pthread_attr_setstacksize(&attributes, 512 * 1024)
        #if canImport(Glibc)
            var thread = pthread_t()
        #else
            var thread: pthread_t?
        #endif
        let rc = pthread_create(
            &thread, &attributes,
            { raw in
                let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
                box.body()
                return nil
            }, box)
        if rc != 0 {
            // No thread to be had: run on a Dispatch worker instead of failing the probe.
            let box = Unmanaged<Box>.fromOpaque(box).takeRetainedValue()
            DispatchQueue.global().async { box.body() }
        }
    }
}
