import EnvCheckCore

/// `openrouter`: proves `OPENROUTER_API_KEY` is valid and has credit, without spending any.
///
/// Calls `GET {OPENROUTER_BASE_URL}/key` (default base `https://openrouter.ai/api/v1`) with
/// the key as a Bearer token, falling back to `/auth/key` on a 404.
/// - pass: 200, with the key's label, cap, remaining credit, daily usage, free tier, expiry.
/// - warn: less credit left than one day's budget (`OPENROUTER_DAILY_LIMIT_USD` or the
///   manifest option `daily_limit_usd`; `low_credit`), the key expires within 7 days
///   (`key_expiring`), 429 (`rate_limited`: the key works), or `tls_verify: false` with
///   an https base URL (`tls_verify_disabled`).
/// - fail: 401 `invalid_key`, 402 or no credit left `out_of_credits`, an expired key
///   `key_expired`, 5xx or an unexpected answer `upstream_error`, and the transport's
///   `timeout`, `tls`, `dns`, `connection_refused`, `network`.
/// - skip: the key is unset or empty (AI features are off). Not critical by default.
/// The key is only ever put in the Authorization header; server text is scrubbed of it.
public struct OpenRouterProbe: Probe {
    let apiKey: Secret
    let baseURL: String
    let dailyLimitUSD: Double?
    let tls: TLSOptions
    let dependencies: Dependencies

    public var targets: [String] { [CurlURL.target(of: baseURL)] }

    public func check(_ context: ProbeContext) async throws -> ProbeOutcome {
        var path = "/key"
        var response = try await get(path, context.deadline)
        if response.status == 404 {
            path = "/auth/key"
            response = try await get(path, context.deadline)
        }
        var outcome: ProbeOutcome
        do throws(ProbeFailure) {
            outcome = try verdict(response, path: path)
        } catch {
            throw response.addresses.failure(after: error)
        }
        outcome.details["endpoint"] = .string(path)
        outcome.details["timings_ms"] = .object(response.timings.details)
        return response.annotated(
            outcome.cappedOverHTTP(https: baseURL.lowercased().hasPrefix("https://"), tls: tls))
    }

    private func get(_ path: String, _ deadline: Deadline) async throws(ProbeFailure) -> HTTPResponse {
        let request = HTTPRequest(
            url: baseURL + path,
            headers: [
                ("Authorization", "Bearer \(apiKey.revealed)"),
                ("Accept", "application/json"),
            ], tls: tls)
        return try await dependencies.transport.send(request, deadline: deadline)
    }
}
