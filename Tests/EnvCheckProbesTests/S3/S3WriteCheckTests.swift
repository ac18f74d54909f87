import EnvCheckCore
import Testing

@testable import EnvCheckProbes

@Suite struct S3WriteCheckTests {
    func run(_ transport: FakeS3Transport) async -> ProbeOutcome {
        let probe = S3Probe(config: S3ProbeTests.config(), dependencies: .init(transport: transport, now: { S3ProbeTests.now }))
        return await S3ProbeTests.outcome(probe, ProbeContext(id: "s3", deadline: .after(.seconds(5)), timeout: .seconds(5), writeCheck: true))
    }

    @Test func roundTripLeavesNothingBehind() async throws {
        let transport = FakeS3Transport()
        let outcome = await run(transport)
        #expect(outcome.status == .pass)
        #expect(outcome.message.hasSuffix("; write check passed"))
        #expect(transport.requests.map(\.method) == ["GET", "PUT", "GET", "DELETE", "HEAD"])
        #expect(transport.objects.isEmpty)
        let details = try #require(outcome.details["write_check"]?.objectValue)
        let key = try #require(details["key"]?.stringValue)
        #expect(key.hasPrefix("envcheck-probe/") && key.hasSuffix(".txt"))
        #expect(details["verified"] == true)
        #expect(transport.requests[1].url == "http://minio:9000/data/" + key)
        // The PUT signs its body's hash.
        let put = transport.requests[1]
        #expect(put.headers.contains { $0.name == "X-Amz-Content-SHA256" && $0.value == Hex.encode(Digest.sha256(put.body)) })
        #expect(!put.body.isEmpty)
    }

    @Test func keysAreUnique() {
        #expect(S3WriteCheck.uniqueKey(now: 1) != S3WriteCheck.uniqueKey(now: 1))
    }

    @Test func deniedDeleteIsCleanupFailedNamingTheKey() async throws {
        let transport = FakeS3Transport { request, store in store.store(request, deleteStatus: 403) }
        let outcome = await run(transport)
        #expect(outcome.status == .fail && outcome.code == .cleanupFailed)
        let key = try #require(transport.objects.keys.first)
        #expect(outcome.message.contains(key) && outcome.message.contains("DELETE failed: access denied"))
        #expect(outcome.details["key"] == .string(key))
        #expect(outcome.hint?.contains("delete \(key)") == true)
    }

    @Test func objectStillThereAfterDeleteIsCleanupFailed() async {
        let transport = FakeS3Transport { request, store in store.store(request, forgetOnDelete: false) }
        let outcome = await run(transport)
        #expect(outcome.code == .cleanupFailed)
        #expect(outcome.message.contains("still there after DELETE (HEAD answered 200, not 404)"))
    }

    @Test func mismatchIsReportedAndStillCleanedUp() async {
        let transport = FakeS3Transport { request, store in store.store(request, corruptReads: true) }
        let outcome = await run(transport)
        #expect(outcome.code == .writeCheckFailed)
        #expect(transport.objects.isEmpty)
        #expect(transport.requests.map(\.method) == ["GET", "PUT", "GET", "DELETE", "HEAD"])
    }

    @Test func cleanupFailureWinsOverAnEarlierFailure() async {
        let transport = FakeS3Transport { request, store in store.store(request, deleteStatus: 500, corruptReads: true) }
        let outcome = await run(transport)
        #expect(outcome.code == .cleanupFailed)
        #expect(outcome.message.contains("before that: object envcheck-probe/"))
    }

    @Test func deniedPutIsAccessDenied() async {
        let transport = FakeS3Transport { request, store in
            request.method == "PUT" ? FakeS3Transport.error(403, "AccessDenied") : store.store(request)
        }
        let outcome = await run(transport)
        #expect(outcome.code == .accessDenied && outcome.message.contains("PutObject"))
        #expect(transport.requests.count == 2)
    }

    @Test func timeoutDuringCleanupIsCleanupFailed() async {
        let transport = FakeS3Transport { request, store throws(ProbeFailure) in
            if request.method == "DELETE" { throw ProbeFailure(.timeout, "timed out waiting for a response from minio:9000 after 20ms") }
            return store.store(request)
        }
        let outcome = await run(transport)
        #expect(outcome.code == .cleanupFailed && outcome.message.contains("DeleteObject of envcheck-probe/"))
        #expect(outcome.message.contains("timed out"))
    }
}
