import Foundation
import TestSupport

/// An HTTPS server for tests: `openssl s_server -www` with a server certificate signed by a
/// throwaway CA (`TestCertificates`). `-www` answers `GET /` with a status page (HTTP/1.0 200).
/// Released, it is killed and its certificates are removed.
final class OpenSSLTestServer: Sendable {
    let certificates: TestCertificates
    let port: Int
    var caFile: String { certificates.caFile }
    var baseURL: String { "https://127.0.0.1:\(port)" }
    private let server: TestServerProcess

    /// Makes the certificates and starts the server off the cooperative pool (it waits on
    /// subprocesses and polls a socket).
    /// `serverDays`: how long the server's certificate is valid (``TestCertificates``).
    static func start(serverDays: Int = 90) async throws -> OpenSSLTestServer {
        let certificates = try await TestCertificates.make(serverDays: serverDays)
        return try await offPool { try OpenSSLTestServer(certificates) }
    }

    private init(_ certificates: TestCertificates) throws {
        self.certificates = certificates
        port = try refusedPort()
        server = try TestServerProcess(
            "/usr/bin/openssl",
            [
                "s_server", "-www", "-accept", String(port),
                "-cert", certificates.serverCertificate, "-key", certificates.serverKey,
            ])
        try server.waitUntilListening(port: port)
    }
}
