import Foundation
import TestSupport

/// A throwaway `redis-server` started by a test: its own temp dir, free ports, a Unix
/// socket, a password and optional ACL users and TLS port. `stop()` kills it and removes
/// the directory; `withRedisServer` guarantees that on every path.
final class RedisTestServer: Sendable {
    let directory: URL
    let port: Int?
    let tlsPort: Int?
    let socketPath: String
    private let server: TestServerProcess

    /// `users`: ACL rules, e.g. `["alice", "on", ">pw", "~*", "+@all"]`, one array per user.
    /// `tls`: serve TLS on `tlsPort` with its server certificate. Blocks until ready.
    init(password: String, users: [[String]] = [], tls: TestCertificates? = nil, plainPort: Bool = true) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("envcheck-redis-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        socketPath = directory.appendingPathComponent("redis.sock").path
        port = plainPort ? try refusedPort() : nil
        tlsPort = tls == nil ? nil : try refusedPort()
        var arguments = [
            "--port", String(port ?? 0), "--bind", "127.0.0.1", "--unixsocket", socketPath, "--unixsocketperm", "700",
            "--dir", directory.path, "--save", "", "--appendonly", "no", "--requirepass", password,
        ]
        for user in users { arguments += ["--user"] + user }
        if let tls, let tlsPort {
            arguments += [
                "--tls-port", String(tlsPort), "--tls-cert-file", tls.serverCertificate, "--tls-key-file", tls.serverKey,
                "--tls-ca-cert-file", tls.caFile, "--tls-auth-clients", "no",
            ]
        }
        server = try TestServerProcess("/usr/bin/redis-server", arguments, log: directory.appendingPathComponent("redis.log").path)
        // Redis creates its Unix socket after every listener is bound.
        let socketPath = socketPath
        do {
            try server.waitUntil("start") { FileManager.default.fileExists(atPath: socketPath) }
        } catch {
            stop()
            throw error
        }
    }

    /// Kills the server (SIGKILL: see `TestServerProcess`) and removes its directory. Blocks.
    func stop() {
        server.stop()
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Runs `body` with a fresh server and stops it afterwards, whatever happens. Starting and
/// stopping wait on a subprocess, so they run off the cooperative pool.
func withRedisServer<T: Sendable>(
    password: String, users: [[String]] = [], tls: TestCertificates? = nil,
    plainPort: Bool = true, _ body: (RedisTestServer) async throws -> T
) async throws -> T {
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
