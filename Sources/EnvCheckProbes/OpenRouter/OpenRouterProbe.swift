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
    public static let defaultBaseURL = "https://openrouter.ai/api/v1"
    static let apiKeyInput = ProbeInput("api_key", keys: ["OPENROUTER_API_KEY"], secret: .whole)
    static let baseURLInput = ProbeInput("base_url", keys: ["OPENROUTER_BASE_URL"], secret: .credentials)
    static let dailyLimitInput = ProbeInput("daily_limit_usd", keys: ["OPENROUTER_DAILY_LIMIT_USD"])

    /// The registry entry, over libcurl.
    public static let kind = kind(transport: CurlTransport())

    /// The registry entry over any transport (tests pass a fake) and clock.
    public static func kind(transport: any HTTPTransport,
                            now: @escaping @Sendable () -> Int64 = Timestamp.nowEpochMs) -> ProbeKind {
        ProbeKind(kind: "openrouter", summary: "OPENROUTER_API_KEY is valid and has credit, without spending any",
                  critical: false, inputs: [apiKeyInput, baseURLInput, dailyLimitInput],
                  options: [ProbeOption("daily_limit_usd", .number, "the app's daily spend budget in USD: less credit left is a warning")],
                  setup: { settings in setup(settings, transport: transport, now: now) })
    }

    static func setup(_ settings: ProbeSettings, transport: any HTTPTransport, now: @escaping @Sendable () -> Int64) -> ProbeSetup {
        guard let key = settings.value(apiKeyInput) else {
            return .notConfigured("\(settings.describe(apiKeyInput)) is not set: AI features are off")
        }
        var base = settings.value(baseURLInput)?.value.trimmingSpaces ?? defaultBaseURL
        while base.hasSuffix("/") { base.removeLast() }
        let lower = base.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://"), !base.contains("?"), !base.contains("#") else {
            return .invalid(.misconfigured(.invalidURL, "\(settings.describe(baseURLInput)) is not an http(s) base URL",
                                           hint: "use e.g. \(label: defaultBaseURL)"))
        }
        var dailyLimit: Double?
        let budgetText = settings.stringOption("daily_limit_usd") ?? settings.value(dailyLimitInput)?.value
        if let text = budgetText?.trimmingSpaces {
            guard let value = Double(text.hasPrefix("$") ? String(text.dropFirst()) : text), value >= 0, value.isFinite else {
                return .invalid(.misconfigured(.invalidConfig, "the daily budget (\(settings.describe(dailyLimitInput)) or daily_limit_usd) is not a number of USD: \(text.prefix(40))"))
            }
            dailyLimit = value
        }
        let tls = TLSOptions(verify: settings.tlsVerify, caFile: settings.caFile)
        return .ready(OpenRouterProbe(apiKey: Secret(key.value), baseURL: base, dailyLimitUSD: dailyLimit, tls: tls,
                                      transport: transport, now: now))
    }

    let apiKey: Secret
    let baseURL: String
    let dailyLimitUSD: Double?
    let tls: TLSOptions
    let transport: any HTTPTransport
    let now: @Sendable () -> Int64

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
        return response.addresses.annotated(outcome.capped(tlsInUse: baseURL.lowercased().hasPrefix("https://"), tlsVerified: tls.verify,
                                                           reason: "TLS verification is off", hint: "remove tls_verify: false (use ca_file for a private CA)"))
    }

    private func get(_ path: String, _ deadline: Deadline) async throws(ProbeFailure) -> HTTPResponse {
        let request = HTTPRequest(url: baseURL + path, headers: [("Authorization", "Bearer \(apiKey.revealed)"),
                                                                 ("Accept", "application/json")], tls: tls)
        return try await transport.send(request, deadline: deadline)
    }
}
