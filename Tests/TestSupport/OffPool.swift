import Foundation

/// Runs blocking test work (waiting for a subprocess, a socket) on a thread of its own.
///
/// Swift Testing runs tests in parallel on the cooperative pool, which has one thread per
/// core: a test that blocks it (waiting for a child process) would stall every other test,
/// including the ones that measure the runner's timing. Blocking helpers go through this.
public func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread {
            do { continuation.resume(returning: try work()) } catch { continuation.resume(throwing: error) }
        }
    }
}
