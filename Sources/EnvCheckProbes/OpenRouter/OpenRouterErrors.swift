import EnvCheckCore

extension ErrorCode {
    /// 401: the key is unknown, disabled, deleted or expired.
    public static let invalidKey = ErrorCode("invalid_key")
    /// 402, or no credit left under the key's cap.
    public static let outOfCredits = ErrorCode("out_of_credits")
    /// 429: the account is rate limited (the key itself works).
    public static let rateLimited = ErrorCode("rate_limited")
    /// `expires_at` is in the past.
    public static let keyExpired = ErrorCode("key_expired")
    /// `expires_at` is within a week.
    public static let keyExpiring = ErrorCode("key_expiring")
    /// Less credit left than one day's budget (`OPENROUTER_DAILY_LIMIT_USD`).
    public static let lowCredit = ErrorCode("low_credit")
}
