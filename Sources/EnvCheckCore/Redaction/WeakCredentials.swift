/// A secret that works but should not be trusted: a well-known default, the value
/// committed in `.env.example`, or equal to a non-secret shown beside it (the user or host
/// name), which reports print in the clear. Code `weak_credential` on the result of the
/// probe that uses it: `warn`, `fail` in production and staging (docs/security.md).
public struct WeakCredential: Sendable, Equatable {
    /// The input the secret fed (`url`), and the key or expression it came from.
    public let input: String
    public let source: String
    /// Why it is weak, without the value: "is a well-known default password".
    public let reason: String
    /// The environment is production-like: the finding is a `fail`.
    public let fails: Bool

    public static let code = ErrorCode.weakCredential

    /// Passwords and keys that come with images, tutorials and templates.
    public static let wellKnown: Set<String> = [
        "postgres", "postgresql", "password", "passw0rd", "changeme", "change_me", "change-me", "changeit", "secret",
        "admin", "root", "toor", "test", "testing", "example", "guest", "default", "redis", "minio", "minioadmin",
        "minio123", "mysql", "letmein", "qwerty", "123456", "12345678", "1234", "pass", "dev", "development",
        "localdev", "local", "supersecret", "your-secret-key", "your_secret_key", "s3cr3t", "xxx", "xxxx",
    ]

    /// The first weakness of the secrets `value` gives `input`, if any. `shown` are the
    /// non-secret values reports print beside it (user, host, other inputs); `example` is
    /// the value `.env.example` commits for the same key.
    public static func find(
        input: ProbeInput, value: ProbeSettings.Value, shown: [String], example: String?,
        environment: EnvironmentName
    ) -> WeakCredential? {
        let secrets = input.secrecy.secrets(in: value.value)
        let committed = example.map { Set(input.secrecy.secrets(in: $0)) } ?? []
        let shownSet = Set(shown.filter { !$0.isEmpty })
        for secret in secrets where !secret.isEmpty {
            let reason: String? =
                if wellKnown.contains(secret.lowercased()) { "is a well-known default" } else if committed.contains(secret) {
                    "is the value committed in .env.example"
                } else if shownSet.contains(secret) { "equals a user or host name shown in the clear" } else { nil }
            if let reason {
                return WeakCredential(input: input.name, source: value.key, reason: reason, fails: environment.isProductionLike)
            }
        }
        return nil
    }

    /// The non-secret parts of a URL or connection string that reports show: its user
    /// name and host (`user`/`host` keywords of a conninfo too).
    public static func shownParts(of value: String) -> [String] {
        var parts: [String] = []
        if let sep = value.utf8FirstRange(of: "://") {
            let rest = value[sep.upperBound...]
            let authorityEnd = rest.firstIndex { "/?#".contains($0) } ?? rest.endIndex
            let authority = rest[..<authorityEnd]
            if let at = authority.lastIndex(of: "@") {
                let userinfo = authority[..<at]
                parts.append(String(userinfo.prefix { $0 != ":" }))
                parts.append(String(authority[authority.index(after: at)...].prefix { $0 != ":" }))
            } else {
                parts.append(String(authority.prefix { $0 != ":" }))
            }
        }
        for word in value.split(whereSeparator: { $0 == " " || $0 == "&" || $0 == "?" }) {
            for name in ["user=", "host=", "username="] where word.hasPrefix(name) {
                parts.append(String(word.dropFirst(name.count)).trimmingCharacters(in: "'"))
            }
        }
        return parts.map { PercentEncoding.decode($0) }
    }

    /// `outcome` with this finding applied. A `pass` or `warn` becomes `warn` (or `fail`
    /// where ``fails``) with code `weak_credential`, unless `changeStatus` is false
    /// (`healthcheck`: a working container must not restart in a loop), where it is only
    /// mentioned; an outcome that did not pass only gains the detail.
    public func apply(to outcome: ProbeOutcome, changeStatus: Bool = true) -> ProbeOutcome {
        var out = outcome
        out.details["weak_credential"] = .string("\(input) (\(source)) \(reason)")
        guard outcome.status == .pass || outcome.status == .warn else { return out }
        let note: Message = "the secret in \(key: source) \(label: reason)"
        guard changeStatus else {
            out.message = outcome.message + "; weak credential: " + note
            return out
        }
        let status: ProbeStatus = fails ? .fail : .warn
        out.message = outcome.message + "; but " + note
        if status.severity > outcome.status.severity || outcome.status == .pass {
            out.status = status
            out.code = Self.code
            out.hint = ProbeCode.weakCredential.hint
        }
        return out
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}

/// Values meant for a developer's machine (`dev_...`, `change_me`, `localhost`): a code
/// default `keys` flags, and a signing key `policy` refuses.
public enum DevDefault {
    /// Why `value` reads as a development default, or nil. A well-known password
    /// (`secret`, `postgres`) counts only for a secret: `ENVIRONMENT` may default to `development`.
    public static func reason(_ value: String, secret: Bool) -> String? {
        let lower = value.lowercased()
        if lower.isEmpty { return nil }
        for prefix in ["dev_", "dev-", "test_", "local_", "django-insecure"] where lower.hasPrefix(prefix) { return "starts with \(prefix)" }
        for part in ["change_me", "changeme", "change-me", "replace_me", "replace-me", "insecure", "localhost", "127.0.0.1"]
        where lower.utf8Contains(part) {
            return "contains \(part)"
        }
        if secret, WeakCredential.wellKnown.contains(lower) { return "a well-known default" }
        return nil
    }
}
