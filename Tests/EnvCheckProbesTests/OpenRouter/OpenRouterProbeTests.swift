import EnvCheckCore
import ProbeTestSupport
import TestSupport
import Testing

@testable import EnvCheckProbes

/// The openrouter probe against a fake transport: setup, status branching, credit, expiry.
struct OpenRouterProbeTests {
    static let now: Int64 = 1_795_937_133_000  // 2026-11-29T07:25:33Z
    let key = Canary.make("openrouter")

    func outcome(
        _ transport: FakeHTTPTransport, config extra: [String: String] = [:],
        options: JSONObject = JSONObject()
    ) async throws -> ProbeOutcome {
        let config = ResolvedConfig(["OPENROUTER_API_KEY": key].merging(extra) { $1 })
        let kind = OpenRouterProbe.kind(.init(transport: transport, now: { Self.now }))
        guard case .ready(let probe) = kind.setup(ProbeSettings(id: "openrouter", config: config, options: options)) else {
            throw TestServerError("probe was not ready")
        }
        let result = await Runner.outcome(of: probe, ProbeContext(id: "openrouter", deadline: .after(.seconds(2)), timeout: .seconds(2)))
        #expect(kind.undeclared(result.code, status: result.status) == nil)
        let text = [result.message.text, result.hint?.text ?? "", JSONWriter.write(.object(result.details))].joined(separator: "\n")
        #expect(Canary.leaks([key], in: text).isEmpty, "the key leaked: \(text)")
        for request in transport.requests {
            #expect(request.headers.first { $0.name == "Authorization" }?.value == "Bearer \(key)")
        }
        return result
    }

    @Test func setupSkipsWithoutAKeyAndRejectsBadValues() {
        let kind = OpenRouterProbe.kind(.init(transport: FakeHTTPTransport(status: 200)))
        func setup(_ values: [String: String], options: JSONObject = JSONObject()) -> ProbeSetup {
            kind.setup(ProbeSettings(id: "openrouter", config: ResolvedConfig(values), options: options))
        }
        #expect(kind.critical == false)
        guard case .notConfigured(let message) = setup([:]) else {
            Issue.record("unset key is not 'not configured'")
            return
        }
        #expect(message == "OPENROUTER_API_KEY is not set: AI features are off")
        guard case .notConfigured = setup(["OPENROUTER_API_KEY": "  "]) else {
            Issue.record("empty key")
            return
        }
        guard case .invalid(let badURL) = setup(["OPENROUTER_API_KEY": key, "OPENROUTER_BASE_URL": "openrouter.ai/api/v1"]) else {
            Issue.record("a base URL without scheme was accepted")
            return
        }
        #expect(badURL.code == .invalidURL && badURL.status == .error)
        guard case .invalid(let badBudget) = setup(["OPENROUTER_API_KEY": key, "OPENROUTER_DAILY_LIMIT_USD": "lots"]) else {
            Issue.record("a non-numeric budget was accepted")
            return
        }
        #expect(badBudget.code == .invalidConfig)
    }

    @Test func passReportsTheKeyAndCallsKeyWithABearerToken() async throws {
        let transport = FakeHTTPTransport(status: 200, json: OpenRouterBodies.key(expiresAt: #""2027-06-01T00:00:00Z""#))
        let result = try await outcome(transport, config: ["OPENROUTER_BASE_URL": "https://example.test/api/v1/"])
        #expect(result.status == .pass)
        #expect(result.message == "key sk-or-v1-abc...890 works: $7.50 of $10.00 left")
        #expect(result.details["label"] == "sk-or-v1-abc...890")
        #expect(result.details["limit"] == .double(10) && result.details["limit_remaining"] == .double(7.5))
        #expect(result.details["usage_daily"] == .double(0.25) && result.details["is_free_tier"] == false)
        #expect(result.details["expires_at"] == "2027-06-01T00:00:00Z")
        #expect(result.details["endpoint"] == "/key")
        #expect(transport.requests.map(\.url) == ["https://example.test/api/v1/key"])
        #expect(transport.requests.first?.method == "GET")
    }

    @Test func fallsBackToAuthKeyOn404() async throws {
        let transport = FakeHTTPTransport { request in
            request.url.hasSuffix("/auth/key")
                ? .success(HTTPResponse(status: 200, body: Array(#"{"data":{"label":"old","usage":4,"limit":10,"is_free_tier":true}}"#.utf8)))
                : .success(HTTPResponse(status: 404, body: Array("not found".utf8)))
        }
        let result = try await outcome(transport)
        #expect(result.status == .pass)
        #expect(result.details["endpoint"] == "/auth/key")
        #expect(result.details["limit_remaining"] == .double(6))
        #expect(transport.requests.map(\.url) == ["https://openrouter.ai/api/v1/key", "https://openrouter.ai/api/v1/auth/key"])
    }

    @Test func unlimitedKeyIsReportedAsUnlimitedNotZero() async throws {
        let result = try await outcome(
            FakeHTTPTransport(status: 200, json: OpenRouterBodies.key(limit: "null", remaining: "null")),
            config: ["OPENROUTER_DAILY_LIMIT_USD": "5"])
        #expect(result.status == .pass)
        #expect(result.message.hasSuffix("works: no credit cap on the key"))
        #expect(result.details["limit"] == "unlimited" && result.details["limit_remaining"] == "unlimited")
    }

    @Test func missingOptionalFieldsStillPass() async throws {
        let result = try await outcome(FakeHTTPTransport(status: 200, json: #"{"data":{"label":"k","usage":0,"limit":null}}"#))
        #expect(result.status == .pass)
        #expect(result.details.keys == ["label", "limit", "limit_remaining", "usage", "endpoint", "timings_ms"])
    }

    @Test(arguments: [
        "<html>oops</html>", "{}", #"{"data":{"usage":1,"limit":2}}"#, #"{"data":{"label":"k","limit":2}}"#,
        #"{"data":{"label":"k","usage":1}}"#, #"{"data":[]}"#,
    ])
    func malformed200IsUpstreamError(_ body: String) async throws {
        let result = try await outcome(FakeHTTPTransport(status: 200, json: body))
        #expect(result.status == .fail)
        #expect(result.code?.rawValue == "upstream_error")
        #expect(result.message.contains("not the expected JSON"))
    }

    @Test func statusCodesMapToCodesAndShowTheServersMessage() async throws {
        let cases: [(Int, String, ProbeStatus, String)] = [
            (401, OpenRouterBodies.error(401, "User not found. Bearer \(key)"), .fail, "invalid_key"),
            (402, OpenRouterBodies.error(402, "Insufficient credits", metadata: #"{"limit_source":"openrouter_key_limit"}"#), .fail, "out_of_credits"),
            (429, OpenRouterBodies.error(429, "Rate limit exceeded"), .warn, "rate_limited"),
            (500, OpenRouterBodies.error(500, "Internal Server Error"), .fail, "upstream_error"),
            (503, "<html>bad gateway</html>", .fail, "upstream_error"),
            (418, "{}", .fail, "upstream_error"),
        ]
        for (status, body, expected, code) in cases {
            let result = try await outcome(FakeHTTPTransport(status: status, json: body, headers: [("X-RateLimit-Remaining", "0")]))
            #expect(result.status == expected, "\(status)")
            #expect(result.code?.rawValue == code, "\(status)")
            if body.hasPrefix("{\"error\"") { #expect(result.hint?.contains("OpenRouter said: ") == true, "\(status)") }
            if body.hasPrefix("<html>") { #expect(result.hint?.contains("html") == false) }
        }
        let invalid = try await outcome(FakeHTTPTransport(status: 401, json: OpenRouterBodies.error(401, "User not found. Bearer \(key)")))
        #expect(invalid.hint?.contains("OpenRouter said: User not found. Bearer [redacted]") == true)
        let limited = try await outcome(FakeHTTPTransport(status: 429, json: "{}", headers: [("X-RateLimit-Remaining", "0")]))
        #expect(limited.details["x_ratelimit_remaining"] == "0")
        let noCredit = try await outcome(
            FakeHTTPTransport(status: 402, json: OpenRouterBodies.error(402, "x", metadata: #"{"limit_source":"openrouter_credits"}"#)))
        #expect(noCredit.details["limit_source"] == "openrouter_credits")
    }

    @Test func lowCreditIsAWarningAgainstTheDailyBudget() async throws {
        let body = OpenRouterBodies.key(remaining: "1.2")
        let byKey = try await outcome(FakeHTTPTransport(status: 200, json: body), config: ["OPENROUTER_DAILY_LIMIT_USD": "5"])
        #expect(byKey.status == .warn && byKey.code == .lowCredit)
        #expect(byKey.message.contains("$1.20 credit left, less than one day's budget of $5.00"))
        let byOption = try await outcome(
            FakeHTTPTransport(status: 200, json: body), config: ["OPENROUTER_DAILY_LIMIT_USD": "1"],
            options: ["daily_limit_usd": .double(2.5)])
        #expect(byOption.code == .lowCredit && byOption.message.contains("budget of $2.50"))
        let enough = try await outcome(FakeHTTPTransport(status: 200, json: body), config: ["OPENROUTER_DAILY_LIMIT_USD": "1"])
        #expect(enough.status == .pass)
    }

    /// Amounts that are not finite or not plausible (cents of 1e300 do not fit an Int;
    /// `-1e999` reads as an infinity) are an upstream_error naming the field, never a pass
    /// with `$-inf` in the message and `null` in the details.
    @Test(arguments: [
        ("limit", "1e300"), ("limit", "-1e999"), ("limit", "1e999"), ("limit", "-5"), ("limit", "9.3e16"),
        ("limit_remaining", "-1e999"), ("limit_remaining", "1e13"), ("usage", "1e999"), ("usage", "-0.01"),
        ("usage_daily", "-1e999"), ("usage_daily", "\"lots\""),
    ])
    func implausibleAmountsAreUpstreamErrors(field: String, value: String) async throws {
        var values = ["limit": "10", "limit_remaining": "7.5", "usage": "2.5", "usage_daily": "0.25"]
        values[field] = value
        let body = #"{"data":{"label":"x","# + values.sorted { $0.key < $1.key }.map { #""\#($0.key)":\#($0.value)"# }.joined(separator: ",") + "}}"
        let result = try await outcome(FakeHTTPTransport(status: 200, json: body))
        #expect(result.status == .fail && result.code == .upstreamError, "\(field)=\(value): \(result.message)")
        #expect(String(describing: result.message).contains("data.\(field) is not"), "\(result.message)")
        #expect(!String(describing: result.message).contains("$"))
        #expect(result.details["invalid_field"] == .string("data.\(field)"))
        #expect(result.details["limit"] == nil && result.details["usage"] == nil)
    }

    @Test func plausibleExtremesStillPass() async throws {
        let overspent = try await outcome(FakeHTTPTransport(status: 200, json: OpenRouterBodies.key(remaining: "-0.5")))
        #expect(overspent.status == .fail && overspent.code == .outOfCredits)
        #expect(String(describing: overspent.message).contains("-$0.50 of $10.00 left"))
        #expect(overspent.details["limit_remaining"] == .double(-0.5))
        let rich = try await outcome(FakeHTTPTransport(status: 200, json: OpenRouterBodies.key(limit: "999999999999", remaining: "999999999998")))
        #expect(rich.status == .pass, "\(rich.message)")
        #expect(String(describing: rich.message).contains("$999999999998.00 of $999999999999.00 left"))
        #expect(USD.format(4.2) == "$4.20")
        #expect(USD.format(-0.5) == "-$0.50")
        #expect(USD.format(.infinity) == "$inf")
    }

    /// An expiry that is not a real time is an upstream_error, not "never expires".
    @Test(arguments: [
        #""2026-02-30T00:00:00Z""#, #""next tuesday""#, #""0000-01-01T00:00:00Z""#, #""1999-12-31T23:59:59Z""#,
        "1795937133", "true", #""2026-13-01""#, #""2026-11-29T25:00:00Z""#,
    ])
    func impossibleExpiriesAreUpstreamErrors(expiresAt: String) async throws {
        let result = try await outcome(FakeHTTPTransport(status: 200, json: OpenRouterBodies.key(expiresAt: expiresAt)))
        #expect(result.status == .fail && result.code == .upstreamError, "\(expiresAt): \(result.message)")
        #expect(String(describing: result.message).contains("data.expires_at is not a plausible ISO-8601 time"))
        #expect(result.details["invalid_field"] == "data.expires_at")
    }

    @Test func noCreditLeftFails() async throws {
        let result = try await outcome(FakeHTTPTransport(status: 200, json: OpenRouterBodies.key(remaining: "0")))
        #expect(result.status == .fail && result.code == .outOfCredits)
    }

    @Test func expiryFailsWhenPastAndWarnsWithinAWeek() async throws {
        let expired = try await outcome(FakeHTTPTransport(status: 200, json: OpenRouterBodies.key(expiresAt: #""2026-11-28T00:00:00Z""#)))
        #expect(expired.status == .fail && expired.code == .keyExpired)
        #expect(expired.message.contains("expired at 2026-11-28T00:00:00.000Z"))
        let soon = try await outcome(FakeHTTPTransport(status: 200, json: OpenRouterBodies.key(expiresAt: #""2026-12-02T07:25:33+00:00""#)))
        #expect(soon.status == .warn && soon.code == .keyExpiring)
        #expect(soon.message.contains("(in 3 days)"))
        let never = try await outcome(FakeHTTPTransport(status: 200, json: OpenRouterBodies.key(expiresAt: "null")))
        #expect(never.status == .pass && never.details["expires_at"] == "never")
    }

    @Test func transportFailuresPassThroughAndTLSOffIsAWarning() async throws {
        let timeout = ProbeFailure(.timeout, "timed out waiting for a response from openrouter.ai:443 after 2000ms")
        let failed = try await outcome(FakeHTTPTransport { _ in .failure(timeout) })
        #expect(failed == timeout.outcome)
        let transport = FakeHTTPTransport(status: 200, json: OpenRouterBodies.key())
        let insecure = try await outcome(transport, options: ["tls_verify": false])
        #expect(insecure.status == .warn && insecure.code == .tlsVerifyDisabled)
        #expect(transport.requests.first?.tls.verify == false)
        #expect(insecure.message.hasSuffix(", but TLS verification is off"))
        // Over plain http (a local stub or proxy) there is no certificate to distrust: a pass.
        let plain = try await outcome(
            transport, config: ["OPENROUTER_BASE_URL": "http://127.0.0.1:9/api/v1"],
            options: ["tls_verify": false])
        #expect(plain.status == .pass && plain.code == nil)
    }
}
