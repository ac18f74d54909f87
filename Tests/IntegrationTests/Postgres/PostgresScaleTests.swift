import EnvCheckCore
import Foundation
import TestSupport
import Testing

/// Many probes of one server, as a manifest of every replica-set member or every tenant
/// database gives: the test cluster allows `max_connections = 40`
/// (scripts/services/postgres.sh), and 200 probes of it must all pass, because at most
/// `--max-per-target` (4) of them talk to it at once. Serial: the unlimited control run
/// would starve any other test's connections.
@Suite("Postgres: 200 probes against max_connections = 40", .serialized, .requires(.postgres), .requires(.serialRun))
struct PostgresScaleTests {
    let server: PostgresTestServer
    let dir: TempDir
    let manifest: String

    init() throws {
        server = try PostgresTestServer()
        dir = try TempDir(prefix: "envcheck-pg-scale")
        var yaml = "version: 1\nprobes:\n"
        for n in 1...200 { yaml += "  - id: db-\(n)\n    kind: postgres\n" }
        manifest = try dir.write("scale.yaml", yaml)
    }

    /// The 200 probes' run, straight to the server or through `port`. Under a long deadline:
    /// what is tested is the limit, not how fast 50 rounds of logins are on a loaded machine.
    func check(_ extra: [String], port: Int? = nil) async throws -> [[String: Any]] {
        let url = server.url(host: "127.0.0.1", port: port, query: "sslmode=verify-ca&sslrootcert=\(server.caFile)")
        let r = try await EnvCheckBinary.run(
            ["check", "--no-env-file", "--probes", manifest, "--format", "json", "--deadline", "60s"] + extra, environment: ["DATABASE_URL": url],
            directory: dir.path)
        let report = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        let probes = report?["probes"] as? [[String: Any]] ?? []
        #expect(probes.count == 200, "\(r.stderr)")
        return probes
    }

    func codes(_ probes: [[String: Any]]) -> [String: Int] {
        var counts: [String: Int] = [:]
        for probe in probes { counts[(probe["code"] as? String) ?? "none", default: 0] += 1 }
        return counts
    }

    @Test func allTwoHundredPassWithTheDefaultLimits() async throws {
        let probes = try await check([])
        let failing = probes.filter { ($0["status"] as? String) != "pass" }
        #expect(failing.isEmpty, "\(codes(probes)) \(failing.prefix(3).map { $0["message"] ?? "" })")
        #expect(codes(probes)["too_many_connections"] == nil)
        // They queued for the server's four slots, not for the run's.
        let waited = probes.filter { ($0["details"] as? [String: Any])?["slot_wait_ms"] != nil }.count
        #expect(waited >= 150, "\(waited) of 200 waited for a slot")
    }

    /// The control, which makes the test above prove the limit and not a lenient server or
    /// a machine fast enough that logins seldom overlap (an unlimited run straight to the
    /// server does not always overrun it): behind a proxy that holds each server's first
    /// answer for 100 ms, every connection opened together stays open together. There the
    /// default run still passes, 4 at a time, and a run without the limit exhausts the server.
    @Test func withoutThePerTargetLimitTheServerRunsOutOfConnections() async throws {
        let proxy = try SlowReplyProxy(upstreamPort: server.port, delay: .milliseconds(100))
        let limited = try await check([], port: proxy.port)
        #expect(limited.allSatisfy { ($0["status"] as? String) == "pass" }, "\(codes(limited))")
        let unlimited = try await check(["--max-per-target", "200", "--max-concurrent", "200"], port: proxy.port)
        #expect((codes(unlimited)["too_many_connections"] ?? 0) > 0, "\(codes(unlimited))")
        // And the server is fine again afterwards.
        let after = try await check([])
        #expect(after.allSatisfy { ($0["status"] as? String) == "pass" }, "\(codes(after))")
    }
}
