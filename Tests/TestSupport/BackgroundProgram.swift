import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A program started in the background, to be signalled while it runs (what envcheck does
/// on SIGTERM and SIGINT). It starts with the default disposition of SIGTERM and SIGINT and
/// no blocked signals, whatever the test runner inherited (a shell's background job ignores
/// SIGINT). A thread waits for its exit from the start, so ``Exit/at`` is when it ended,
/// not when the test got round to asking.
public final class BackgroundProgram: @unchecked Sendable {
    /// How it ended, what it printed, and when it ended.
    public struct Exit: Sendable {
        /// The exit status, when it exited.
        public let status: Int32?
        /// The signal that ended it, when one did.
        public let signal: Int32?
        public let stdout: String
        public let stderr: String
        public let at: ContinuousClock.Instant
    }

    public let pid: pid_t
    private let stdout: Drain
    private let stderr: Drain
    private let exited = DispatchSemaphore(value: 0)
    private var waitStatus: Int32 = 0  // written by the waiting thread before `exited` is signalled
    private var exitedAt = ContinuousClock.now

    public init(_ path: String, _ arguments: [String], environment: [String: String]) throws {
        let (outRead, outWrite) = try Self.pipe()
        let (errRead, errWrite) = try Self.pipe()
        defer {
            close(outWrite)
            close(errWrite)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outWrite, 1)
        posix_spawn_file_actions_adddup2(&actions, errWrite, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        var mask = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGTERM)
        sigaddset(&defaults, SIGINT)
        sigemptyset(&mask)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var pid = pid_t()
        let rc = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        guard rc == 0 else {
            close(outRead)
            close(errRead)
            throw TestServerError("posix_spawn \(path): \(String(cString: strerror(rc)))")
        }
        self.pid = pid
        stdout = Drain(outRead)
        stderr = Drain(errRead)
        Thread.detachNewThread { [self, pid] in
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            exitedAt = .now
            waitStatus = status
            exited.signal()
        }
    }

    /// Sends `signal` and returns when it was sent.
    @discardableResult
    public func send(_ signal: Int32) -> ContinuousClock.Instant {
        let now = ContinuousClock.now
        kill(pid, signal)
        return now
    }

    /// Waits for the program to end, at most `limit` (then kills it and throws).
    public func wait(limit: Duration = .seconds(30)) async throws -> Exit {
        let ended = try await offPool { [self] in exited.wait(timeout: .now() + .milliseconds(Int(limit.milliseconds))) == .success }
        guard ended else {
            kill(pid, SIGKILL)
            throw TestServerError("the program did not end within \(limit)")
        }
        exited.signal()  // for a later call, or deinit
        let status = waitStatus
        let low = status & 0x7f
        return Exit(
            status: low == 0 ? (status >> 8) & 0xff : nil, signal: low != 0 && low != 0x7f ? low : nil,
            stdout: try await offPool { [stdout] in stdout.wait() }, stderr: try await offPool { [stderr] in stderr.wait() },
            at: exitedAt)
    }

    deinit {
        if exited.wait(timeout: .now()) != .success {
            kill(pid, SIGKILL)
            exited.wait()
        }
    }

    private static func pipe() throws -> (Int32, Int32) {
        var fds: [Int32] = [0, 0]
        guard Glibc.pipe(&fds) == 0 else { throw TestServerError("pipe: \(String(cString: strerror(errno)))") }
        // Close-on-exec, so that no other program a test starts holds the write end open.
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return (fds[0], fds[1])
    }

    /// Reads a descriptor to its end on a thread of its own.
    private final class Drain: @unchecked Sendable {
        private var data = Data()  // written by the reading thread before `done` is signalled
        private let done = DispatchSemaphore(value: 0)

        init(_ fd: Int32) {
            let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
            Thread.detachNewThread { [self] in
                data = handle.readDataToEndOfFile()
                done.signal()
            }
        }

        func wait() -> String {
            done.wait()
            done.signal()
            return String(decoding: data, as: UTF8.self)
        }
    }
}
