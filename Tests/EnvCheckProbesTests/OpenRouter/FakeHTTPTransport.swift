import EnvCheckCore
import EnvCheckProbes
import Foundation

/// An ``HTTPTransport`` that answers from a closure and records what it was sent.
final class FakeHTTPTransport: HTTPTransport, @unchecked Sendable {
    typealias Answer = Result<HTTPResponse, ProbeFailure>
    private let lock = NSLock()
    private var sent: [HTTPRequest] = []
    private let answer: @Sendable (HTTPRequest) -> Answer

    init(_ answer: @escaping @Sendable (HTTPRequest) -> Answer) { self.answer = answer }

    /// Every request gets this status and JSON body.
    convenience init(status: Int, json: String = "{}", headers: [(name: String, value: String)] = []) {
        self.init { _ in .success(HTTPResponse(status: status, headers: headers, body: Array(json.utf8))) }
    }

    var requests: [HTTPRequest] {
        lock.withLock { sent }
    }

    func send(_ request: HTTPRequest, deadline: Deadline) async throws(ProbeFailure) -> HTTPResponse {
        lock.withLock { sent.append(request) }
        return try answer(request).get()
    }
}

/// OpenRouter answers, as docs/protocols.md §1 describes them.
enum OpenRouterBodies {
    static func key(label: String = "sk-or-v1-abc...890", limit: String = "10", remaining: String? = "7.5",
                    usage: String = "2.5", expiresAt: String? = nil, extra: String = "") -> String {
        var fields = [#""label":"\#(label)""#, #""limit":\#(limit)"#, #""usage":\#(usage)"#, #""usage_daily":0.25"#,
                      #""is_free_tier":false"#, #""limit_reset":null"#]
        if let remaining { fields.append(#""limit_remaining":\#(remaining)"#) }
        if let expiresAt { fields.append(#""expires_at":\#(expiresAt)"#) }
        if !extra.isEmpty { fields.append(extra) }
        return #"{"data":{"# + fields.joined(separator: ",") + "}}"
    }

    static func error(_ code: Int, _ message: String, metadata: String? = nil) -> String {
        #"{"error":{"code":\#(code),"message":"\#(message)""# + (metadata.map { #","metadata":\#($0)"# } ?? "") + "}}"
    }
}
