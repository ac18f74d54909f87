import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `envcheck serve` as users run it: the built `envcheck` (which execs `envcheck-serve`) on a
/// free loopback port, in a directory, started and listening when the initialiser returns.
public final class ServeProcess: Sendable {
    public let program: BackgroundProgram
    public let port: Int
    public var address: ServeClient.Address { .tcp(host: "127.0.0.1", port: port) }

    /// `arguments` follow `serve`; `--listen` is added unless given.
    public init(
        _ arguments: [String], environment: [String: String] = [:], directory: String = "/", binary: String = EnvCheckBinary.path
    ) async throws {
        var arguments = arguments
        var port = 0
        if !arguments.contains("--listen") {
            port = try refusedPort()
            arguments += ["--listen", "127.0.0.1:\(port)"]
        }
        var environment = environment
        environment["PATH"] = environment["PATH"] ?? "/usr/bin:/bin"
        // exec keeps the pid: a signal sent to it reaches envcheck-serve.
        program = try BackgroundProgram("/bin/sh", ["-c", "cd \"$0\" && exec \"$@\"", directory, binary, "serve"] + arguments, environment: environment)
        self.port = port
        if port != 0 {
            _ = try await ServeClient.poll("/livez", at: .tcp(host: "127.0.0.1", port: port)) { $0.status == 200 }
        }
    }

    /// SIGTERM, then the exit.
    public func stop(limit: Duration = .seconds(10)) async throws -> BackgroundProgram.Exit {
        program.send(SIGTERM)
        return try await program.wait(limit: limit)
    }

    /// The resident set size now, in KiB (`VmRSS` of /proc/PID/status).
    public var residentKiB: Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(program.pid)/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return Int(line.split(separator: " ").dropFirst().first ?? "")
        }
        return nil
    }
}
