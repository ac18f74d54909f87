import EnvCheckCore
import TestSupport
import Testing

@testable import EnvCheckProbes

/// The openrouter probe over libcurl against local servers that answer like OpenRouter.
/// Each stub checks the Authorization header it receives and answers 400 if it is wrong.
struct OpenRouterIntegrationTests {
    let key = Canary.make("openrouter")

    /// A stub serving `/api/v1/...`: `answer` gets the path after `/api/v1`.
    func stub(_ answer: @escaping @Sendable (String) -> HTTPStubServer.Response?) throws -> HTTPStubServer {
        let expected = "Bearer \(key)"
        return try HTTPStubServer { request in
            guard request.header("authorization") == expected else { return .json(400, #"{"error":{"code":400,"message":"bad auth header"}}"#) }
            return answer(String(request.path.dropFirst("/api/v1".count)))
        }
    }

    func run(base: String, config extra: [String: String] = [:], timeout: Duration = .seconds(3)) async throws -> ProbeOutcome {
        let config = ResolvedConfig(["OPENROUTER_API_KEY": key, "OPENROUTER_BASE_URL": base].merging(extra) { $1 })
        guard case .ready(let probe) = OpenRouterProbe.kind.setup(ProbeSettings(id: "openrouter", config: config)) else {
            throw TestServerError("probe was not ready")
        }
        let result = await Runner.outcome(of: probe, ProbeContext(id: "openrouter", deadline: .after(timeout), timeout: timeout))
        let text = [result.message.text, result.hint?.text ?? "", JSONWriter.write(.object(result.details))].joined(separator: "\n")
        #expect(Canary.leaks([key], in: text).isEmpty, "the key leaked: \(text)")
        return result
    }

    func json(_ status: Int, _ body: String, headers: [(String, String)] = []) -> HTTPStubServer.Response {
        .json(status, body, headers: headers)
    }

    static func keyBody(limit: String = "10", remaining: String = "7.5", expiresAt: String = "null") -> String {
        #"{"data":{"label":"sk-or-v1-abc...890","limit":\#(limit),"limit_remaining":\#(remaining),"limit_reset":null,"#
            + #""include_byok_in_limit":false,"usage":2.5,"usage_daily":0.25,"usage_weekly":1,"usage_monthly":2.5,"#
            + #""is_free_tier":false,"expires_at":\#(expiresAt),"rate_limit":{"requests":50,"interval":"10s"}}}"#
    }

    @Test func passSendsTheBearerTokenToKey() async throws {
        let server = try stub { path in path == "/key" ? json(200, Self.keyBody()) : json(404, "{}") }
        let result = try await run(base: server.baseURL + "/api/v1")
        #expect(result.status == .pass)
        #expect(result.message == "key sk-or-v1-abc...890 works: $7.50 of $10.00 left")
        #expect(result.details["limit_remaining"] == .double(7.5) && result.details["usage_daily"] == .double(0.25))
        #expect(result.details["expires_at"] == "never")
        #expect(server.requests.map(\.path) == ["/api/v1/key"])
        #expect(server.requests.first?.header("authorization") == "Bearer \(key)")
        #expect(server.requests.first?.method == "GET")
    }

    // Two exchanges within the 3 s deadline: a parallel run on two cores has starved it.
    @Test(.requires(.serialRun)) func fallsBackToAuthKeyWhenKeyIs404() async throws {
        let server = try stub { path in
            path == "/auth/key"
                ? json(200, #"{"data":{"label":"sk-or-v1-old","usage":3,"limit":null,"is_free_tier":true}}"#)
                : json(404, #"{"error":{"code":404,"message":"Not Found"}}"#)
        }
        let result = try await run(base: server.baseURL + "/api/v1/")
        #expect(result.status == .pass)
        #expect(result.details["endpoint"] == "/auth/key" && result.details["limit"] == "unlimited")
        #expect(server.requests.map(\.path) == ["/api/v1/key", "/api/v1/auth/key"])
        #expect(server.requests.allSatisfy { $0.header("authorization") == "Bearer \(key)" })
    }

    @Test func bodyMissingOptionalFieldsPasses() async throws {
        let server = try stub { _ in json(200, #"{"data":{"label":"k","usage":0,"limit":5}}"#) }
        let result = try await run(base: server.baseURL + "/api/v1")
        #expect(result.status == .pass)
        #expect(result.details["limit"] == .double(5) && result.details["limit_remaining"] == .double(5))
    }

    @Test func malformedBodyIsUpstreamError() async throws {
        let server = try stub { _ in .init(status: 200, headers: [("Content-Type", "text/html")], body: "<html>captive portal</html>") }
        let result = try await run(base: server.baseURL + "/api/v1")
        #expect(result.status == .fail && result.code?.rawValue == "upstream_error")
        #expect(result.message == "OpenRouter answered 200 but the body was not the expected JSON: it is not JSON")
    }

    @Test func errorStatuses() async throws {
        let cases: [(Int, String, ProbeStatus, String, [(String, String)])] = [
            (401, #"{"error":{"code":401,"message":"User not found. Key: \#(key)"}}"#, .fail, "invalid_key", []),
            (402, #"{"error":{"code":402,"message":"Key limit exceeded","metadata":{"limit_source":"openrouter_key_limit"}}}"#, .fail, "out_of_credits", []),
            (
                429, #"{"error":{"code":429,"message":"Rate limit exceeded"}}"#, .warn, "rate_limited",
                [("X-RateLimit-Limit", "20"), ("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", "1795937200000")]
            ),
            (500, #"{"error":{"code":500,"message":"Internal Server Error"}}"#, .fail, "upstream_error", []),
        ]
        for (status, body, expected, code, headers) in cases {
            let server = try stub { _ in json(status, body, headers: headers) }
            let result = try await run(base: server.baseURL + "/api/v1")
            #expect(result.status == expected, "\(status)")
            #expect(result.code?.rawValue == code, "\(status)")
            #expect(result.hint?.contains("OpenRouter said: ") == true, "\(status)")
            #expect(server.requests.count == 1, "\(status)")
            if status == 401 { #expect(result.hint?.contains("User not found. Key: [redacted]") == true) }
            if status == 402 { #expect(result.details["limit_source"] == "openrouter_key_limit") }
            if status == 429 { #expect(result.details["x_ratelimit_remaining"] == "0" && result.details["x_ratelimit_limit"] == "20") }
        }
    }

    @Test func lowCreditWarnsAndNoCreditFails() async throws {
        let low = try stub { _ in json(200, Self.keyBody(remaining: "0.8")) }
        let warned = try await run(base: low.baseURL + "/api/v1", config: ["OPENROUTER_DAILY_LIMIT_USD": "2"])
        #expect(warned.status == .warn && warned.code?.rawValue == "low_credit")
        let none = try stub { _ in json(200, Self.keyBody(remaining: "0")) }
        let failed = try await run(base: none.baseURL + "/api/v1")
        #expect(failed.status == .fail && failed.code?.rawValue == "out_of_credits")
    }

    @Test func expiredAndExpiringKeys() async throws {
        let now = Timestamp.nowEpochMs()
        let past = Timestamp.iso8601(epochMs: now - 3_600_000)
        let soon = Timestamp.iso8601(epochMs: now + 2 * 86_400_000 + 60_000)
        let expired = try stub { _ in json(200, Self.keyBody(expiresAt: "\"\(past)\"")) }
        let failed = try await run(base: expired.baseURL + "/api/v1")
        #expect(failed.status == .fail && failed.code?.rawValue == "key_expired")
        let expiring = try stub { _ in json(200, Self.keyBody(expiresAt: "\"\(soon)\"")) }
        let warned = try await run(base: expiring.baseURL + "/api/v1")
        #expect(warned.status == .warn && warned.code?.rawValue == "key_expiring")
        #expect(warned.message.contains("(in 2 days)"))
    }

    @Test func unlimitedKey() async throws {
        let server = try stub { _ in json(200, Self.keyBody(limit: "null", remaining: "null")) }
        let result = try await run(base: server.baseURL + "/api/v1", config: ["OPENROUTER_DAILY_LIMIT_USD": "100"])
        #expect(result.status == .pass)
        #expect(result.details["limit"] == "unlimited" && result.details["limit_remaining"] == "unlimited")
        #expect(result.message.hasSuffix("no credit cap on the key"))
    }

    @Test func refusedPortAndUnknownHost() async throws {
        let refused = try await run(base: "http://127.0.0.1:\(try refusedPort())/api/v1")
        #expect(refused.status == .fail && refused.code == .connectionRefused)
        let unknown = try await run(base: "https://nonexistent.invalid/api/v1")
        #expect(unknown.status == .fail && unknown.code == .dns)
    }
}

/// The probe ends at its deadline. Runs alone with the other `*TimingTests` (scripts/test.sh).
@Suite(.serialized, .requires(.serialRun))
struct OpenRouterTimingTests {
    let probe = OpenRouterIntegrationTests()

    func stub(_ answer: @escaping @Sendable (String) -> HTTPStubServer.Response?) throws -> HTTPStubServer { try probe.stub(answer) }
    func run(base: String, timeout: Duration) async throws -> ProbeOutcome { try await probe.run(base: base, timeout: timeout) }

    @Test func serverThatNeverAnswersEndsAtTheDeadline() async throws {
        let server = try stub { _ in nil }
        let start = ContinuousClock.now
        let result = try await run(base: server.baseURL + "/api/v1", timeout: .seconds(1))
        let elapsed = ContinuousClock.now - start
        #expect(result.status == .fail && result.code == .timeout)
        #expect(result.message.contains("waiting for a response from 127.0.0.1:\(server.port)"))
        #expect(elapsed >= .milliseconds(900) && elapsed < .milliseconds(1500), "took \(elapsed): \(result.message)")
    }

    @Test func hungListenerEndsAtTheDeadline() async throws {
        let hung = try HungListener()
        let start = ContinuousClock.now
        let timedOut = try await run(base: "http://127.0.0.1:\(hung.port)/api/v1", timeout: .seconds(1))
        #expect(timedOut.code == .timeout && ContinuousClock.now - start < .milliseconds(1500))
    }
}
