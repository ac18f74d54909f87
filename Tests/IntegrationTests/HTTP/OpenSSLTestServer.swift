import Foundation
import TestSupport

/// An HTTPS server for tests: `openssl s_server -www` with a server certificate signed by a
/// throwaway CA, both made with the openssl CLI in a temporary directory. `-www` answers
/// `GET /` with a status page (HTTP/1.0 200).
final class OpenSSLTestServer: @unchecked Sendable {
    let directory: URL
    let port: Int
    var caFile: String { directory.appendingPathComponent("ca.crt").path }
    var baseURL: String { "https://127.0.0.1:\(port)" }
    private let process = Process()
    private let stdin = Pipe()

    /// Makes the certificates and starts the server off the cooperative pool (it waits on
    /// subprocesses and polls a socket).
    static func start() async throws -> OpenSSLTestServer {
        try await offPool { try OpenSSLTestServer() }
    }

    private init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("envcheck-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Self.makeCertificates(in: directory)
        port = try refusedPort()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = ["s_server", "-www", "-accept", String(port), "-cert", "srv.crt", "-key", "srv.key"]
        process.currentDirectoryURL = directory
        process.standardInput = stdin  // kept open: s_server treats EOF on stdin as a reason to stop
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        try waitUntilListening()
    }

    deinit {
        // SIGKILL: the test runner's blocked-signal mask is inherited, so SIGTERM is ignored.
        // No waiting here (deinit may run on the cooperative pool): Process reaps the child.
        kill(process.processIdentifier, SIGKILL)
        try? FileManager.default.removeItem(at: directory)
    }

    private func waitUntilListening() throws {
        let start = Date()
        while Date().timeIntervalSince(start) < 10 {
            if Self.canConnect(port) { return }
            usleep(50_000)
        }
        throw TestServerError("openssl s_server did not listen on \(port)")
    }

    static func canConnect(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    /// ca.crt/ca.key (a CA) and srv.crt/srv.key for localhost and 127.0.0.1, EC keys (fast).
    static func makeCertificates(in dir: URL) throws {
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try openssl(["req", "-x509"] + ec + ["-keyout", "ca.key", "-out", "ca.crt", "-days", "2",
                     "-subj", "/CN=envcheck test CA", "-addext", "basicConstraints=critical,CA:TRUE",
                     "-addext", "keyUsage=critical,keyCertSign,cRLSign"], in: dir)
        try openssl(["req"] + ec + ["-keyout", "srv.key", "-out", "srv.csr", "-subj", "/CN=localhost"], in: dir)
        try "subjectAltName=DNS:localhost,IP:127.0.0.1\n".write(to: dir.appendingPathComponent("srv.ext"), atomically: true, encoding: .utf8)
        try openssl(["x509", "-req", "-in", "srv.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                     "-out", "srv.crt", "-days", "2", "-extfile", "srv.ext"], in: dir)
    }

    static func openssl(_ arguments: [String], in dir: URL) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        p.arguments = arguments
        p.currentDirectoryURL = dir
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw TestServerError("openssl \(arguments[0]) failed") }
    }
}
