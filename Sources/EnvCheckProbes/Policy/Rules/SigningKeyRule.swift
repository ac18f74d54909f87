import EnvCheckCore

/// `signing_key_strength`: the key that signs sessions and tokens is long, not a
/// placeholder, and not the value committed in `.env.example` (anyone with the repository
/// could forge a session). The key itself is never shown: only its length and why it is weak.
enum SigningKeyRule {
    /// The default names (the manifest option `signing_keys` replaces them).
    static let defaultKeys = ["SECRET_KEY", "JWT_SECRET_KEY", "JWT_SECRET", "SESSION_SECRET", "NEXTAUTH_SECRET", "AUTH_SECRET"]
    /// The shortest key accepted, in bytes (HS256 wants at least its 256-bit output).
    static let minimumBytes = 32

    static let rule = PolicyRule(
        .signingKeyStrength,
        summary: "SECRET_KEY (option signing_keys) is at least 32 bytes, not a placeholder, and not the value in .env.example",
        hint:
            "generate a new key (python -c 'import secrets; print(secrets.token_urlsafe(48))'), store it in the environment's secret store, and rotate sessions",
        severity: PolicyRule.severity(local: .warn, staging: .fail, production: .fail),
        examples: [
            RuleExample(
                config: ["ENVIRONMENT": "production", "SECRET_KEY": "k3JvZ8wQ1pX9mN4tR7yB2cF6hL0sD5gA8eU1iO3"], expect: nil, note: "a long random key"),
            RuleExample(config: ["ENVIRONMENT": "production", "SECRET_KEY": "shortkey"], expect: .fail, note: "8 bytes in production"),
            RuleExample(
                config: ["ENVIRONMENT": "staging", "SECRET_KEY": "changeme-changeme-changeme-changeme"], expect: .fail, note: "a placeholder, however long"),
            RuleExample(
                config: ["ENVIRONMENT": "production", "JWT_SECRET_KEY": "copied-from-the-example-file-0123456789"],
                example: ["JWT_SECRET_KEY": "copied-from-the-example-file-0123456789"], expect: .fail, note: "the value committed in .env.example"),
            RuleExample(config: ["ENVIRONMENT": "local", "SECRET_KEY": "dev"], expect: .warn, note: "a dev key on a laptop"),
        ],
        check: check)

    /// Why `value` is weak, or nil; never the value.
    static func weakness(_ key: String, _ value: String, _ c: PolicyContext) -> Message? {
        let lower = value.lowercased()
        if let example = c.exampleValues[key], !example.isEmpty, example == value { return "is the value committed in .env.example" }
        if WeakCredential.wellKnown.contains(lower) { return "is a well-known placeholder" }
        if let why = DevDefault.reason(value, secret: true) { return "is a placeholder (\(label: why))" }
        let bytes = value.utf8.count
        if bytes < minimumBytes { return "is \(bytes) bytes, shorter than \(minimumBytes)" }
        if !hasVariety(value) { return "repeats too few characters to be random" }
        return nil
    }

    /// At least 8 distinct characters: a random key of 32 bytes always has them.
    static func hasVariety(_ value: String) -> Bool { Set(value.unicodeScalars).count >= 8 }

    static func check(_ c: PolicyContext) -> RuleVerdict {
        let values = c.values(PolicyProbe.signingKeyInput, keys: c.options.signingKeys)
        guard !values.isEmpty else { return .pass("no signing key is set (\(label: c.options.signingKeys.prefix(2).joined(separator: ", ")), ...)") }
        var problems: [Message] = []
        var weak: [String] = []
        for v in values {
            guard let why = weakness(v.key, v.value, c) else { continue }
            problems.append("\(key: v.key) \(why)" as Message)
            weak.append(v.key)
        }
        let keys = values.map(\.key)
        guard !weak.isEmpty else { return .pass("\(label: keys.joined(separator: ", ")): strong enough") }
        return .broken(Message.joined(problems, separator: "; "), keys: weak)
    }
}

extension ErrorCode {
    /// A signing key is short, a placeholder, or the committed example value.
    static let signingKeyStrength = ErrorCode("signing_key_strength")
}
