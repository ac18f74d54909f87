import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// SIGTERM and SIGINT on the built binary: the run ends within the 250 ms budget, the
/// requested reports are written with what finished and the rest `fail`/`interrupted`,
/// and the process exits 128+signal (`check`) or 1 (`healthcheck`).
@Suite("signals", .serialized, .requires(.serialRun))
struct SignalTimingTests {
    /// From the signal to the exit: the 250 ms budget plus as much again for a loaded
    /// 2-core machine (measured on a quiet one: 3 to 10 ms without a write check).
    static let exitBound = Duration.milliseconds(500)

    static func start(_ arguments: [String], _ environment: [String: String]) throws -> BackgroundProgram {
        try BackgroundProgram(EnvCheckBinary.path, arguments, environment: environment.merging(["PATH": "/usr/bin:/bin"]) { a, _ in a })
    }

    static func probes(_ path: String) throws -> [String: [String: Any]] {
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any]
        let probes = report?["probes"] as? [[String: Any]] ?? []
        return Dictionary(probes.map { ($0["id"] as? String ?? "", $0) }, uniquingKeysWith: { a, _ in a })
    }

    @Test(.requires(.jsonSchemaValidator, .junitSchemaValidator)) func sigtermEndsACheckWritesBothReportsAndExits143() async throws {
        let hung = try HungListener()
        let key = "sk-or-v1-signals"
        let stub = try openRouterStub(key: key)
        let dir = try TempDir()
        let json = dir.path + "/report.json"
        let junit = dir.path + "/report.xml"
        let program = try Self.start(
            ["check", "--no-env-file", "--only", "postgres,openrouter,redis", "--timeout", "20s", "--json", json, "--junit", junit],
            [
                "DATABASE_URL": "postgres://app:pw@127.0.0.1:\(hung.port)/db", "OPENROUTER_API_KEY": key,
                "OPENROUTER_BASE_URL": stub.baseURL + "/api/v1", "REDIS_URL": "redis://127.0.0.1:\(try refusedPort())/0",
            ])
        let started = ContinuousClock.now
        // The hung listener accepted postgres's connection, and openrouter got its answer.
        try await waitUntil("postgres connecting and openrouter asking") { hung.acceptedCount >= 1 && !stub.requests.isEmpty }
        try await Task.sleep(until: started + .milliseconds(300))
        let sent = program.send(SIGTERM)
        let exit = try await program.wait()
        let took = exit.at - sent
        print("check: SIGTERM to exit \(took)")
        #expect(exit.status == 143, "status \(exit.status.map(String.init) ?? "none"), signal \(exit.signal ?? 0): \(exit.stderr)")
        #expect(took < Self.exitBound, "took \(took)")

        let probes = try Self.probes(json)
        #expect(probes["postgres"]?["status"] as? String == "fail")
        #expect(probes["postgres"]?["code"] as? String == "interrupted")
        #expect((probes["postgres"]?["message"] as? String)?.hasPrefix("interrupted by SIGTERM after ") == true)
        #expect((probes["postgres"]?["details"] as? [String: Any])?["interrupted_by"] as? String == "SIGTERM")
        // Settled before the signal: kept as they were.
        #expect(probes["openrouter"]?["status"] as? String == "pass", "\(probes["openrouter"] ?? [:])")
        #expect(probes["redis"]?["code"] as? String == "connection_refused")
        try await SchemaValidator.validateJSON(try String(contentsOfFile: json, encoding: .utf8))
        let xml = try String(contentsOfFile: junit, encoding: .utf8)
        try await SchemaValidator.validateJUnit(xml)
        #expect(xml.contains(#"<failure message="interrupted by SIGTERM after "#))
        #expect(xml.contains(#"type="interrupted""#))
        #expect(exit.stdout.contains("interrupted by SIGTERM after "), "\(exit.stdout)")
    }

    @Test func sigintExits130() async throws {
        let hung = try HungListener()
        let dir = try TempDir()
        let json = dir.path + "/report.json"
        let program = try Self.start(
            ["check", "--no-env-file", "--only", "postgres", "--timeout", "20s", "--json", json],
            ["DATABASE_URL": "postgres://app:pw@127.0.0.1:\(hung.port)/db"])
        try await waitUntil("the hung listener accepting") { hung.acceptedCount >= 1 }
        let sent = program.send(SIGINT)
        let exit = try await program.wait()
        print("check: SIGINT to exit \(exit.at - sent)")
        #expect(exit.status == 130, "status \(exit.status.map(String.init) ?? "none"), signal \(exit.signal ?? 0)")
        #expect(exit.at - sent < Self.exitBound)
        #expect((try Self.probes(json)["postgres"]?["message"] as? String)?.hasPrefix("interrupted by SIGINT after ") == true)
    }

    @Test func healthcheckExitsOneWithItsVerdictLine() async throws {
        let hung = try HungListener()
        let program = try Self.start(
            ["healthcheck", "--no-env-file", "--only", "postgres", "--deadline", "20s"],
            ["DATABASE_URL": "postgres://app:pw@127.0.0.1:\(hung.port)/db"])
        try await waitUntil("the hung listener accepting") { hung.acceptedCount >= 1 }
        let sent = program.send(SIGTERM)
        let exit = try await program.wait()
        print("healthcheck: SIGTERM to exit \(exit.at - sent)")
        #expect(exit.status == 1, "status \(exit.status.map(String.init) ?? "none"), signal \(exit.signal ?? 0)")
        #expect(exit.at - sent < Self.exitBound)
        #expect(exit.stdout.hasPrefix("unhealthy: postgres interrupted after "), "\(exit.stdout)")
        #expect(exit.stdout.split(separator: "\n").count == 1)
    }

    @Test func aSignalIgnoredAtStartStaysIgnored() async throws {
        let hung = try HungListener()
        // As `cmd &` in a non-interactive shell starts it: SIGINT ignored.
        let program = try BackgroundProgram(
            "/bin/sh",
            [
                "-c", #"trap '' INT; exec "$0" "$@""#, EnvCheckBinary.path,
                "check", "--no-env-file", "--only", "postgres", "--timeout", "20s",
            ],
            environment: ["PATH": "/usr/bin:/bin", "DATABASE_URL": "postgres://app:pw@127.0.0.1:\(hung.port)/db"])
        try await waitUntil("the hung listener accepting") { hung.acceptedCount >= 1 }
        program.send(SIGINT)
        try await Task.sleep(for: .milliseconds(400))
        program.send(SIGTERM)
        let exit = try await program.wait()
        #expect(exit.status == 143, "status \(exit.status.map(String.init) ?? "none"), signal \(exit.signal ?? 0)")
        #expect(exit.stdout.contains("interrupted by SIGTERM"), "\(exit.stdout)")
    }

    @Test func aReportThatCannotBeWrittenDoesNotHoldTheExit() async throws {
        let hung = try HungListener()
        let dir = try TempDir()
        // A FIFO nobody reads: opening it for writing blocks for ever.
        let fifo = dir.path + "/report.json"
        #expect(mkfifo(fifo, 0o600) == 0)
        let program = try Self.start(
            ["check", "--no-env-file", "--only", "postgres", "--timeout", "20s", "--json", fifo],
            ["DATABASE_URL": "postgres://app:pw@127.0.0.1:\(hung.port)/db"])
        try await waitUntil("the hung listener accepting") { hung.acceptedCount >= 1 }
        let sent = program.send(SIGTERM)
        let exit = try await program.wait()
        let took = exit.at - sent
        print("check with a stuck report: SIGTERM to exit \(took)")
        #expect(exit.status == 143, "status \(exit.status.map(String.init) ?? "none"), signal \(exit.signal ?? 0)")
        // The backstop, 500 ms after the signal (plus slack for a loaded machine).
        #expect(took >= .milliseconds(490) && took < .milliseconds(1000), "took \(took)")
        #expect(exit.stderr.contains("envcheck: SIGTERM: still not done 500ms after the signal; exiting"), "\(exit.stderr)")
        #expect(exit.stdout.contains("interrupted by SIGTERM"))
    }

    @Test func keysExits128PlusTheSignalToo() async throws {
        let dir = try TempDir()
        let fixtures = repositoryRoot + "/Tests/EnvCheckKeysTests/Fixtures/clean"
        // A template nobody writes: reading it blocks, so the signal finds keys running.
        let template = dir.path + "/secrets.ctmpl"
        #expect(mkfifo(template, 0o600) == 0)
        let program = try Self.start(
            [
                "keys", "--template", template, "--settings", fixtures + "/config.py",
                "--example", fixtures + "/.env.example",
            ], [:])
        try await Task.sleep(for: .milliseconds(300))
        program.send(SIGTERM)
        let exit = try await program.wait()
        #expect(exit.status == 143, "status \(exit.status.map(String.init) ?? "none"), signal \(exit.signal ?? 0): \(exit.stderr)")
    }
}
