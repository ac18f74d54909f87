import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A long-running server a test starts itself (redis-server, openssl s_server): launch,
/// wait until it is ready, kill.
///
/// Stopping is SIGKILL, never SIGTERM: a child started from the test runner's threads
/// inherits their blocked-signal mask, SIGTERM included, and would never exit. Its stdin
/// is a pipe kept open for its whole life (openssl s_server stops at end-of-file on stdin).
public final class TestServerProcess: @unchecked Sendable {
    private let process = Process()
    private let stdin = Pipe()
    private let log: String?

    /// Starts `path` with `arguments` in `directory`; stdout and stderr go to the file
    /// `log` (created), or nowhere.
    public init(_ path: String, _ arguments: [String], directory: String? = nil, log: String? = nil) throws {
        self.log = log
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.standardInput = stdin
        if let log {
            guard FileManager.default.createFile(atPath: log, contents: nil) else { throw TestServerError("cannot create \(log)") }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
            process.standardOutput = handle
            process.standardError = handle
        } else {
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
        }
        try process.run()
    }

    public var isRunning: Bool { process.isRunning }

    /// Polls `ready` until it holds; kills the server and throws (with the end of its log)
    /// when it exits or `timeout` seconds pass first. Blocks: call it off the cooperative pool.
    public func waitUntil(_ what: String, timeout: Double = 10, _ ready: () -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while !ready() {
            guard process.isRunning, Date() < deadline else {
                stop()
                let text = log.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) } ?? ""
                throw TestServerError("\(process.executableURL?.lastPathComponent ?? "server") did not \(what): \(text.suffix(600))")
            }
            usleep(20_000)
        }
    }

    /// Waits until something accepts TCP connections on 127.0.0.1:`port`.
    public func waitUntilListening(port: Int) throws {
        try waitUntil("listen on \(port)") { Self.canConnect(port) }
    }

    /// Sends SIGKILL without waiting (safe on the cooperative pool): Process reaps the child.
    public func kill() {
        if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
    }

    /// Kills the server and waits until it has exited. Blocks: call it off the cooperative pool.
    public func stop() {
        kill()
        process.waitUntilExit()
    }

    deinit { kill() }

    private static func canConnect(_ port: Int) -> Bool {
        guard let fd = connectLoopback(port: port) else { return false }
        close(fd)
        return true
    }
}
