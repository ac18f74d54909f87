import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A listed directory kept open while its files wait to be scanned, so that each file is
/// opened with `openat` instead of by a path walked from `/` (a third of the per-file
/// system-call time). At most ``limit`` are open at once: past that, files are opened
/// by path, so that a huge tree cannot use up the process's descriptors.
final class DirectoryHandle: Sendable {
    static let limit = 64
    private static let openCount = Atomic<Int>(0)

    let fd: Int32

    private init(fd: Int32) { self.fd = fd }

    deinit {
        close(fd)
        Self.openCount.subtract(1, ordering: .relaxed)
    }

    /// A descriptor of its own for the directory open as `fd`; nil at the limit or on error.
    static func duplicate(_ fd: Int32) -> DirectoryHandle? {
        guard openCount.add(1, ordering: .relaxed).newValue <= limit else {
            openCount.subtract(1, ordering: .relaxed)
            return nil
        }
        let copy = fcntl(fd, F_DUPFD_CLOEXEC, 0)
        guard copy >= 0 else {
            openCount.subtract(1, ordering: .relaxed)
            return nil
        }
        return DirectoryHandle(fd: copy)
    }

    /// How many are open now (tests).
    static var open: Int { openCount.load(ordering: .relaxed) }
}
