import Foundation
import TestSupport
import Testing

/// The real PostgreSQL and S3 servers scripts/test.sh starts, as the app would configure them.
func liveServices() throws -> [String: String] {
    let pg = try ["HOST", "PORT", "USER", "PASSWORD", "DB"].map { try TestEnvironment.require("ENVCHECK_TEST_PG_\($0)") }
    return [
        "DATABASE_URL": "postgres://\(pg[2]):\(pg[3])@\(pg[0]):\(pg[1])/\(pg[4])",
        "S3_ENDPOINT": try TestEnvironment.require("ENVCHECK_TEST_S3_ENDPOINT"),
        "S3_ACCESS_KEY": try TestEnvironment.require("ENVCHECK_TEST_S3_ACCESS_KEY"),
        "S3_SECRET_KEY": try TestEnvironment.require("ENVCHECK_TEST_S3_SECRET_KEY"),
        "S3_BUCKET": try TestEnvironment.require("ENVCHECK_TEST_S3_BUCKET"),
    ]
}

/// An OpenRouter stand-in that knows one key.
func openRouterStub(port: Int = 0, key: String) throws -> HTTPStubServer {
    try HTTPStubServer(port: port) { request in
        guard request.header("authorization") == "Bearer \(key)" else { return .json(401, #"{"error":{"code":401,"message":"No auth credentials found"}}"#) }
        return .json(200, #"{"data":{"label":"sk-or-v1-abc...xyz","limit":null,"usage":1.5,"is_free_tier":false}}"#)
    }
}

/// `healthcheck` and `check --wait`, end to end against real servers.
@Suite("deployment modes", .requires(.postgres, .s3))
struct DeploymentModeTests {
    @Test func healthcheckIsOneHealthyLineAndExitZero() async throws {
        let r = try await EnvCheckBinary.run(["healthcheck", "--no-env-file"], environment: try liveServices())
        #expect(r.status == 0, "\(r.output)")
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(r.stdout.hasPrefix("healthy: postgres "), "\(r.stdout)")
        #expect(r.stdout.contains(", s3 "))
        #expect(r.stderr.isEmpty)
    }

    @Test func healthcheckRunsOnlyCriticalProbes() async throws {
        var env = try liveServices()
        env["REDIS_URL"] = "redis://127.0.0.1:\(try refusedPort())/0"  // not critical: ignored
        let r = try await EnvCheckBinary.run(["healthcheck", "--no-env-file"], environment: env)
        #expect(r.status == 0, "\(r.output)")
        #expect(!r.stdout.contains("redis"))
    }

    @Test func aCriticalDependencyDownIsUnhealthyExitOne() async throws {
        var env = try liveServices()
        env["DATABASE_URL"] = "postgres://u:p@127.0.0.1:\(try refusedPort())/db"
        let r = try await EnvCheckBinary.run(["healthcheck", "--no-env-file"], environment: env)
        #expect(r.status == 1)
        #expect(r.stdout.hasPrefix("unhealthy: postgres connection_refused after "), "\(r.stdout)")
        #expect(r.stdout.split(separator: "\n").count == 1)
        #expect(r.stdout.utf8.count < 4096)
    }

    @Test func healthcheckWritesNothingToDisk() async throws {
        let dir = try TempDir()
        let r = try await EnvCheckBinary.run(["healthcheck", "--no-env-file"], environment: try liveServices(), directory: dir.path)
        #expect(r.status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    @Test func waitRetriesUntilALateDependencyComesUp() async throws {
        let key = Canary.make("orkey")
        let port = try refusedPort()
        var env = try liveServices()
        env["OPENROUTER_API_KEY"] = key
        env["OPENROUTER_BASE_URL"] = "http://127.0.0.1:\(port)/api/v1"
        let dir = try TempDir()
        let json = dir.path + "/report.json"
        async let result = EnvCheckBinary.run(["check", "--no-env-file", "--wait", "20s", "--timeout", "1s", "--json", json], environment: env)
        try await Task.sleep(for: .seconds(2.5))
        let server = try openRouterStub(port: port, key: key)
        let r = try await result
        _ = server
        #expect(r.status == 0, "\(r.output)")
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any]
        let probes = report?["probes"] as? [[String: Any]] ?? []
        let openrouter = probes.first { $0["id"] as? String == "openrouter" }
        #expect(openrouter?["status"] as? String == "pass")
        #expect((openrouter?["attempts"] as? Int ?? 0) > 1)
        // Passing probes are not re-run.
        #expect(probes.first { $0["id"] as? String == "postgres" }?["attempts"] as? Int == 1)
        // Progress went to stderr, one line per attempt when not on a terminal.
        #expect(r.stderr.contains("openrouter attempt 1: "), "\(r.stderr)")
        #expect(!r.stdout.contains("retrying"))
    }

    @Test func waitGivesUpAtItsDeadline() async throws {
        var env = try liveServices()
        env["DATABASE_URL"] = "postgres://u:p@127.0.0.1:\(try refusedPort())/db"
        let r = try await EnvCheckBinary.run(["check", "--no-env-file", "--wait", "3s", "--timeout", "1s", "--format", "json"], environment: env)
        #expect(r.status == 1)
        #expect(r.seconds < 6, "took \(r.seconds)s")
        let report = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        let postgres = (report?["probes"] as? [[String: Any]])?.first { $0["id"] as? String == "postgres" }
        #expect(postgres?["status"] as? String == "fail")
        #expect((postgres?["attempts"] as? Int ?? 0) > 2)
    }
}

/// Deadlines of whole runs, measured on the built binary. `*TimingTests` run alone.
@Suite("deployment deadlines", .serialized, .requires(.serialRun))
struct DeploymentTimingTests {
    /// Every network probe pointed at a listener that accepts and never answers.
    static func allHung(_ hung: HungListener) -> [String: String] {
        let p = hung.port
        return [
            "DATABASE_URL": "postgres://app:pw@127.0.0.1:\(p)/db",
            "S3_ENDPOINT": "http://127.0.0.1:\(p)", "S3_BUCKET": "b", "S3_ACCESS_KEY": "AKIAEXAMPLE", "S3_SECRET_KEY": "secret-value",
            "REDIS_URL": "redis://:pw@127.0.0.1:\(p)/0",
            "OPENROUTER_API_KEY": "sk-or-v1-hung", "OPENROUTER_BASE_URL": "http://127.0.0.1:\(p)/api/v1",
            "VAULT_ADDR": "http://127.0.0.1:\(p)", "VAULT_TOKEN": "hvs.hung", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:\(p)",
        ]
    }

    @Test func everyDependencyHungEndsWithinTheTimeoutPlusMargin() async throws {
        let hung = try HungListener()
        let r = try await EnvCheckBinary.run(["check", "--no-env-file", "--timeout", "2s", "--format", "json"], environment: Self.allHung(hung))
        #expect(r.status == 1)
        // The budget (2.3 s) is the benchmark's to measure; here: the run's own clock says it
        // ended by its deadline (timeout + 250ms), and the process did not linger after it.
        #expect(r.seconds < 4, "took \(r.seconds)s")
        let report = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        #expect((report?["duration_ms"] as? Int ?? .max) <= 2300)
        let probes = report?["probes"] as? [[String: Any]] ?? []
        // next_public reads files and policy the configuration: no network step to hang.
        let network = probes.filter { !["next_public", "policy"].contains($0["kind"] as? String ?? "") }
        #expect(network.count >= 3)
        for probe in network { #expect(probe["code"] as? String == "timeout", "\(probe)") }
        #expect(hung.acceptedCount >= network.count)
    }

    @Test func hungHealthcheckEndsByItsOwnDeadline() async throws {
        let hung = try HungListener()
        let r = try await EnvCheckBinary.run(["healthcheck", "--no-env-file"], environment: Self.allHung(hung))
        #expect(r.status == 1)
        #expect(r.seconds < 4.5, "took \(r.seconds)s")
        #expect(r.stdout.hasPrefix("unhealthy: postgres timeout after "), "\(r.stdout)")
        #expect(r.stdout.contains("s3 timeout after "))
    }

    @Test func theRunDeadlineCapsEverything() async throws {
        let hung = try HungListener()
        let r = try await EnvCheckBinary.run(["check", "--no-env-file", "--timeout", "10s", "--deadline", "1s"], environment: Self.allHung(hung))
        #expect(r.status == 1)
        #expect(r.seconds < 3, "took \(r.seconds)s")
        #expect(r.stdout.contains("stopped by the run deadline") || r.stdout.contains("timeout"), "\(r.stdout)")
    }
}
