/// What `envcheck serve` answers, without the HTTP server (docs/serve.md): the server hands
/// each request's method, target, `Accept` and whether it carries a body, and writes back
/// the ``ServeResponse``. Every body comes from ``ServeState``, whose results the runner has
/// already scrubbed; nothing of the request is echoed back.
public struct ServeRoutes: Sendable {
    public let state: ServeState
    /// `--fail-on warn`: a warning makes `/readyz` and `/healthz` 503.
    public let failOnWarn: Bool
    let now: @Sendable () -> Int64

    public static let endpoints = ["/livez", "/readyz", "/healthz", "/metrics"]
    public static let metricsContentType = "text/plain; version=0.0.4; charset=utf-8"
    static let text = "text/plain; charset=utf-8"
    static let json = "application/json"

    public init(state: ServeState, failOnWarn: Bool = false, now: @escaping @Sendable () -> Int64 = Timestamp.nowEpochMs) {
        self.state = state
        self.failOnWarn = failOnWarn
        self.now = now
    }

    public func respond(method: String, target: String, accept: String? = nil, hasBody: Bool = false) async -> ServeResponse {
        guard method == "GET" || method == "HEAD" else {
            // With a body, closing keeps the server from reading it (as for 413).
            return ServeResponse(
                status: 405, contentType: Self.text, body: "method not allowed: envcheck serve answers GET and HEAD\n", allow: "GET, HEAD",
                close: hasBody)
        }
        // A health endpoint takes no body; refusing one (and closing) keeps a client from
        // making the server read it.
        if hasBody { return ServeResponse(status: 413, contentType: Self.text, body: "request body not allowed\n", close: true) }
        let (path, query) = Self.split(target)
        let verbose = Self.wantsVerbose(query) || (accept.map { $0.lowercased().contains("application/json") } ?? false)
        switch path {
        case "/livez":
            return ServeResponse(status: 200, contentType: Self.text, body: "alive\n")
        case "/readyz", "/healthz":
            let now = now()
            let verdict = path == "/readyz" ? await state.readiness(now: now, failOnWarn: failOnWarn) : await state.health(now: now, failOnWarn: failOnWarn)
            guard verbose else { return ServeResponse(status: verdict.status, contentType: Self.text, body: verdict.line + "\n") }
            let body = await state.document(endpoint: path, verdict: verdict, failOnWarn: failOnWarn, now: now)
            return ServeResponse(status: verdict.status, contentType: Self.json, body: JSONWriter.write(.object(body), pretty: true) + "\n")
        case "/metrics":
            return ServeResponse(status: 200, contentType: Self.metricsContentType, body: await state.metrics())
        case "/":
            return ServeResponse(status: 200, contentType: Self.text, body: "envcheck serve: " + Self.endpoints.joined(separator: " ") + "\n")
        default:
            return ServeResponse(
                status: 404, contentType: Self.text, body: "not found: envcheck serve answers " + Self.endpoints.joined(separator: ", ") + "\n")
        }
    }

    /// The path and the query of a request target (`/readyz?verbose`).
    static func split(_ target: String) -> (path: String, query: Substring) {
        guard let mark = target.firstIndex(of: "?") else { return (target, "") }
        return (String(target[..<mark]), target[target.index(after: mark)...])
    }

    /// `verbose`, `verbose=1`, `verbose=true` (not `verbose=0` or `false`).
    static func wantsVerbose(_ query: Substring) -> Bool {
        query.split(separator: "&").contains { item in
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts[0] == "verbose" else { return false }
            return parts.count == 1 || !["0", "false", "no"].contains(parts[1].lowercased())
        }
    }
}

/// One answer of ``ServeRoutes``.
public struct ServeResponse: Sendable, Equatable {
    public let status: Int
    public let contentType: String
    public let body: String
    /// The `Allow` header of a 405.
    public let allow: String?
    /// Close the connection after this response.
    public let close: Bool

    public init(status: Int, contentType: String, body: String, allow: String? = nil, close: Bool = false) {
        self.status = status
        self.contentType = contentType
        self.body = body
        self.allow = allow
        self.close = close
    }
}
