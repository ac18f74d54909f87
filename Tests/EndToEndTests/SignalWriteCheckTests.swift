import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `--write-check` under SIGTERM, against the real moto server behind a proxy that holds
/// chosen requests unanswered: the object is deleted within the budget, or the result
/// names the object that is left behind (and moto confirms it is there).
extension SignalTimingTests {
    /// moto's own word on `key`, through boto3 with the suite's credentials: HEAD's status
    /// (200 or 404); with `delete`, the object is removed afterwards.
    static func motoStatus(of key: String, delete: Bool = false) async throws -> Int {
        let script = """
            import sys, boto3
            from botocore.config import Config
            from botocore.exceptions import ClientError
            endpoint, access, secret, bucket, region, key, delete = sys.argv[1:]
            s3 = boto3.client("s3", endpoint_url=endpoint, region_name=region, aws_access_key_id=access, aws_secret_access_key=secret,
                              config=Config(retries={"max_attempts": 1}, s3={"addressing_style": "path"}))
            try:
                s3.head_object(Bucket=bucket, Key=key)
                status = 200
            except ClientError as error:
                status = int(error.response["ResponseMetadata"]["HTTPStatusCode"])
            if delete == "1" and status == 200:
                s3.delete_object(Bucket=bucket, Key=key)
            print(status)
            """
        let arguments = try ["ENDPOINT", "ACCESS_KEY", "SECRET_KEY", "BUCKET", "REGION"].map { try TestEnvironment.require("ENVCHECK_TEST_S3_\($0)") }
        let python = try TestEnvironment.require("ENVCHECK_VENV") + "/bin/python"
        let result = try await runProgram(python, ["-c", script] + arguments + [key, delete ? "1" : "0"])
        guard result.status == 0, let status = Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw TestServerError("boto3 HEAD of \(key): \(result.output)")
        }
        return status
    }

    /// Runs `check --only s3 --write-check` through a proxy in front of moto that holds what
    /// `stalls` picks, signals SIGTERM once the read-back of the object is held, and returns
    /// the exit, the time from the signal, the s3 result, and the requests held.
    static func interruptedWriteCheck(stalls: @escaping @Sendable (String, String) -> Bool) async throws
        -> (exit: BackgroundProgram.Exit, took: Duration, s3: [String: Any], stalled: [String])
    {
        let endpoint = try TestEnvironment.require("ENVCHECK_TEST_S3_ENDPOINT")
        let motoPort = try #require(endpoint.split(separator: ":").last.flatMap { Int($0) })
        let proxy = try StallingProxy(upstreamPort: motoPort, stalls: stalls)
        var environment = try liveServices().filter { $0.key.hasPrefix("S3_") }
        environment["S3_ENDPOINT"] = proxy.baseURL
        let dir = try TempDir()
        let json = dir.path + "/report.json"
        let program = try start(["check", "--no-env-file", "--only", "s3", "--write-check", "--timeout", "20s", "--json", json], environment)
        // The PUT went through; the read-back of the object is held.
        try await waitUntil("the write check's read-back") { proxy.stalled.contains { $0.hasPrefix("GET ") } }
        let sent = program.send(SIGTERM)
        let exit = try await program.wait()
        let s3 = try #require(try probes(json)["s3"], "no s3 result: \(exit.stdout) \(exit.stderr)")
        return (exit, exit.at - sent, s3, proxy.stalled)
    }

    @Test(.requires(.s3, .venv)) func sigtermDuringAWriteCheckDeletesTheObject() async throws {
        let run = try await Self.interruptedWriteCheck { method, path in method == "GET" && path.contains("/envcheck-probe/") }
        print("check --write-check: SIGTERM to exit \(run.took)")
        #expect(run.exit.status == 143, "status \(run.exit.status.map(String.init) ?? "none"), signal \(run.exit.signal ?? 0)")
        #expect(run.took < Self.exitBound, "took \(run.took)")
        #expect(run.s3["status"] as? String == "fail")
        #expect(run.s3["code"] as? String == "interrupted", "\(run.s3)")
        let key = try #require(((run.s3["details"] as? [String: Any])?["removed"] as? [String])?.first, "\(run.s3)")
        #expect(key.hasPrefix("envcheck-probe/"))
        #expect((run.s3["message"] as? String)?.hasSuffix("; removed the write-check object \(key) in bucket envcheck-test") == true, "\(run.s3)")
        #expect(run.stalled.count == 1 && run.stalled[0].hasSuffix("/" + key), "\(run.stalled)")
        #expect(try await Self.motoStatus(of: key) == 404)
    }

    @Test(.requires(.s3, .venv)) func anObjectTheCleanupCannotDeleteInTimeIsNamedAndIsThere() async throws {
        let run = try await Self.interruptedWriteCheck { method, path in
            (method == "GET" || method == "DELETE") && path.contains("/envcheck-probe/")
        }
        print("check --write-check, DELETE held: SIGTERM to exit \(run.took)")
        #expect(run.exit.status == 143, "status \(run.exit.status.map(String.init) ?? "none"), signal \(run.exit.signal ?? 0)")
        // The cleanup had what remains of the 250 ms (its deadline is 220 ms after the signal), and no more.
        #expect(run.took >= .milliseconds(215) && run.took < Self.exitBound, "took \(run.took)")
        #expect(run.s3["code"] as? String == "cleanup_failed", "\(run.s3)")
        let key = try #require(((run.s3["details"] as? [String: Any])?["left_behind"] as? [String])?.first, "\(run.s3)")
        let message = run.s3["message"] as? String ?? ""
        #expect(message.hasPrefix("interrupted by SIGTERM after "))
        #expect(message.contains("the write-check object \(key) in bucket envcheck-test is left behind: "), "\(message)")
        #expect(run.s3["hint"] as? String == "delete \(key) in bucket envcheck-test by hand")
        #expect(run.stalled.contains { $0.hasPrefix("DELETE ") && $0.hasSuffix("/" + key) }, "\(run.stalled)")
        // It is there, as the result says; the test removes it.
        #expect(try await Self.motoStatus(of: key, delete: true) == 200)
        #expect(try await Self.motoStatus(of: key) == 404)
    }
}
