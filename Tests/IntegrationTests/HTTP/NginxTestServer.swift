import Foundation
import TestSupport

/// nginx from Debian in a temporary directory, one process (`master_process off`), with:
/// - a plain port: `/healthz` (JSON 200), `/down` (503), `/moved` (302 to `/healthz`),
///   `/elsewhere` (301 to the TLS port), `/headers` (echoes `Authorization` and `X-Env`),
///   `/slow` (proxied to a listener that accepts and never answers);
/// - a TLS port with certificates from `TestCertificates`, serving the same `/healthz`;
/// - a Unix-domain socket serving `/healthz`.
/// Released, it is stopped and the directory removed.
final class NginxTestServer: Sendable {
    let certificates: TestCertificates
    let directory: TempDir
    let port: Int
    let tlsPort: Int
    let hung: HungListener
    private let server: TestServerProcess

    var baseURL: String { "http://127.0.0.1:\(port)" }
    var tlsURL: String { "https://localhost:\(tlsPort)" }
    var socketPath: String { directory.path + "/app.sock" }

    static func start(serverDays: Int = 90) async throws -> NginxTestServer {
        let certificates = try await TestCertificates.make(serverDays: serverDays)
        return try await offPool { try NginxTestServer(certificates) }
    }

    static let healthBody = #"{"status":"ok","checks":{"db":{"up":true,"latency_ms":3}},"version":"1.4.2"}"#

    private init(_ certificates: TestCertificates) throws {
        self.certificates = certificates
        directory = try TempDir(prefix: "envcheck-nginx")
        port = try refusedPort()
        tlsPort = try refusedPort()
        hung = try HungListener()
        let d = directory.path
        let health = """
            location = /healthz { default_type application/json; return 200 '\(Self.healthBody)'; }
            """
        let config = """
            daemon off;
            master_process off;
            worker_processes 1;
            pid \(d)/nginx.pid;
            error_log \(d)/error.log warn;
            events { worker_connections 64; }
            http {
                access_log off;
                client_body_temp_path \(d)/body;
                proxy_temp_path \(d)/proxy;
                fastcgi_temp_path \(d)/fastcgi;
                uwsgi_temp_path \(d)/uwsgi;
                scgi_temp_path \(d)/scgi;
                server {
                    listen 127.0.0.1:\(port);
                    \(health)
                    location = /down { default_type text/plain; return 503 'maintenance until 14:00'; }
                    location = /moved { return 302 /healthz; }
                    location = /elsewhere { return 301 https://localhost:\(tlsPort)/healthz; }
                    location = /elsewhere-headers { return 301 https://localhost:\(tlsPort)/headers; }
                    location = /headers { default_type text/plain; return 200 'auth=$http_authorization env=$http_x_env'; }
                    location = /slow { proxy_pass http://127.0.0.1:\(hung.port); proxy_read_timeout 60s; }
                }
                server {
                    listen 127.0.0.1:\(tlsPort) ssl;
                    ssl_certificate \(certificates.serverCertificate);
                    ssl_certificate_key \(certificates.serverKey);
                    \(health)
                    location = /headers { default_type text/plain; return 200 'auth=$http_authorization'; }
                }
                server {
                    listen unix:\(d)/app.sock;
                    \(health)
                }
            }
            """
        try directory.write("nginx.conf", config)
        server = try TestServerProcess("/usr/sbin/nginx", ["-p", d, "-c", d + "/nginx.conf"], log: d + "/stderr.log")
        try server.waitUntilListening(port: port)
        try server.waitUntilListening(port: tlsPort)
        try server.waitUntil("the socket", timeout: 10) { FileManager.default.fileExists(atPath: d + "/app.sock") }
    }
}
