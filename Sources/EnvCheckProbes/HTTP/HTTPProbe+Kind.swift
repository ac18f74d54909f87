import EnvCheckCore

extension HTTPProbe {
    /// Manifest-only: no key is read by default. The URL may carry credentials.
    static let urlInput = ProbeInput("url", keys: [], secret: .credentials)

    static let method = ProbeOption.string("method", "GET (default) or HEAD")
    static let expectStatus = ProbeOption.stringList("expect_status", "the statuses that pass: codes (200) or classes (2xx); default [2xx]")
    static let expectBody = ProbeOption.string("expect_body", "text the body must contain")
    static let expectJSON = ProbeOption.stringMap("expect_json", "JSON Pointer → expected value (\"/status\": ok)")
    static let headers = ProbeOption.stringMap("headers", "request headers; every value is a secret (Authorization: Bearer ${API_KEY})", secret: true)
    static let followRedirects = ProbeOption.bool("follow_redirects", "follow up to 5 redirects (default false: a redirect fails)")
    static let unixSocket = ProbeOption.string("unix_socket", "send the request over this Unix-domain socket")

    /// The most redirects followed.
    static let maxRedirects = 5

    /// The probe's I/O: HTTP over libcurl.
    struct Dependencies: Sendable {
        var transport: any HTTPTransport = CurlTransport()

        static let live = Dependencies()
    }

    /// The registry entry: manifest-only, not critical.
    public static let kind = kind(.live)

    /// The registry entry over `dependencies` (unit tests pass a fake transport).
    static func kind(_ dependencies: Dependencies) -> ProbeKind {
        ProbeKind(
            kind: "http", summary: "url answers with an expected status (default 2xx), and the body or JSON fields expected",
            critical: false, inDefault: false, inputs: [urlInput],
            options: [method, expectStatus, expectBody, expectJSON, headers, followRedirects, unixSocket], codes: codes
        ) { settings in setup(settings, dependencies) }
    }

    static let statusHint = HintTemplate("<expected>") { (expected: String) in
        "the service answered, but not with \(label: expected): check its logs (expect_status sets what counts as healthy)"
    }

    static let codes: [ProbeCode] = [
        ProbeCode(.unexpectedStatus, .fail, meaning: "the status is not one of expect_status (default 2xx)", hint: statusHint),
        ProbeCode(
            .bodyMismatch, .fail, meaning: "the body lacks expect_body, is not JSON, or a JSON Pointer of expect_json has another value",
            hint: "the service answered, but not with the content expected: check the endpoint and expect_body / expect_json"),
        ProbeCode(
            .redirect, .fail, meaning: "a redirect with follow_redirects off, too many redirects, or one to an unusable Location",
            hint: "point url at the final address, set follow_redirects: true, or add the status to expect_status"
        ).permanent,
        .dns, .connectionRefused, .tls, .network, .protocolError, .invalidURL, .tlsVerifyDisabled, .certExpiring,
    ]

    static func setup(_ settings: ProbeSettings, _ dependencies: Dependencies) -> ProbeSetup {
        guard let url = settings.value(urlInput) else { return .notConfigured("\(settings.describe(urlInput)) is not set") }
        do throws(ProbeFailure) {
            let target = try HTTPTarget(url.value, key: url.key, unixSocket: settings[unixSocket])
            let verb = (settings[method] ?? "GET").uppercased()
            guard verb == "GET" || verb == "HEAD" else {
                throw .misconfigured(.invalidConfig, "method must be GET or HEAD (the probe is read-only), not \(label: verb.prefix(20))")
            }
            let expected = try settings[expectStatus].map { list throws(ProbeFailure) in try list.map(StatusPattern.init) } ?? [.class(2)]
            guard !expected.isEmpty else { throw .misconfigured(.invalidConfig, "expect_status lists no status") }
            var fields: [(JSONPointer, String)] = []
            for (pointer, value) in (settings[expectJSON] ?? [:]).sorted(by: { $0.key < $1.key }) {
                do throws(JSONPointer.ParseError) {
                    fields.append((try JSONPointer(pointer), value))
                } catch {
                    throw .misconfigured(.invalidConfig, "expect_json: \(label: pointer.prefix(60)) is not a JSON Pointer: \(label: error.reason)")
                }
            }
            let body = settings[expectBody].flatMap { $0.isEmpty ? nil : $0 }
            if verb == "HEAD" && (body != nil || !fields.isEmpty) {
                throw .misconfigured(.invalidConfig, "a HEAD answer has no body: expect_body and expect_json need method GET")
            }
            var requestHeaders: [(name: String, value: String)] = []
            for (name, value) in (settings[headers] ?? [:]).sorted(by: { $0.key < $1.key }) {
                guard HTTPRequest.isHeaderName(name) else {
                    throw .misconfigured(.invalidConfig, "headers: \(label: TerminalText.oneLine(String(name.prefix(40)))) is not an HTTP header name")
                }
                guard !value.contains(where: { $0 == "\r" || $0 == "\n" }) else {
                    throw .misconfigured(.invalidConfig, "headers: the value of \(label: name) contains a line break")
                }
                requestHeaders.append((name, value))
            }
            return .ready(
                HTTPProbe(
                    target: target, method: verb, expected: expected, expectBody: body, expectJSON: fields, headers: requestHeaders,
                    followRedirects: settings[followRedirects] ?? false, tls: TLSOptions(settings), dependencies: dependencies))
        } catch {
            return .invalid(error)
        }
    }
}

extension ErrorCode {
    /// The status is not one of `expect_status`.
    static let unexpectedStatus = ErrorCode("unexpected_status")
    /// The body lacks `expect_body`, or an `expect_json` field differs.
    static let bodyMismatch = ErrorCode("body_mismatch")
    /// A redirect the probe did not (or could not) follow.
    static let redirect = ErrorCode("redirect")
}
