import EnvCheckCore
import EnvCheckProbes
import Foundation

/// An ``HTTPTransport`` that answers from a closure and records what it was sent: the
/// seam of every kind that speaks HTTP (`XProbe.kind(.init(transport: fake))`).
public final class FakeHTTPTransport: HTTPTransport, @unchecked Sendable {
    public typealias Answer = Result<HTTPResponse, ProbeFailure>
    private let lock = NSLock()
    private var sent: [HTTPRequest] = []
    private let answer: @Sendable (HTTPRequest) -> Answer

    public init(_ answer: @escaping @Sendable (HTTPRequest) -> Answer) { self.answer = answer }

    /// Every request gets this status and JSON body.
    public convenience init(status: Int, json: String = "{}", headers: [(name: String, value: String)] = []) {
        self.init { _ in .success(HTTPResponse(status: status, headers: headers, body: Array(json.utf8))) }
    }

    public var requests: [HTTPRequest] {
        lock.withLock { sent }
    }

    public func send(_ request: HTTPRequest, deadline: Deadline) async throws(ProbeFailure) -> HTTPResponse {
        lock.withLock { sent.append(request) }
        return try answer(request).get()
    }
}
