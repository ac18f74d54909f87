import Foundation
import TestSupport

/// A throwaway `redis-server` started by a test: its own temp dir, free ports, a Unix
/// socket, a password and optional ACL users and TLS port. `stop()` kills it and removes
/// the directory; `withRedisServer` guarantees that on every path.
final class RedisTestServer: @unchecked Sendable {
    struct TLSFiles: Sendable {
        let caCert: String
        let cert: String
        let key: String
    }

    let directory: URL
    let port: Int?
    let tlsPort: Int?
    let socketPath: String
    private let process: Process

    /// `users`: ACL rules, e.g. `["alice", "on", ">pw", "~*", "+@all"]`, one array per user.
    init(password: String, users: [[String]] = [], tls: TLSFiles? = nil, plainPort: Bool = true) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("envcheck-redis-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        socketPath = directory.appendingPathComponent("redis.sock").path
        port = plainPort ? try refusedPort() : nil
        tlsPort = tls == nil ? nil : try refusedPort()
        var arguments = ["--port", String(port ?? 0), "--bind", "127.0.0.1", "--unixsocket", socketPath, "--unixsocketperm", "700",
                         "--dir", directory.path, "--save", "", "--appendonly", "no", "--requirepass", password]
        for user in users { arguments += ["--user"] + user }
        if let tls, let tlsPort {
            arguments += ["--tls-port", String(tlsPort), "--tls-cert-file", tls.cert, "--tls-key-file", tls.key,
                          "--tls-ca-cert-file", tls.caCert, "--tls-auth-clients", "no"]
        }
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/redis-server")
        process.arguments = arguments
        let log = directory.appendingPathComponent("redis.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        try waitUntilReady(log: log)
    }

    /// Redis creates its Unix socket after every listener is bound.
    private func waitUntilReady(log: URL) throws {
        let deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: socketPath) {
            guard process.isRunning, Date() < deadline else {
                let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                stop()
                throw TestServerError("redis-server did not start: \(text.suffix(600))")
            }
            usleep(20_000)
        }
    }

    func stop() {
        if process.isRunning {
            // SIGKILL, not terminate(): a child started from a Dispatch worker inherits its
            // blocked signals, SIGTERM included, and would never exit (nothing to save here).
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// A throwaway CA and a server certificate for localhost and 127.0.0.1, made with the
    /// openssl CLI in `directory`; `otherCA` is a second, unrelated CA.
    static func makeCertificates(in directory: TempDir) throws -> (files: TLSFiles, otherCA: String) {
        let path = { (name: String) in directory.path + "/" + name }
        try directory.write("san.ext", "subjectAltName=DNS:localhost,IP:127.0.0.1\n")
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try openssl(["req", "-x509"] + ec + ["-keyout", path("ca.key"), "-out", path("ca.crt"), "-subj", "/CN=envcheck test CA", "-days", "2"])
        try openssl(["req", "-x509"] + ec + ["-keyout", path("other.key"), "-out", path("other.crt"), "-subj", "/CN=unrelated CA", "-days", "2"])
        try openssl(["req"] + ec + ["-keyout", path("server.key"), "-out", path("server.csr"), "-subj", "/CN=localhost"])
        try openssl(["x509", "-req", "-in", path("server.csr"), "-CA", path("ca.crt"), "-CAkey", path("ca.key"),
                     "-CAcreateserial", "-out", path("server.crt"), "-days", "2", "-extfile", path("san.ext")])
        return (TLSFiles(caCert: path("ca.crt"), cert: path("server.crt"), key: path("server.key")), path("other.crt"))
    }

    private static func openssl(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TestServerError("openssl \(arguments[0]) failed") }
    }
}

/// Runs `body` with a fresh server and stops it afterwards, whatever happens. Starting and
/// stopping wait on a subprocess, so they run off the cooperative pool.
func withRedisServer<T: Sendable>(password: String, users: [[String]] = [], tls: RedisTestServer.TLSFiles? = nil,
                                  plainPort: Bool = true, _ body: (RedisTestServer) async throws -> T) async throws -> T {
    let server = try await offPool { try RedisTestServer(password: password, users: users, tls: tls, plainPort: plainPort) }
    do {
        let result = try await body(server)
        _ = try await offPool { server.stop() }
        return result
    } catch {
        _ = try? await offPool { server.stop() }
        throw error
    }
}
