import EnvCheckCore

/// The `data` object of a 200 from `GET /key` (docs/protocols.md §1). Only `label`, `usage`
/// and `limit` are required; everything else may be absent (the schema keeps growing, and
/// the older `/auth/key` has no `limit_remaining`).
struct OpenRouterKeyInfo: Equatable {
    var label: String
    /// Nil: no cap on this key.
    var limit: Double?
    /// Credit left under the cap; nil when the key has no cap or it cannot be known.
    var limitRemaining: Double?
    var limitReset: String?
    var usage: Double
    var usageDaily: Double?
    var isFreeTier: Bool?
    /// As sent; nil when absent. `expiresAtMs` is its parsed value (nil: never).
    var expiresAt: JSONValue?
    var expiresAtMs: Int64?

    /// What was wrong with a body that is not the expected shape; `field` names the field
    /// at fault, if one is.
    struct Malformed: Error {
        let reason: String
        var field: String?
    }

    /// Amounts in USD beyond this (a trillion dollars, either way) are not a real answer.
    static let plausibleUSD = 1e12
    /// `expires_at` before 2000-01-01 is not a real answer (4-digit years end at 9999).
    static let earliestExpiryMs: Int64 = 946_684_800_000

    static func parse(_ body: [UInt8]) throws(Malformed) -> OpenRouterKeyInfo {
        let root: JSONValue
        do { root = try JSONParser.parse(body) } catch { throw Malformed(reason: "it is not JSON") }
        guard let data = root.objectValue?["data"]?.objectValue else { throw Malformed(reason: "it has no \"data\" object") }
        guard let label = data["label"]?.stringValue else { throw Malformed(reason: "data.label is missing", field: "label") }
        guard let usageValue = data["usage"], usageValue.doubleValue != nil else { throw Malformed(reason: "data.usage is missing", field: "usage") }
        guard let limitValue = data["limit"], limitValue.isNull || limitValue.doubleValue != nil else {
            throw Malformed(reason: "data.limit is missing", field: "limit")
        }
        let usage = try amount(usageValue, "usage", allowNegative: false)!
        var info = OpenRouterKeyInfo(label: label, limit: try amount(limitValue, "limit", allowNegative: false), usage: usage)
        info.limitReset = data["limit_reset"]?.stringValue
        if let daily = data["usage_daily"] { info.usageDaily = try amount(daily, "usage_daily", allowNegative: false) }
        info.isFreeTier = data["is_free_tier"]?.boolValue
        info.expiresAt = data["expires_at"]
        if let expires = data["expires_at"], !expires.isNull {
            guard let text = expires.stringValue, let ms = Timestamp.parseISO8601(text), ms >= earliestExpiryMs else {
                throw Malformed(reason: "data.expires_at is not a plausible ISO-8601 time", field: "expires_at")
            }
            info.expiresAtMs = ms
        }
        if let remaining = data["limit_remaining"], let value = try amount(remaining, "limit_remaining", allowNegative: true) {
            info.limitRemaining = value
        } else if let limit = info.limit, data["limit_remaining"] == nil, info.limitReset == nil {
            // The older /auth/key answer: a cap that never resets, so what is left is cap - usage.
            info.limitRemaining = max(0, limit - usage)
        }
        return info
    }

    /// A USD amount: nil for JSON null; not a number, not finite (`-1e999` reads as an
    /// infinity) or beyond ``plausibleUSD`` is a malformed answer, never a verdict.
    static func amount(_ value: JSONValue, _ field: String, allowNegative: Bool) throws(Malformed) -> Double? {
        if value.isNull { return nil }
        guard let d = value.doubleValue else { throw Malformed(reason: "data.\(field) is not a number", field: field) }
        guard d.isFinite, abs(d) < plausibleUSD, allowNegative || d >= 0 else {
            throw Malformed(reason: "data.\(field) is not a plausible amount of USD", field: field)
        }
        return d
    }

    /// Details for the report: null caps read as "unlimited", never as zero.
    var details: JSONObject {
        var d = JSONObject()
        d["label"] = .string(label)
        d["limit"] = limit.map(JSONValue.double) ?? "unlimited"
        d["limit_remaining"] = limitRemaining.map(JSONValue.double) ?? (limit == nil ? "unlimited" : "unknown")
        if let limitReset { d["limit_reset"] = .string(limitReset) }
        d["usage"] = .double(usage)
        if let usageDaily { d["usage_daily"] = .double(usageDaily) }
        if let isFreeTier { d["is_free_tier"] = .bool(isFreeTier) }
        if let expiresAt { d["expires_at"] = expiresAt.isNull ? "never" : expiresAt }
        return d
    }
}

/// `$4.20`, without Foundation's formatters.
enum USD {
    static func format(_ amount: Double) -> String {
        // Beyond ~1e13 dollars (or not finite) cents no longer fit an Int: print it as it came.
        guard amount.isFinite, abs(amount) < 1e13 else { return "$\(amount)" }
        let cents = Int((abs(amount) * 100).rounded())
        let fraction = cents % 100
        return (amount < 0 && cents > 0 ? "-$" : "$") + "\(cents / 100)." + (fraction < 10 ? "0" : "") + "\(fraction)"
    }
}
