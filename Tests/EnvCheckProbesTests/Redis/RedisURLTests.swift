import EnvCheckCore
import Testing

@testable import EnvCheckProbes

@Suite struct RedisURLTests {
    @Test func defaultsToLocalhostAndNoCredentials() throws {
        let url = try RedisURL.parse("redis://")
        #expect(url.address == .tcp(host: "localhost", port: 6379))
        #expect(!url.tls && url.username == nil && url.password == nil && url.db == nil)
    }

    @Test func passwordOnlyPortAndPathDB() throws {
        let url = try RedisURL.parse("redis://:s3cret@Cache.Example:6380/2")
        #expect(url.address == .tcp(host: "cache.example", port: 6380))
        #expect(url.username == nil)
        #expect(url.password?.revealed == "s3cret")
        #expect(url.db == 2)
    }

    /// redis-py hands ?username= and ?password= to the connection; the userinfo wins.
    @Test func queryCredentialsAsRedisPyReadsThem() throws {
        let url = try RedisURL.parse("redis://h/0?username=app&password=q%40pw")
        #expect(url.username == "app")
        #expect(url.password?.revealed == "q@pw")
        let both = try RedisURL.parse("redis://u:userinfo@h/0?password=query")
        #expect(both.password?.revealed == "userinfo")
    }

    @Test func userAndPasswordArePercentDecoded() throws {
        let url = try RedisURL.parse("redis://app%2Duser:p%40ss%2Fw:rd@h/0")
        #expect(url.username == "app-user")
        #expect(url.password?.revealed == "p@ss/w:rd")
        #expect(url.db == 0)
    }

    @Test func unencodedAtSignSplitsAtTheLastOne() throws {
        let url = try RedisURL.parse("redis://:p@ss@h:1")
        #expect(url.password?.revealed == "p@ss")
        #expect(url.address == .tcp(host: "h", port: 1))
    }

    @Test func userWithoutPassword() throws {
        let url = try RedisURL.parse("redis://alice@h")
        #expect(url.username == "alice" && url.password == nil)
    }

    @Test func queryDBWinsOverPathAndBadPathIsIgnored() throws {
        #expect(try RedisURL.parse("redis://h/3?db=5").db == 5)
        #expect(try RedisURL.parse("redis://h/abc").db == nil)
        #expect(try RedisURL.parse("redis://h/4/").db == 4)
    }

    @Test func ipv6Host() throws {
        #expect(try RedisURL.parse("redis://[::1]:7000").address == .tcp(host: "::1", port: 7000))
        #expect(RedisTarget(address: .tcp(host: "::1", port: 7000)).peer == "[::1]:7000")
    }

    @Test func unixSocketForms() throws {
        let plain = try RedisURL.parse("unix:///run/redis/redis.sock?db=1")
        #expect(plain.address == .unix(path: "/run/redis/redis.sock"))
        #expect(plain.db == 1)
        let withPassword = try RedisURL.parse("unix://:pw@/run/redis/redis.sock")
        #expect(withPassword.address == .unix(path: "/run/redis/redis.sock"))
        #expect(withPassword.password?.revealed == "pw")
        #expect(withPassword.db == nil)
    }

    @Test func tlsAndItsQueryParameters() throws {
        let url = try RedisURL.parse("rediss://:pw@h:6390?ssl_ca_certs=%2Fetc%2Fca.pem&ssl_cert_reqs=none&ssl_check_hostname=False")
        #expect(url.tls)
        #expect(url.caCerts == "/etc/ca.pem")
        #expect(!url.verifyCertificate)
        #expect(!url.checkHostname)
        let strict = try RedisURL.parse("rediss://h?ssl_cert_reqs=required")
        #expect(strict.verifyCertificate && strict.checkHostname)
    }

    @Test func socketTimeoutsAreSeconds() throws {
        let url = try RedisURL.parse("redis://h?socket_timeout=0.5&socket_connect_timeout=2")
        #expect(url.socketTimeout == .milliseconds(500))
        #expect(url.connectTimeout == .seconds(2))
    }

    @Test(arguments: [
        ("http://h", "redis://"),
        ("REDIS://h", "redis://"),
        ("redis://:cnrypw@h:notaport", "port"),
        ("redis://h:70000", "port"),
        ("redis://h:0", "port"),  // the shared HostPort rule: ports are 1-65535
        ("redis://[::1", "IPv6"),
        ("redis://h?db=two", "db"),
        ("rediss://h?ssl_cert_reqs=maybe", "ssl_cert_reqs"),
        ("redis://h?socket_timeout=soon", "socket_timeout"),
        ("redis://h?socket_timeout=1e19", "socket_timeout"),
        ("redis://h?socket_connect_timeout=inf", "socket_connect_timeout"),
        ("unix://:pw@", "socket path"),
    ])
    func malformedURLsAreRejectedWithAReason(url: String, mentions: String) {
        #expect(throws: RedisURL.ParseError.self) { try RedisURL.parse(url) }
        do {
            _ = try RedisURL.parse(url)
        } catch {
            #expect(error.reason.contains(mentions))
            #expect(!error.reason.contains("cnrypw"))
        }
    }

    @Test func invalidURLIsAnErrorWithoutThePassword() {
        let settings = ProbeSettings(id: "redis", config: ResolvedConfig(["REDIS_URL": "redis://:cnryabcd1234@h:po/rt"]))
        guard case .invalid(let failure) = RedisProbe.kind.setup(settings) else {
            Issue.record("expected an invalid setup")
            return
        }
        #expect(failure.status == .error)
        #expect(failure.code == .invalidURL)
        #expect(failure.hint != nil)
        #expect(!failure.message.contains("cnryabcd1234") && !(failure.hint ?? "").contains("cnryabcd1234"))
    }

    @Test func unsetURLIsNotConfigured() {
        guard case .notConfigured(let message) = RedisProbe.kind.setup(ProbeSettings(id: "redis", config: ResolvedConfig())) else {
            Issue.record("expected not configured")
            return
        }
        #expect(message == "REDIS_URL is not set")
        #expect(!RedisProbe.kind.critical)
    }

    @Test func caFilePrecedenceAndVerificationOptOut() {
        let config = ResolvedConfig(["REDIS_URL": "rediss://h?ssl_ca_certs=/url/ca.pem"])
        let option = RedisProbe.kind.setup(
            ProbeSettings(
                id: "redis", config: config, options: ["ca_file": "/opt/ca.pem"],
                global: GlobalSettings(caFile: "/global/ca.pem")))
        #expect(target(option)?.tls?.caFile == "/opt/ca.pem")
        let fromURL = RedisProbe.kind.setup(ProbeSettings(id: "redis", config: config, global: GlobalSettings(caFile: "/global/ca.pem")))
        #expect(target(fromURL)?.tls?.caFile == "/url/ca.pem")
        let global = RedisProbe.kind.setup(
            ProbeSettings(
                id: "redis", config: ResolvedConfig(["REDIS_URL": "rediss://h"]),
                global: GlobalSettings(caFile: "/global/ca.pem")))
        #expect(target(global)?.tls?.caFile == "/global/ca.pem")
        let off = RedisProbe.kind.setup(ProbeSettings(id: "redis", config: config, options: ["tls_verify": false]))
        #expect(target(off)?.tls?.verify == false)
        let plain = RedisProbe.kind.setup(ProbeSettings(id: "redis", config: ResolvedConfig(["REDIS_URL": "redis://h"])))
        #expect(target(plain) != nil && target(plain)?.tls == nil)
    }

    private func target(_ setup: ProbeSetup) -> RedisTarget? {
        guard case .ready(let probe) = setup, let redis = probe as? RedisProbe else { return nil }
        return redis.target
    }
}
