import EnvCheckCore

/// From an OpenRouter answer to a verdict: status codes first (never message text), then,
/// for a 200, credit and expiry.
extension OpenRouterProbe {
    static let week: Int64 = 7 * 86_400_000

    func verdict(_ response: HTTPResponse, path: String) throws(ProbeFailure) -> ProbeOutcome {
        let said: Message? = serverMessage(response.body).map { "OpenRouter said: \($0)" }
        func hint(_ text: Message?) -> Message? { said.map { (text.map { $0 + "; " } ?? "") + $0 } ?? text }
        func hint(_ code: ErrorCode) -> Message? { hint(Self.codes[code]?.hint) }
        switch response.status {
        case 200:
            return try keyVerdict(response.body)
        case 401:
            throw ProbeFailure(
                .invalidKey, "OpenRouter rejected the API key (HTTP 401)",
                hint: hint(.invalidKey))
        case 402:
            var details = JSONObject()
            if let source = errorObject(response.body)?["metadata"]?.objectValue?["limit_source"]?.stringValue {
                details["limit_source"] = .string(scrub(source))
            }
            throw ProbeFailure(
                .outOfCredits, "the key has no credit left (HTTP 402)",
                hint: hint(.outOfCredits), details: details)
        case 429:
            var details = JSONObject()
            for name in ["X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "Retry-After"] {
                if let value = response.header(name) { details[name.lowercased().replacing("-", with: "_")] = .string(scrub(value)) }
            }
            return .warn(
                .rateLimited, "OpenRouter is rate limiting this account (HTTP 429); the key was accepted",
                hint: hint(.rateLimited), details: details)
        case 404:
            throw ProbeFailure(
                .upstreamError, "OpenRouter has neither /key nor /auth/key under the base URL (HTTP 404)",
                hint: hint("check OPENROUTER_BASE_URL (default \(label: Self.defaultBaseURL))"))
        case 500...599:
            throw ProbeFailure(
                .upstreamError, "OpenRouter answered HTTP \(response.status) for \(label: path)",
                hint: hint("OpenRouter may be having trouble: see https://status.openrouter.ai and retry"))
        default:
            throw ProbeFailure(
                .upstreamError, "OpenRouter answered an unexpected HTTP \(response.status) for \(label: path)",
                hint: hint("check OPENROUTER_BASE_URL (redirects are not followed)"))
        }
    }

    /// A 200: the key works; now credit and expiry.
    func keyVerdict(_ body: [UInt8]) throws(ProbeFailure) -> ProbeOutcome {
        let info: OpenRouterKeyInfo
        do { info = try OpenRouterKeyInfo.parse(body) } catch {
            var details = JSONObject()
            if let field = error.field { details["invalid_field"] = .string("data.\(field)") }
            throw ProbeFailure(
                .upstreamError, "OpenRouter answered 200 but the body was not the expected JSON: \(error.reason)",
                hint: "check OPENROUTER_BASE_URL points at OpenRouter's API (\(label: Self.defaultBaseURL))", details: details)
        }
        let details = info.details.mapStrings(scrub)
        let label = TerminalText.quote(info.label, hiding: [apiKey.revealed], limit: 60)
        let credit: Message =
            switch (info.limit, info.limitRemaining) {
            case (nil, _): "no credit cap on the key"
            case (let limit?, let remaining?): "\(label: USD.format(remaining)) of \(label: USD.format(limit)) left"
            case (let limit?, nil): "a cap of \(label: USD.format(limit)), credit left unknown"
            }
        let nowMs = dependencies.now()
        if let remaining = info.limitRemaining, remaining <= 0 {
            throw ProbeFailure(
                .outOfCredits, "the key \(label) has no credit left (\(credit))",
                hint: Self.codes[.outOfCredits]?.hint, details: details)
        }
        if let expires = info.expiresAtMs, expires <= nowMs {
            throw ProbeFailure(
                .keyExpired, "the key \(label) expired at \(label: Timestamp.iso8601(epochMs: expires))",
                hint: Self.codes[.keyExpired]?.hint, details: details)
        }
        var warnings: [(ErrorCode, Message, Message)] = []
        if let budget = dailyLimitUSD, let remaining = info.limitRemaining, remaining < budget {
            warnings.append(
                (
                    .lowCredit, "\(label: USD.format(remaining)) credit left, less than one day's budget of \(label: USD.format(budget))",
                    Self.codes[.lowCredit]?.hint ?? ""
                ))
        }
        if let expires = info.expiresAtMs, expires - nowMs < Self.week {
            let hours = (expires - nowMs) / 3_600_000
            let left = hours >= 48 ? "in \(hours / 24) days" : "in \(hours) hours"
            warnings.append(
                (
                    .keyExpiring, "the key expires at \(label: Timestamp.iso8601(epochMs: expires)) (\(label: left))",
                    Self.codes[.keyExpiring]?.hint ?? ""
                ))
        }
        guard let first = warnings.first else { return .pass("key \(label) works: \(credit)", details: details) }
        return .warn(
            first.0, "key \(label) works, but " + Message.joined(warnings.map(\.1), separator: "; "),
            hint: Message.joined(warnings.map(\.2), separator: "; "), details: details)
    }

    /// `error.message` from an OpenRouter error body, quoted without the key
    /// (``TerminalText/quote(_:hiding:limit:)``); nil when the body is not OpenRouter's
    /// JSON (an HTML page from a proxy is not echoed).
    func serverMessage(_ body: [UInt8]) -> String? {
        guard let message = errorObject(body)?["message"]?.stringValue else { return nil }
        let quoted = TerminalText.quote(message, hiding: [apiKey.revealed], limit: 160)
        return quoted.isEmpty ? nil : quoted
    }

    func errorObject(_ body: [UInt8]) -> JSONObject? {
        guard let root = try? JSONParser.parse(body) else { return nil }
        return root.objectValue?["error"]?.objectValue
    }

    /// Server text for the details (JSON: no line or length limit) with the key taken out
    /// (a server may echo what it was sent).
    func scrub(_ text: String) -> String {
        Redactor(secrets: [apiKey.revealed]).scrub(text)
    }
}
