import EnvCheckCore

/// The `--write-check` round trip: PUT a small uniquely named object under
/// `envcheck-probe/`, GET it back and compare, DELETE it, and confirm with HEAD that it is
/// gone (404). Once the PUT succeeded, the cleanup always runs, and a failed cleanup is the
/// reported failure (`cleanup_failed`, naming the key) even when something failed before.
/// The key is registered in the attempt's ``Cleanups`` before the PUT goes out, so that an
/// interrupted run deletes it too (the same DELETE and HEAD, by the cleanup deadline).
struct S3WriteCheck: Sendable {
    static let prefix = "envcheck-probe/"

    let client: S3Client
    let key: String

    init(client: S3Client, key: String = S3WriteCheck.uniqueKey(now: Timestamp.nowEpochMs())) {
        self.client = client
        self.key = key
    }

    static func uniqueKey(now epochMs: Int64) -> String {
        "\(prefix)\(epochMs)-\(String(UInt64.random(in: 0...UInt64.max), radix: 16)).txt"
    }

    /// Details of the round trip (key, phase times) when everything worked.
    func run(deadline: Deadline, cleanups: Cleanups = Cleanups()) async throws(ProbeFailure) -> JSONObject {
        let body = Array("envcheck write check \(key)\n".utf8)
        var details = JSONObject()
        details["key"] = .string(key)

        let check = self
        guard
            let registration = cleanups.register(
                key, location: "in bucket \(client.config.bucket)",
                remove: { deadline in
                    await check.remove(by: deadline)
                })
        else {
            throw ProbeFailure(.interrupted, "the run was interrupted before \(key) was written")
        }
        let put = try await timed(details: &details, "put_ms") { () throws(ProbeFailure) in
            try await send("PUT", body: body, deadline: deadline, operation: "PutObject", mayRemain: true)
        }
        guard (200..<300).contains(put.response.status) else {
            cleanups.done(registration)  // refused: nothing was created
            throw client.failure(put, operation: "PutObject")
        }

        var readProblem: ProbeFailure?
        do {
            let get = try await timed(details: &details, "get_ms") { () throws(ProbeFailure) in
                try await send("GET", deadline: deadline, operation: "GetObject")
            }
            if get.response.status != 200 {
                readProblem = client.failure(get, operation: "GetObject")
            } else if get.response.body != body {
                readProblem = ProbeFailure(
                    .writeCheckFailed,
                    "object \(label: key) read back differs from what was written "
                        + "(\(get.response.body.count) bytes instead of \(body.count))",
                    hint: "a proxy or gateway in front of the storage may be rewriting objects")
            }
        } catch {
            readProblem = error
        }

        if let cleanupProblem = await cleanup(deadline: deadline, details: &details) {
            var failure = ProbeFailure(
                .cleanupFailed,
                "could not remove the write-check object \(label: key): \(cleanupProblem)"
                    + (readProblem.map { "; before that: \($0.message)" } ?? ""),
                hint: "delete \(label: key) from bucket \(label: client.config.bucket) by hand, and check that the credentials allow s3:DeleteObject")
            failure.details["key"] = .string(key)
            throw failure
        }
        cleanups.done(registration)
        if let readProblem { throw readProblem }
        details["verified"] = true
        return details
    }

    /// The runner's cleanup of an interrupted run: DELETE, then HEAD must say 404, by
    /// `deadline`. Returns what went wrong, or nil.
    func remove(by deadline: Deadline) async -> Message? {
        var details = JSONObject()
        return await cleanup(deadline: deadline, details: &details)
    }

    /// DELETE, then HEAD must say 404. Returns what went wrong, or nil.
    private func cleanup(deadline: Deadline, details: inout JSONObject) async -> Message? {
        do {
            let delete = try await timed(details: &details, "delete_ms") { () throws(ProbeFailure) in
                try await send("DELETE", deadline: deadline, operation: "DeleteObject")
            }
            guard (200..<300).contains(delete.response.status) else {
                return "DELETE failed: " + client.failure(delete, operation: "DeleteObject").message
            }
            let head = try await timed(details: &details, "head_ms") { () throws(ProbeFailure) in
                try await send("HEAD", deadline: deadline, operation: "HeadObject")
            }
            guard head.response.status == 404 else {
                return "it is still there after DELETE (HEAD answered \(head.response.status), not 404)"
            }
            return nil
        } catch {
            return error.message
        }
    }

    private func send(
        _ method: String, body: [UInt8] = [], deadline: Deadline, operation: String,
        mayRemain: Bool = false
    ) async throws(ProbeFailure) -> S3Client.Exchange {
        do {
            return try await client.send(method, key: key, body: body, deadline: deadline)
        } catch {
            var failure = error
            failure.message = "\(label: operation) of \(label: key) failed: \(error.message)"
            if mayRemain { failure.hint = (error.hint.map { $0 + "; " } ?? "") + "if the upload reached the server, delete \(label: key) by hand" }
            throw failure
        }
    }

    private func timed(
        details: inout JSONObject, _ name: String,
        _ work: () async throws(ProbeFailure) -> S3Client.Exchange
    ) async throws(ProbeFailure) -> S3Client.Exchange {
        let start = ContinuousClock.now
        let exchange = try await work()
        details[name] = .int((ContinuousClock.now - start).milliseconds)
        return exchange
    }
}
