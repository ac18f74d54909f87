import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Minimal file access without Foundation.
public enum FileSystem {
    /// A file that could not be read: its path and the system's reason (`strerror`).
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "\(path): \(reason)" }
    }

    /// Reads a whole regular file.
    public static func read(_ path: String) throws(Failure) -> [UInt8] {
        try read(path, limit: nil)
    }

    /// Reads an input file a parser will check against ``Limits/fileBytes``: at most one byte
    /// more than the limit, so a huge file (or `/dev/zero`) costs no more than the limit.
    public static func readInput(_ path: String) throws(Failure) -> [UInt8] {
        try read(path, limit: Limits.fileBytes + 1)
    }

    /// Reads a file, stopping after `limit` bytes when there is one.
    public static func read(_ path: String, limit: Int?) throws(Failure) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(path: path, reason: errnoText()) }
        defer { close(fd) }
        var st = stat()
        if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR { throw Failure(path: path, reason: "is a directory") }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { readFD(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure(path: path, reason: errnoText())
            }
            if n == 0 { break }
            result.append(contentsOf: chunk[0..<n])
            if let limit, result.count >= limit {
                result.removeLast(result.count - limit)
                break
            }
        }
        return result
    }

    public static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// How long ago `path` was last modified (nil: it cannot be stat'ed; zero for a file
    /// from the future).
    public static func age(_ path: String) -> Duration? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let modified = Duration.seconds(st.st_mtim.tv_sec) + .nanoseconds(st.st_mtim.tv_nsec)
        let current = Duration.seconds(now.tv_sec) + .nanoseconds(now.tv_nsec)
        return max(.zero, current - modified)
    }

    public static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// Writes `text` to `path`, replacing it (or, with `append`, after what it holds: the
    /// GitHub job summary collects every step's).
    public static func write(_ text: String, to path: String, append: Bool = false) throws(Failure) {
        let fd = open(path, O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC) | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Failure(path: path, reason: errnoText()) }
        defer { close(fd) }
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { writeFD(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure(path: path, reason: errnoText())
            }
            bytes = bytes.dropFirst(n)
        }
    }

    public static func errnoText(_ code: Int32 = errno) -> String { String(cString: strerror(code)) }
}

/// Unbuffered writes to stdout and stderr (reports are built whole, then written once).
public enum Output {
    /// Output of an in-process run (tests): what would have gone to stdout and stderr.
    public final class Capture: Sendable {
        private let out = Mutex<[String]>(["", ""])
        public init() {}
        public var stdout: String { out.withLock { $0[0] } }
        public var stderr: String { out.withLock { $0[1] } }
        func append(_ fd: Int32, _ text: String) { out.withLock { $0[fd == 1 ? 0 : 1] += text } }
    }

    /// Where output goes in this task; nil (the process): file descriptors 1 and 2.
    @TaskLocal public static var capture: Capture?

    public static func stdout(_ text: String) { if let capture { capture.append(1, text) } else { write(1, text) } }
    public static func stderr(_ text: String) { if let capture { capture.append(2, text) } else { write(2, text) } }

    private static func write(_ fd: Int32, _ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { writeFD(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            bytes = bytes.dropFirst(n)
        }
    }

    /// Whether `fd` is a terminal.
    public static func isTerminal(_ fd: Int32) -> Bool { capture == nil && isatty(fd) == 1 }
}

#if canImport(Glibc)
    @inline(__always) func readFD(_ fd: Int32, _ p: UnsafeMutableRawPointer?, _ n: Int) -> Int { Glibc.read(fd, p, n) }
    @inline(__always) func writeFD(_ fd: Int32, _ p: UnsafeRawPointer?, _ n: Int) -> Int { Glibc.write(fd, p, n) }
#else
    @inline(__always) func readFD(_ fd: Int32, _ p: UnsafeMutableRawPointer?, _ n: Int) -> Int { Darwin.read(fd, p, n) }
    @inline(__always) func writeFD(_ fd: Int32, _ p: UnsafeRawPointer?, _ n: Int) -> Int { Darwin.write(fd, p, n) }
#endif

/// The machine's host name, for JUnit reports.
public enum Host {
    public static var name: String? {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The process environment (read once, at start-up).
    public static func environment() -> [String: String] {
        var result: [String: String] = [:]
        var p = environ
        while let entry = p.pointee {
            let text = String(cString: entry)
            if let eq = text.firstIndex(of: "=") {
                result[String(text[..<eq])] = String(text[text.index(after: eq)...])
            }
            p += 1
        }
        return result
    }
}
