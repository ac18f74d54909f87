import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `envcheck serve` as deployed: the built binary against a real redis-server that is stopped
/// and started again, curl reading the status codes, a real Prometheus scraping it, promtool
/// linting the page, SIGTERM with a stalled client, and a soak run watching the RSS.
@Suite("envcheck serve (process)", .requires(.serialRun))
struct ServeProcessTests {
    static let password = "serve-redis-pass-7f3a91c2d4"

    /// A redis-server on a fixed port that can be killed and started again on the same port.
    final class Redis: @unchecked Sendable {
        let port: Int
        let directory: TempDir
        private var server: TestServerProcess?

        init() throws {
            port = try refusedPort()
            directory = try TempDir(prefix: "envcheck-serve-redis")
            try start()
        }

        func start() throws {
            let server = try TestServerProcess(
                "/usr/bin/redis-server",
                [
                    "--port", String(port), "--bind", "127.0.0.1", "--dir", directory.path, "--save", "", "--appendonly", "no",
                    "--requirepass", ServeProcessTests.password,
                ], log: directory.path + "/redis-\(UUID().uuidString).log")
            try server.waitUntilListening(port: port)
            self.server = server
        }

        func stop() {
            server?.stop()
            server = nil
        }

        var url: String { "redis://:\(ServeProcessTests.password)@127.0.0.1:\(port)/0" }
    }

    /// The status code curl sees for `target`, as a user's script would read it.
    static func curlStatus(_ target: String, port: Int) async throws -> Int {
        let r = try await runProgram("/usr/bin/curl", ["-s", "-o", "/dev/null", "-m", "5", "-w", "%{http_code}", "http://127.0.0.1:\(port)\(target)"])
        return Int(r.stdout) ?? -1
    }

    /// Polls curl until `target` answers `status`.
    static func curlUntil(_ target: String, port: Int, is status: Int, limit: Duration = .seconds(15)) async throws {
        let end = ContinuousClock.now + limit
        var last = -1
        while ContinuousClock.now < end {
            last = try await curlStatus(target, port: port)
            if last == status { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("curl \(target): \(last), never \(status) within \(limit)")
    }

    @Test(.requires(.redisServer, .curl)) func readinessFollowsADependencyStoppedAndStarted() async throws {
        let redis = try await offPool { try Redis() }
        defer { redis.stop() }
        // Required but not critical: /readyz follows it, /healthz (the healthcheck rule) does not.
        let dir = try TempDir(prefix: "envcheck-serve-manifest")
        let manifest = try dir.write(
            "probes.yaml",
            """
            version: 1
            probes:
              - id: cache
                kind: redis
                critical: false
                required: true
                inputs:
                  url: ${REDIS_URL}
            """)
        let serve = try await ServeProcess(
            ["--no-env-file", "--probes", manifest, "--interval", "300ms", "--timeout", "1s"], environment: ["REDIS_URL": redis.url],
            directory: dir.path)
        try await Self.curlUntil("/readyz", port: serve.port, is: 200)
        #expect(try await Self.curlStatus("/livez", port: serve.port) == 200)
        #expect(try await Self.curlStatus("/healthz", port: serve.port) == 200)
        try await offPool { redis.stop() }
        try await Self.curlUntil("/readyz", port: serve.port, is: 503)
        #expect(try await Self.curlStatus("/livez", port: serve.port) == 200, "liveness does not follow a dependency")
        #expect(try await Self.curlStatus("/healthz", port: serve.port) == 200, "healthz looks at critical probes only")
        let down = try ServeClient.request("/readyz", at: serve.address)
        #expect(down.body.hasPrefix("not ready: cache "), "\(down.body)")
        try await offPool { try redis.start() }
        try await Self.curlUntil("/readyz", port: serve.port, is: 200)
        let exit = try await serve.stop()
        #expect(exit.status == 0)
        #expect(!exit.stderr.contains(Self.password) && !exit.stdout.contains(Self.password))
        #expect(exit.stderr.contains("envcheck serve: not ready"), "a change of readiness is logged: \(exit.stderr)")
    }

    /// A real Prometheus scrapes serve every second; its query API sees envcheck_probe_up for
    /// redis go 1, then 0 while redis is down, then 1 again.
    @Test(.requires(.redisServer, .prometheus, .curl)) func prometheusScrapesTheProbeSeries() async throws {
        let redis = try await offPool { try Redis() }
        defer { redis.stop() }
        let serve = try await ServeProcess(
            ["--no-env-file", "--only", "redis", "--interval", "300ms", "--timeout", "1s"], environment: ["REDIS_URL": redis.url])
        let dir = try TempDir(prefix: "envcheck-prometheus")
        let promPort = try refusedPort()
        let config = try dir.write(
            "prometheus.yml",
            """
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: envcheck
                static_configs:
                  - targets: ["127.0.0.1:\(serve.port)"]
            """)
        let prometheus = try TestServerProcess(
            "/usr/bin/prometheus",
            [
                "--config.file=\(config)", "--storage.tsdb.path=\(dir.path)/data", "--web.listen-address=127.0.0.1:\(promPort)",
                "--storage.tsdb.retention.time=1h",
            ], directory: dir.path, log: dir.path + "/prometheus.log")
        defer { prometheus.stop() }
        try await offPool { try prometheus.waitUntilListening(port: promPort) }

        /// The latest value of the series as the query API returns it, or nil while it has none.
        func up() async throws -> String? {
            let query = "envcheck_probe_up%7Bprobe%3D%22redis%22%7D"
            let r = try await runProgram("/usr/bin/curl", ["-s", "-m", "5", "http://127.0.0.1:\(promPort)/api/v1/query?query=\(query)"])
            guard let json = try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any],
                json["status"] as? String == "success",
                let data = json["data"] as? [String: Any], let result = data["result"] as? [[String: Any]], let first = result.first,
                let metric = first["metric"] as? [String: String], metric["kind"] == "redis", metric["critical"] != nil,
                metric["job"] == "envcheck",
                let value = first["value"] as? [Any], value.count == 2
            else { return nil }
            return value[1] as? String
        }
        func until(_ expected: String, limit: Duration = .seconds(30)) async throws {
            let end = ContinuousClock.now + limit
            var last: String?
            while ContinuousClock.now < end {
                last = try await up()
                if last == expected { return }
                try await Task.sleep(for: .milliseconds(250))
            }
            Issue.record("Prometheus never saw envcheck_probe_up{probe=\"redis\"} \(expected) within \(limit); last \(last ?? "none")")
        }
        try await until("1")
        try await offPool { redis.stop() }
        try await until("0")
        try await offPool { try redis.start() }
        try await until("1")
        // The target's own health as Prometheus records it: every scrape succeeded.
        let targets = try await runProgram("/usr/bin/curl", ["-s", "-m", "5", "http://127.0.0.1:\(promPort)/api/v1/targets"])
        #expect(targets.stdout.contains("\"health\":\"up\""), "\(targets.stdout.prefix(600))")
        #expect(try await serve.stop().status == 0)
    }

    @Test(.requires(.promtool, .redisServer)) func theMetricsPagePassesPromtool() async throws {
        let redis = try await offPool { try Redis() }
        defer { redis.stop() }
        // Every series and label escaping: a passing redis, a failing postgres, skipped rest.
        let serve = try await ServeProcess(
            ["--no-env-file", "--interval", "300ms", "--timeout", "1s"],
            environment: ["REDIS_URL": redis.url, "DATABASE_URL": "postgres://app:pw-serve-9c1@127.0.0.1:\(try refusedPort())/app"])
        _ = try await ServeClient.poll("/readyz?verbose", at: serve.address) { (ServeClient.round($0) ?? 0) >= 1 }
        let page = try ServeClient.request("/metrics", at: serve.address)
        #expect(page.status == 200 && page.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
        for series in [
            "envcheck_probe_up{probe=\"redis\",kind=\"redis\",critical=\"false\"} 1",
            "envcheck_probe_up{probe=\"postgres\",kind=\"postgres\",critical=\"true\"} 0",
            "envcheck_probe_status{probe=\"postgres\",kind=\"postgres\",critical=\"true\",status=\"fail\"} 1",
            "envcheck_probe_duration_seconds{probe=\"redis\"", "envcheck_probe_last_run_timestamp_seconds{probe=\"redis\"",
            "envcheck_probe_attempts_total{probe=\"redis\"", "envcheck_build_info{version=\"",
        ] {
            #expect(page.body.contains(series), "no \(series) in /metrics")
        }
        #expect(!page.body.contains("pw-serve-9c1"))
        let dir = try TempDir(prefix: "envcheck-serve-prom")
        let file = try dir.write("metrics.prom", page.body)
        let lint = try await runProgram("/bin/sh", ["-c", "/usr/bin/promtool check metrics < \(file)"])
        #expect(lint.status == 0, "promtool: \(lint.stdout) \(lint.stderr)")
        #expect(try await serve.stop().status == 0)
    }

    /// A user who copied only `envcheck` into an image: serve says where envcheck-serve
    /// must be, exit 2, and a bad --listen is exit 2 before anything is exec'd.
    @Test func withoutEnvcheckServeBesideItServeSaysWhereItMustBe() async throws {
        let dir = try TempDir(prefix: "envcheck-solo")
        let lone = dir.path + "/envcheck"
        try FileManager.default.copyItem(atPath: EnvCheckBinary.path, toPath: lone)
        let r = try await runProgram(lone, ["serve", "--no-env-file", "--listen", "127.0.0.1:\(try refusedPort())"], environment: ["PATH": "/usr/bin:/bin"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("serve needs envcheck-serve installed beside envcheck, at \(dir.path)/envcheck-serve"), "\(r.stderr)")
        let bad = try await EnvCheckBinary.run(["serve", "--listen", ":9850"])
        #expect(bad.status == 2 && bad.stderr.contains("--listen :9850 has no address"), "\(bad.stderr)")
    }

    /// An address it cannot listen on is exit 2 at once, however long a round takes (a
    /// supervisor restarting on failure must see a failure), and the message names it.
    @Test func aTakenPortIsExit2AtOnce() async throws {
        let taken = try TCPListener()
        defer { taken.close() }
        let hung = try TCPListener()  // accepts, never answers: the round takes its whole timeout
        defer { hung.close() }
        let started = ContinuousClock.now
        let r = try await EnvCheckBinary.run(
            ["serve", "--no-env-file", "--only", "redis", "--timeout", "5s", "--listen", "127.0.0.1:\(taken.port)"],
            environment: ["REDIS_URL": "redis://127.0.0.1:\(hung.port)/0"])
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.contains("cannot listen on 127.0.0.1:\(taken.port): Address already in use"), "\(r.stderr)")
        #expect(ContinuousClock.now - started < .seconds(3), "it waited for the round")
    }

    /// SIGTERM with a client that sent half a request and waits: the process still ends,
    /// status 0, within a second.
    @Test func sigtermDrainsAndExitsWithinASecondDespiteAStalledClient() async throws {
        let serve = try await ServeProcess(["--no-env-file", "--only", "policy", "--interval", "1s"])
        let stalled = try ServeClient.connect(serve.address)
        defer { close(stalled) }
        let half = Array("GET /readyz HTTP/1.1\r\nHost: x\r\n".utf8)
        _ = half.withUnsafeBytes { write(stalled, $0.baseAddress, $0.count) }
        let open = try ServeClient.connect(serve.address)  // connected, sent nothing
        defer { close(open) }
        try await Task.sleep(for: .milliseconds(100))
        let signalled = serve.program.send(SIGTERM)
        let exit = try await serve.program.wait(limit: .seconds(5))
        #expect(exit.status == 0, "\(exit.stderr)")
        #expect(exit.at - signalled < .seconds(1), "ended \(exit.at - signalled) after SIGTERM")
    }

    /// A few thousand requests from four clients at once: every one answered, and the resident
    /// set does not grow with them (measured after a warm-up, so allocator arenas and caches
    /// are already there).
    @Test func aSoakRunKeepsMemoryFlat() async throws {
        let serve = try await ServeProcess(["--no-env-file", "--only", "policy", "--interval", "100ms"])
        let address = serve.address
        let targets = ["/metrics", "/readyz", "/healthz?verbose", "/livez", "/missing"]
        func burst(_ count: Int) async throws -> Int {
            try await withThrowingTaskGroup(of: Int.self) { group in
                for worker in 0..<4 {
                    group.addTask {
                        try await offPool {
                            var answered = 0
                            for i in 0..<(count / 4) {
                                let r = try ServeClient.request(targets[(i + worker) % targets.count], at: address)
                                if r.status == 200 || r.status == 404 { answered += 1 }
                            }
                            return answered
                        }
                    }
                }
                return try await group.reduce(0, +)
            }
        }
        #expect(try await burst(800) == 800)
        let warm = try #require(serve.residentKiB)
        #expect(try await burst(6000) == 6000)
        let after = try #require(serve.residentKiB)
        // Flat: a leak of even 1 KiB per request would be 6 MiB here.
        #expect(after - warm < 4096, "RSS grew from \(warm) KiB to \(after) KiB over 6000 requests")
        let exit = try await serve.stop()
        #expect(exit.status == 0)
    }
}
