import Foundation
import TestSupport
import Testing

/// The built binary trusts the system store as docs/security.md ("TLS") says, for its own TLS
/// (rediss://, a real TLS redis-server) and for libcurl's (OpenRouter over HTTPS, a socat TLS
/// terminator in front of a stand-in). The "system" store is a private copy of the machine's
/// `/etc/ssl/certs` plus the test CA, rehashed, given by `SSL_CERT_DIR` or mounted over
/// `/etc/ssl/certs` in a mount namespace of its own; never `--ca-file` for the peer.
@Suite(
    "system trust store", .serialized,
    .requires(.redisServer, .openssl, .program("/usr/bin/socat", package: "socat"), .program("/usr/bin/strace", package: "strace")))
struct SystemTrustStoreTests {
    let certs: TestCertificates
    let withCA: String
    let withoutCA: String

    init() async throws {
        certs = try await TestCertificates.make()
        let certs = certs
        (withCA, withoutCA) = try await offPool {
            (try certs.systemStore(includingCA: true), try certs.systemStore(includingCA: false))
        }
    }

    /// A TLS-only redis-server, and HTTPS at `https://localhost:PORT` for an OpenRouter
    /// stand-in, both with the test CA's server certificate; `body` gets the environment of
    /// an app that uses both.
    func withServers(_ body: ([String: String]) async throws -> Void) async throws {
        let password = Canary.make("storepw")
        let key = "sk-or-v1-" + Canary.make("storekey")
        let dir = try TempDir(prefix: "envcheck-store-servers")
        let (redisPort, httpsPort) = (try refusedPort(), try refusedPort())
        let redis = try TestServerProcess(
            "/usr/bin/redis-server",
            [
                "--port", "0", "--bind", "127.0.0.1", "--dir", dir.path, "--save", "", "--appendonly", "no",
                "--requirepass", password, "--tls-port", String(redisPort), "--tls-cert-file", certs.serverCertificate,
                "--tls-key-file", certs.serverKey, "--tls-ca-cert-file", certs.caFile, "--tls-auth-clients", "no",
            ], log: dir.path + "/redis.log")
        defer { redis.kill() }
        let stub = try openRouterStub(key: key)
        let terminator = try TestServerProcess(
            "/usr/bin/socat",
            [
                "OPENSSL-LISTEN:\(httpsPort),bind=127.0.0.1,reuseaddr,fork,verify=0,cert=\(certs.serverCertificate),key=\(certs.serverKey)",
                "TCP:127.0.0.1:\(stub.port)",
            ], log: dir.path + "/socat.log")
        defer { terminator.kill() }
        try await offPool {
            try redis.waitUntilListening(port: redisPort)
            try terminator.waitUntilListening(port: httpsPort)
        }
        try await body([
            "REDIS_URL": "rediss://:\(password)@localhost:\(redisPort)",
            "OPENROUTER_API_KEY": key,
            "OPENROUTER_BASE_URL": "https://localhost:\(httpsPort)/api/v1",
        ])
        withExtendedLifetime(stub) {}
    }

    /// `check --only redis,openrouter --format json` with `environment` (nothing inherited):
    /// exit status and each probe's status and code. `wrap` runs it under strace or unshare.
    func check(_ environment: [String: String], wrap: [String] = []) async throws -> (status: Int32, results: [String: [String]], stderr: String) {
        let arguments = wrap + [EnvCheckBinary.path, "check", "--only", "redis,openrouter", "--no-env-file", "--format", "json", "--timeout", "5s"]
        var environment = environment
        environment["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin"
        let r =
            wrap.first == "mount"
            ? try await runWithMount(withCA, over: "/etc/ssl/certs", Array(arguments.dropFirst()), environment: environment)
            : try await runProgram(arguments[0], Array(arguments.dropFirst()), environment: environment)
        try #require(r.status != 97 && !r.stderr.contains("unshare:"), "unshare/mount failed: \(r.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "not JSON: \(r.output)")
        var results: [String: [String]] = [:]
        for probe in report["probes"] as? [[String: Any]] ?? [] {
            results[probe["id"] as? String ?? "?"] = [probe["status"] as? String ?? "?", probe["code"] as? String ?? "-"]
        }
        return (r.status, results, r.stderr)
    }

    @Test func aHashedDirectoryInSSLCertDirIsTheStoreAndTheBundleIsNeverOpened() async throws {
        try await withServers { app in
            let trace = try TempDir(prefix: "envcheck-strace")
            let log = trace.path + "/trace"
            let r = try await check(
                app.merging(["SSL_CERT_DIR": withCA]) { $1 },
                wrap: ["/usr/bin/strace", "-f", "-qq", "-e", "trace=open,openat", "-o", log])
            #expect(r.status == 0, "\(r)")
            #expect(r.results["redis"]?[0] == "pass" && r.results["openrouter"]?[0] == "pass", "\(r.results)")
            let opened = try String(contentsOfFile: log, encoding: .utf8)
            // Both stacks looked the issuer up by hash in the store: redis's and curl's handshakes.
            let lookups = opened.split(separator: "\n").filter { $0.contains(withCA + "/") && !$0.contains("ENOENT") }
            #expect(lookups.count >= 2, "\(opened.suffix(2000))")
            for bundle in ["ca-certificates.crt", "/usr/lib/ssl/cert.pem"] {
                #expect(!opened.contains(bundle), "\(bundle) was opened")
            }
        }
    }

    @Test func aStoreWithoutTheCAFailsBothWithTLS() async throws {
        try await withServers { app in
            let r = try await check(app.merging(["SSL_CERT_DIR": withoutCA]) { $1 })
            #expect(r.status == 1, "\(r)")
            #expect(r.results["redis"] == ["fail", "tls"] && r.results["openrouter"] == ["fail", "tls"], "\(r.results)")
        }
    }

    @Test func theStoreMountedOverEtcSslCertsIsTheDefault() async throws {
        try await withServers { app in
            let mounted = try await check(app, wrap: ["mount"])
            #expect(mounted.status == 0, "\(mounted)")
            #expect(mounted.results["redis"]?[0] == "pass" && mounted.results["openrouter"]?[0] == "pass", "\(mounted.results)")
            // The machine's own store does not hold the test CA: the mount made the difference.
            let machine = try await check(app)
            #expect(machine.results["redis"] == ["fail", "tls"] && machine.results["openrouter"] == ["fail", "tls"], "\(machine.results)")
        }
    }

    @Test func aBundleInSSLCertFileIsLoaded() async throws {
        let empty = try TempDir(prefix: "envcheck-empty-store")
        try await withServers { app in
            let r = try await check(app.merging(["SSL_CERT_FILE": certs.caFile, "SSL_CERT_DIR": empty.path]) { $1 })
            #expect(r.status == 0, "\(r)")
            #expect(r.results["redis"]?[0] == "pass" && r.results["openrouter"]?[0] == "pass", "\(r.results)")
        }
    }
}
