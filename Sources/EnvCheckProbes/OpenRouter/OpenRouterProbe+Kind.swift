import EnvCheckCore

extension OpenRouterProbe {
    public static let defaultBaseURL = "https://openrouter.ai/api/v1"
    static let apiKeyInput = ProbeInput("api_key", keys: ["OPENROUTER_API_KEY"], secret: .whole)
    static let baseURLInput = ProbeInput("base_url", keys: ["OPENROUTER_BASE_URL"], secret: .credentials)
    static let dailyLimitInput = ProbeInput("daily_limit_usd", keys: ["OPENROUTER_DAILY_LIMIT_USD"])
    static let dailyLimit = ProbeOption.number("daily_limit_usd", "the app's daily spend budget in USD: less credit left is a warning")

    /// The probe's I/O: HTTP, and the clock that decides whether a key expires soon.
    struct Dependencies: Sendable {
        var transport: any HTTPTransport = CurlTransport()
        var now: @Sendable () -> Int64 = Timestamp.nowEpochMs

        static let live = Dependencies()
    }

    /// The registry entry, over libcurl.
    public static let kind = kind(.live)

    /// The registry entry over `dependencies` (unit tests pass a fake transport and clock).
    static func kind(_ dependencies: Dependencies) -> ProbeKind {
        ProbeKind(
            kind: "openrouter", summary: "OPENROUTER_API_KEY is valid and has credit, without spending any",
            critical: false, inputs: [apiKeyInput, baseURLInput, dailyLimitInput], options: [dailyLimit], codes: codes,
            setup: { settings in setup(settings, dependencies) })
    }

    /// docs/protocols.md §1: status codes first, then credit and expiry.
    static let codes: [ProbeCode] = [
        ProbeCode(
            .invalidKey, .fail, meaning: "401: the key is unknown, disabled, deleted or expired",
            hint: "the key is unknown, disabled or expired: create one at https://openrouter.ai/settings/keys and update OPENROUTER_API_KEY"
        ).permanent,
        ProbeCode(
            .outOfCredits, .fail, meaning: "402, or no credit left under the key's cap",
            hint: "add credits at https://openrouter.ai/settings/credits or raise the key's limit"
        ).permanent,
        ProbeCode(
            .keyExpired, .fail, meaning: "the key's expires_at is in the past",
            hint: "create a new key at https://openrouter.ai/settings/keys and update OPENROUTER_API_KEY"
        ).permanent,
        ProbeCode(
            .rateLimited, .warn, meaning: "429: the account is rate limited (the key itself works)",
            hint: "requests are limited per account: spread them out or wait for the limit to reset"),
        ProbeCode(
            .lowCredit, .warn, meaning: "less credit left than one day's budget (OPENROUTER_DAILY_LIMIT_USD or daily_limit_usd)",
            hint: "add credits or raise the key's limit before AI features stop"),
        ProbeCode(
            .keyExpiring, .warn, meaning: "the key expires within 7 days",
            hint: "create a new key and update OPENROUTER_API_KEY before it expires"),
        ProbeCode.upstreamError.with(meaning: "a 5xx, a 404 for both key endpoints, or an answer that is not OpenRouter's JSON"),
        ProbeCode.invalidURL.with(meaning: "OPENROUTER_BASE_URL is not an http(s) base URL"),
        .tlsVerifyDisabled, .certExpiring, .dns, .connectionRefused, .tls, .network, .protocolError,
    ]

    static func setup(_ settings: ProbeSettings, _ dependencies: Dependencies) -> ProbeSetup {
        guard let key = settings.value(apiKeyInput) else {
            return .notConfigured("\(settings.describe(apiKeyInput)) is not set: AI features are off")
        }
        var base = settings.value(baseURLInput)?.value.trimmingSpaces ?? defaultBaseURL
        while base.hasSuffix("/") { base.removeLast() }
        let lower = base.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://"), !base.contains("?"), !base.contains("#") else {
            return .invalid(
                .misconfigured(
                    .invalidURL, "\(settings.describe(baseURLInput)) is not an http(s) base URL",
                    hint: "use e.g. \(label: defaultBaseURL)"))
        }
        // The manifest's option wins over OPENROUTER_DAILY_LIMIT_USD, which may be written `$5`.
        let budget: (value: Double?, text: String)? =
            settings[dailyLimit].map { ($0, "\($0)") }
            ?? settings.value(dailyLimitInput).map { input in
                let text = input.value.trimmingSpaces
                return (Double(text.hasPrefix("$") ? String(text.dropFirst()) : text), text)
            }
        var dailyLimitUSD: Double?
        if let budget {
            guard let value = budget.value, value >= 0, value.isFinite else {
                return .invalid(
                    .misconfigured(
                        .invalidConfig,
                        "the daily budget (\(settings.describe(dailyLimitInput)) or daily_limit_usd) is not a number of USD: \(budget.text.prefix(40))"))
            }
            dailyLimitUSD = value
        }
        let tls = TLSOptions(settings)
        return .ready(
            OpenRouterProbe(
                apiKey: Secret(key.value), baseURL: base, dailyLimitUSD: dailyLimitUSD, tls: tls,
                dependencies: dependencies))
    }
}
