import EnvCheckCore
import Foundation
import TestSupport
import Testing

/// The built binary where `localhost` is dual-stack as on stock Debian (`::1` first, then
/// 127.0.0.1), whatever this machine's /etc/hosts says: each run is in a mount namespace
/// of its own (`unshare -m`) with Debian's /etc/hosts bind-mounted over it. The servers
/// listen on 127.0.0.1 only, so `::1` refuses, and the result must be what 127.0.0.1
/// answered (TLS, authentication), not `connection_refused`. A failed `unshare` fails the
/// tests: it is never a reason to skip.
@Suite("dual-stack localhost", .serialized)
struct DualStackLocalhostTests {
    let hosts: TempDir
    let hostsFile: String

    init() throws {
        hosts = try TempDir(prefix: "envcheck-hosts")
        // Debian 12's /etc/hosts, plus a second dual-stack name for HTTP: libcurl answers
        // `localhost` itself (127.0.0.1 first) without reading /etc/hosts.
        hostsFile = try hosts.write(
            "hosts",
            "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
                + "::1\tdual.test\n127.0.0.1\tdual.test\n")
    }

    /// The premise, through the same wrapper as the runs: inside, both names resolve to
    /// ::1 first, then 127.0.0.1.
    func requireDualStack() async throws {
        for name in ["localhost", "dual.test"] {
            let r = try await runWithPrivateHosts(hostsFile, ["/usr/bin/getent", "ahosts", name], environment: [:])
            try #require(r.status == 0, "unshare -m with a private /etc/hosts failed (\(r.status)): \(r.stderr)")
            let order = r.stdout.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
            var distinct: [String] = []
            for address in order where !distinct.contains(address) { distinct.append(address) }
            try #require(distinct == ["::1", "127.0.0.1"], "\(name) resolves to \(distinct)")
        }
    }

    /// `envcheck check --only ID --format json` in the namespace; the probe's JSON result.
    func check(_ id: String, _ environment: [String: String], _ extra: [String] = []) async throws -> [String: Any] {
        try await requireDualStack()
        let arguments = [EnvCheckBinary.path, "check", "--only", id, "--no-env-file", "--format", "json", "--timeout", "3s"] + extra
        let r = try await runWithPrivateHosts(hostsFile, arguments, environment: environment)
        try #require(r.status != 97 && !r.stderr.contains("unshare:"), "unshare/mount failed: \(r.stderr)")
        try await SchemaValidator.validateJSON(r.stdout)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "not JSON: \(r.output)")
        return try #require((report["probes"] as? [[String: Any]])?.first)
    }

    /// `details.addresses` as (address, outcome, code) triples.
    func addresses(_ probe: [String: Any]) -> [[String]] {
        let entries = ((probe["details"] as? [String: Any])?["addresses"] as? [[String: Any]]) ?? []
        return entries.map { entry in ["address", "outcome", "code"].compactMap { entry[$0] as? String } }
    }

    func postgres() throws -> (port: Int, url: (String, String) -> String, ca: String, wrongCA: String) {
        let port = Int(try TestEnvironment.require("ENVCHECK_TEST_PG_PORT"))!
        let user = try TestEnvironment.require("ENVCHECK_TEST_PG_USER")
        let password = try TestEnvironment.require("ENVCHECK_TEST_PG_PASSWORD")
        let db = try TestEnvironment.require("ENVCHECK_TEST_PG_DB")
        let url = { (pw: String, query: String) in "postgres://\(user):\(PercentEncoding.encode(pw.isEmpty ? password : pw))@localhost:\(port)/\(db)?\(query)" }
        return (port, url, try TestEnvironment.require("ENVCHECK_TEST_PG_CA_FILE"), try TestEnvironment.require("ENVCHECK_TEST_PG_WRONG_CA_FILE"))
    }

    @Test func postgresTLSAndAuthWinOverTheRefusedIPv6Address() async throws {
        let pg = try postgres()
        #expect(tcpConnectErrno("::1", pg.port) == ECONNREFUSED)
        let v6 = "[::1]:\(pg.port)"
        let v4 = "127.0.0.1:\(pg.port)"

        let tls = try await check("postgres", ["DATABASE_URL": pg.url("", "sslmode=verify-full&sslrootcert=\(pg.wrongCA)")])
        #expect(tls["code"] as? String == "tls", "\(tls)")
        #expect(addresses(tls) == [[v6, "failed", "connection_refused"], [v4, "failed", "tls"]])
        #expect((tls["message"] as? String)?.contains("certificate verify failed") == true)

        let auth = try await check("postgres", ["DATABASE_URL": pg.url("wrong-password", "sslmode=verify-full&sslrootcert=\(pg.ca)")])
        #expect(auth["code"] as? String == "auth_failed", "\(auth)")
        #expect(addresses(auth) == [[v6, "failed", "connection_refused"], [v4, "failed", "auth_failed"]])

        let pass = try await check("postgres", ["DATABASE_URL": pg.url("", "sslmode=verify-full&sslrootcert=\(pg.ca)")])
        #expect(pass["status"] as? String == "pass", "\(pass)")
        #expect(addresses(pass) == [[v6, "failed", "connection_refused"], [v4, "connected"]])
    }

    @Test func redisTLSAndAuthWinOverTheRefusedIPv6Address() async throws {
        let certs = try await TestCertificates.make()
        let password = Canary.make("dualpw")
        let dir = try TempDir(prefix: "envcheck-redis")
        let (plain, tlsPort) = (try refusedPort(), try refusedPort())
        let server = try TestServerProcess(
            "/usr/bin/redis-server",
            [
                "--port", String(plain), "--bind", "127.0.0.1", "--dir", dir.path, "--save", "", "--appendonly", "no",
                "--requirepass", password, "--tls-port", String(tlsPort), "--tls-cert-file", certs.serverCertificate,
                "--tls-key-file", certs.serverKey, "--tls-ca-cert-file", certs.caFile, "--tls-auth-clients", "no",
            ], log: dir.path + "/redis.log")
        defer { server.kill() }
        try await offPool { try server.waitUntilListening(port: tlsPort) }
        for port in [plain, tlsPort] { #expect(tcpConnectErrno("::1", port) == ECONNREFUSED) }

        let tls = try await check("redis", ["REDIS_URL": "rediss://:\(password)@localhost:\(tlsPort)"], ["--ca-file", certs.otherCAFile])
        #expect(tls["code"] as? String == "tls", "\(tls)")
        #expect(addresses(tls) == [["[::1]:\(tlsPort)", "failed", "connection_refused"], ["127.0.0.1:\(tlsPort)", "failed", "tls"]])

        let auth = try await check("redis", ["REDIS_URL": "redis://:wrong-\(password)@localhost:\(plain)"])
        #expect(auth["code"] as? String == "auth_failed", "\(auth)")
        #expect(addresses(auth) == [["[::1]:\(plain)", "failed", "connection_refused"], ["127.0.0.1:\(plain)", "failed", "auth_failed"]])
        #expect(!"\(tls)\(auth)".contains(password))
        withExtendedLifetime(certs) {}
    }

    @Test func httpsTLSWinsOverTheRefusedIPv6Address() async throws {
        let certs = try await TestCertificates.make()
        let port = try refusedPort()
        let server = try TestServerProcess(
            "/usr/bin/openssl",
            [
                "s_server", "-www", "-accept", "127.0.0.1:\(port)",
                "-cert", certs.serverCertificate, "-key", certs.serverKey,
            ])
        defer { server.kill() }
        try await offPool { try server.waitUntilListening(port: port) }
        #expect(tcpConnectErrno("::1", port) == ECONNREFUSED)
        // The certificate names localhost and 127.0.0.1, not dual.test.
        let r = try await check(
            "openrouter",
            [
                "OPENROUTER_API_KEY": "sk-or-v1-" + Canary.make("dualkey"),
                "OPENROUTER_BASE_URL": "https://dual.test:\(port)/api/v1",
            ], ["--ca-file", certs.caFile])
        #expect(r["code"] as? String == "tls", "\(r)")
        #expect(addresses(r) == [["[::1]:\(port)", "failed", "connection_refused"], ["127.0.0.1:\(port)", "failed", "tls"]])
        withExtendedLifetime(certs) {}
    }
}
