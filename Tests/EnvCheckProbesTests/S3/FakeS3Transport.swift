import EnvCheckCore
import Foundation

@testable import EnvCheckProbes

/// An `HTTPTransport` for S3 probe unit tests: records every request and answers with
/// `handler`, whose default is a tiny in-memory object store (PUT/GET/DELETE/HEAD on keys,
/// 200 with a ListBucketResult on the bucket).
final class FakeS3Transport: HTTPTransport, @unchecked Sendable {
    typealias Handler = @Sendable (HTTPRequest, FakeS3Transport) throws(ProbeFailure) -> HTTPResponse

    private let lock = NSLock()
    private var _requests: [HTTPRequest] = []
    private var _objects: [String: [UInt8]] = [:]
    let handler: Handler

    init(_ handler: @escaping Handler = { request, store in store.store(request) }) {
        self.handler = handler
    }

    var requests: [HTTPRequest] { lock.withLock { _requests } }
    var objects: [String: [UInt8]] { lock.withLock { _objects } }

    func send(_ request: HTTPRequest, deadline: Deadline) async throws(ProbeFailure) -> HTTPResponse {
        lock.withLock { _requests.append(request) }
        return try handler(request, self)
    }

    /// The path of the URL (after the host), without the query.
    static func path(_ request: HTTPRequest) -> String {
        let afterScheme = request.url.split(separator: "://", maxSplits: 1)[1]
        let path = afterScheme.drop { $0 != "/" }
        return String(path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0])
    }

    /// In-memory object store behaviour, for path-style URLs `/bucket[/key]`.
    func store(_ request: HTTPRequest, deleteStatus: Int = 204, forgetOnDelete: Bool = true, corruptReads: Bool = false) -> HTTPResponse {
        let path = Self.path(request)
        let parts = path.dropFirst().split(separator: "/", maxSplits: 1)
        guard parts.count == 2 else {
            return HTTPResponse(
                status: 200, headers: [("Server", "MinIO"), ("x-amz-bucket-region", "us-east-1")],
                body: Array("<ListBucketResult><KeyCount>0</KeyCount></ListBucketResult>".utf8),
                timings: HTTPTimings(dnsMs: 1, connectMs: 2, tlsMs: 0, firstByteMs: 3, totalMs: 7))
        }
        let key = String(parts[1])
        return lock.withLock {
            switch request.method {
            case "PUT":
                _objects[key] = request.body
                return HTTPResponse(status: 200)
            case "GET", "HEAD":
                guard let body = _objects[key] else { return HTTPResponse(status: 404) }
                return HTTPResponse(status: 200, body: request.method == "HEAD" ? [] : (corruptReads ? Array(body.reversed()) : body))
            case "DELETE":
                if forgetOnDelete && (200..<300).contains(deleteStatus) { _objects[key] = nil }
                return HTTPResponse(
                    status: deleteStatus,
                    body: deleteStatus == 403
                        ? Array("<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>".utf8) : [])
            default:
                return HTTPResponse(status: 405)
            }
        }
    }

    static func error(
        _ status: Int, _ code: String, message: String = "msg", extra: String = "",
        headers: [(name: String, value: String)] = []
    ) -> HTTPResponse {
        HTTPResponse(
            status: status, headers: headers,
            body: Array(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>\(code)</Code><Message>\(message)</Message>\(extra)<RequestId>1</RequestId></Error>"
                    .utf8))
    }
}
