import EnvCheckCore
import Synchronization
import Testing

@testable import EnvCheckProbes

#if canImport(Glibc)
    import Glibc
#endif

/// Answers from `store`, except the write check's read-back (the GET of the object), which
/// interrupts the run and never returns: the probe is stuck where the signal finds it, so
/// whatever is deleted afterwards is the runner's doing.
struct InterruptingS3Transport: HTTPTransport {
    let store: FakeS3Transport
    let interruption: Interruption

    func send(_ request: HTTPRequest, deadline: Deadline) async throws(ProbeFailure) -> HTTPResponse {
        if request.method == "GET", FakeS3Transport.path(request).contains("/" + S3WriteCheck.prefix) {
            interruption.interrupt(signal: SIGTERM)
            await withUnsafeContinuation { (_: UnsafeContinuation<Void, Never>) in }
        }
        return try await store.send(request, deadline: deadline)
    }
}

/// The S3 write check and the runner's cleanup after SIGTERM/SIGINT.
@Suite(.requires(.serialRun)) struct S3WriteCheckInterruptionTests {
    func probe(_ transport: any HTTPTransport) -> S3Probe {
        S3Probe(config: S3ProbeTests.config(), dependencies: .init(transport: transport, now: { S3ProbeTests.now }))
    }

    func runInterrupted(_ store: FakeS3Transport) async -> ProbeResult {
        let interruption = Interruption()
        let plan = ProbePlan(
            id: "s3", kind: "s3", critical: true, required: true, timeout: .seconds(5),
            setup: .ready(probe(InterruptingS3Transport(store: store, interruption: interruption))))
        return await Runner(runDeadline: .after(.seconds(10)), writeCheck: true, interruption: interruption).run([plan])[0]
    }

    @Test func theKeyIsRegisteredBeforeThePutAndReleasedOnceRemoved() async throws {
        let cleanups = Cleanups()
        let pendingAtPut = Mutex<[String]?>(nil)
        let transport = FakeS3Transport { request, store in
            if request.method == "PUT" { pendingAtPut.withLock { $0 = cleanups.pending } }
            return store.store(request)
        }
        let context = ProbeContext(id: "s3", deadline: .after(.seconds(5)), timeout: .seconds(5), writeCheck: true, cleanups: cleanups)
        let outcome = await S3ProbeTests.outcome(probe(transport), context)
        #expect(outcome.status == .pass)
        let key = try #require(outcome.details["write_check"]?.objectValue?["key"]?.stringValue)
        #expect(pendingAtPut.withLock { $0 } == [key])
        #expect(cleanups.pending.isEmpty)
    }

    @Test func aRefusedPutLeavesNothingToRemove() async {
        let cleanups = Cleanups()
        let transport = FakeS3Transport { request, store in
            request.method == "PUT" ? FakeS3Transport.error(403, "AccessDenied") : store.store(request)
        }
        let context = ProbeContext(id: "s3", deadline: .after(.seconds(5)), timeout: .seconds(5), writeCheck: true, cleanups: cleanups)
        let outcome = await S3ProbeTests.outcome(probe(transport), context)
        #expect(outcome.code == .accessDenied)
        #expect(cleanups.pending.isEmpty)
    }

    @Test func anInterruptedWriteCheckHasItsObjectDeleted() async throws {
        let store = FakeS3Transport()
        let result = await runInterrupted(store)
        #expect(result.status == .fail && result.code == .interrupted, "\(result)")
        let key = try #require(result.details["removed"]?.arrayValue?.first?.stringValue)
        #expect(key.hasPrefix(S3WriteCheck.prefix))
        #expect(result.message.hasSuffix(", before the probe finished; removed the write-check object \(key) in bucket data"), "\(result.message)")
        // List, PUT, then the runner's DELETE and HEAD (the probe is still stuck in its GET).
        #expect(store.requests.map(\.method) == ["GET", "PUT", "DELETE", "HEAD"])
        #expect(store.objects.isEmpty)
    }

    @Test func anObjectTheRunnerCannotDeleteIsNamed() async throws {
        let store = FakeS3Transport { request, store in store.store(request, deleteStatus: 403) }
        let result = await runInterrupted(store)
        #expect(result.status == .fail && result.code == .cleanupFailed, "\(result)")
        let key = try #require(store.objects.keys.first)
        #expect(result.details["left_behind"] == .array([.string(key)]))
        #expect(
            result.message.contains("the write-check object \(key) in bucket data is left behind: DELETE failed: access denied"),
            "\(result.message)")
        #expect(result.hint == "delete \(key) in bucket data by hand")
    }
}
