import Foundation
import TestSupport
import Testing

/// `--wait` on the built binary: codes that do not heal stop it, `--retry-on` overrides, the
/// backoff flags are checked, and each probe's line is printed as soon as it settles.
@Suite("wait and streaming", .serialized, .requires(.serialRun))
struct WaitFlagsTimingTests {
    /// An OpenRouter stand-in that rejects every key (401: `invalid_key`, which waiting does
    /// not heal).
    static func rejecting() throws -> HTTPStubServer {
        try HTTPStubServer { _ in .json(401, #"{"error":{"code":401,"message":"User not found."}}"#) }
    }

    func run(_ arguments: [String], _ stub: HTTPStubServer) async throws -> ProgramOutput {
        try await EnvCheckBinary.run(
            ["check", "--no-env-file", "--only", "openrouter", "--format", "json"] + arguments,
            environment: ["OPENROUTER_API_KEY": "sk-or-v1-rejected", "OPENROUTER_BASE_URL": stub.baseURL + "/api/v1"])
    }

    func attempts(_ r: ProgramOutput) throws -> Int {
        let report = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        return try #require((report?["probes"] as? [[String: Any]])?.first?["attempts"] as? Int)
    }

    @Test func aCodeThatDoesNotHealIsNotRetriedUnlessAsked() async throws {
        let stub = try Self.rejecting()
        let stopped = try await run(["--wait", "20s"], stub)
        #expect(stopped.status == 1 && stopped.seconds < 5, "took \(stopped.seconds)s")
        #expect(try attempts(stopped) == 1)
        #expect(stopped.stdout.contains("--wait does not retry invalid_key"))
        let retried = try await run(["--wait", "1s", "--retry-on", "invalid_key", "--initial-backoff", "50ms", "--max-backoff", "100ms"], stub)
        #expect(try attempts(retried) >= 3, "\(retried.stdout)")
    }

    @Test func theFlagsAreChecked() async throws {
        let stub = try Self.rejecting()
        for bad in [
            ["--retry-on", "invalid_key"], ["--initial-backoff", "1s"], ["--wait", "1s", "--retry-on", "invalid_kye"],
            ["--wait", "1s", "--initial-backoff", "2s", "--max-backoff", "1s"], ["--wait", "1s", "--max-backoff", "0s"],
        ] {
            let r = try await run(bad, stub)
            #expect(r.status == 2, "\(bad): \(r.stderr)")
        }
        let guess = try await run(["--wait", "1s", "--retry-on", "invalid_kye"], stub)
        #expect(guess.stderr.contains("did you mean invalid_key?"), "\(guess.stderr)")
    }

    /// A probe that fails at once is printed while another still waits for its timeout.
    @Test func eachLineIsPrintedWhenItsProbeSettles() async throws {
        let hung = try HungListener()
        let script = """
            start=${EPOCHREALTIME/./}
            "$0" check --no-env-file --only redis,postgres --timeout 2s | while IFS= read -r line; do
              now=${EPOCHREALTIME/./}
              printf '%d %s\\n' $(( (now - start) / 1000 )) "$line"
            done
            """
        let r = try await runProgram(
            "/bin/bash", ["-c", script, EnvCheckBinary.path],
            environment: [
                "PATH": "/usr/bin:/bin", "REDIS_URL": "redis://127.0.0.1:\(try refusedPort())/0",
                "DATABASE_URL": "postgres://app:pw@127.0.0.1:\(hung.port)/app",
            ])
        // Milliseconds since the start, then the line.
        let lines = r.stdout.split(separator: "\n").map { line -> (Int, String) in
            let parts = line.split(separator: " ", maxSplits: 1)
            return (Int(parts.first ?? "") ?? -1, parts.count > 1 ? String(parts[1]) : "")
        }
        let redis = try #require(lines.first { $0.1.contains("redis") }, "\(r.stdout)")
        let summary = try #require(lines.first { $0.1.hasPrefix("envcheck check:") }, "\(r.stdout)")
        #expect(redis.0 < 1000 && summary.0 > 1500, "redis at \(redis.0)ms, the summary at \(summary.0)ms:\n\(r.stdout)")
        #expect(lines.firstIndex { $0.1.contains("redis") }! < lines.firstIndex { $0.1.contains("postgres") }!)
    }
}
