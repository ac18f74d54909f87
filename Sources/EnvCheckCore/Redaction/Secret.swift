/// A secret value. Its `description` is redacted, so string interpolation cannot leak it;
/// code that needs the value asks for `revealed` by name.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public let revealed: String
    public init(_ value: String) { revealed = value }
    public var description: String { "[redacted]" }
    public var debugDescription: String { "[redacted]" }
    public var isEmpty: Bool { revealed.isEmpty }
}

/// How much of a probe input's value is secret: the declaration each kind makes for each
/// input, which makes every value reaching that input a secret of the run, whatever route
/// it came by (docs/security.md, "Secret by the input it feeds").
public enum InputSecrecy: Sendable, Equatable {
    /// Not a secret (a host, a bucket, a region).
    case none
    /// The whole value (an API key, an access key, a token).
    case whole
    /// The credentials inside a URL or connection string: the userinfo password (to the
    /// last `@` before the host, scheme or not), `password=`/`token=`/`secret=` values.
    case credentials
    /// A `name=value,...` list of headers (`OTEL_EXPORTER_OTLP_HEADERS`): the whole value,
    /// and each value, raw and percent-decoded, with the credential after an auth scheme.
    case headerList

    /// The secrets `value` holds as this input.
    public func secrets(in value: String) -> [String] {
        switch self {
        case .none: []
        case .whole: [value]
        case .credentials: URLCredentials.passwords(in: value)
        case .headerList: [value] + KeyValueList.values(in: value)
        }
    }
}

/// Which keys hold secrets by name: the extra net under the input declarations.
public enum SecretPolicy {
    /// The credential inside an HTTP header value: `Bearer abc` → `abc`; `Basic
    /// dXNlcjpwdw==` → also the decoded `user:pw` and `pw`. Empty for a value without an
    /// auth scheme.
    public static func credentialParts(ofHeader header: String) -> [String] {
        let words = header.split(separator: " ", maxSplits: 1).map(String.init)
        guard words.count == 2, words[0].allSatisfy({ $0.isLetter || $0 == "-" }) else { return [] }
        let credential = words[1].trimmingSpaces
        var parts = [credential]
        if words[0].lowercased() == "basic", let decoded = Base64.decode(credential), let text = String(validating: decoded, as: UTF8.self) {
            parts.append(text)
            if let colon = text.firstIndex(of: ":") { parts.append(String(text[text.index(after: colon)...])) }
        }
        return parts
    }

    static let markers = ["KEY", "SECRET", "TOKEN", "PASSWORD", "PASSWD", "PASS", "CREDENTIAL", "PRIVATE"]

    /// The prefix of the keys Next.js inlines into client code: public by definition.
    public static let publicPrefix = "NEXT_PUBLIC_"

    /// Names containing KEY, SECRET, TOKEN, PASSWORD, PASSWD, PASS, CREDENTIAL or PRIVATE;
    /// never `NEXT_PUBLIC_*`, which are public by definition.
    public static func isSecretKey(_ key: String) -> Bool {
        // Byte search: this runs for every key of the environment on every start-up.
        let upper = key.uppercased()
        if upper.utf8.starts(with: publicPrefix.utf8) { return false }
        return markers.contains { upper.utf8Contains($0) }
    }

    /// The shortest value worth scrubbing from free text: shorter ones would wreck output,
    /// so messages are built so that they never contain them (``Message``).
    public static let minimumScrubLength = 4

    /// The key that turns `config`'s and `snapshot`'s fingerprints on; itself a secret.
    public static let fingerprintKeyName = "ENVCHECK_FINGERPRINT_KEY"
}

/// Every secret of a run, collected before anything runs: the values that reach a secret
/// input of a planned probe (``ProbePlan/secrets``), the values of secret-looking keys and
/// the URL credentials in any configured value, winning or shadowed (the name-based net),
/// and extras (the
/// fingerprint key).
public struct SecretInventory: Sendable {
    public private(set) var secrets: [String] = []

    public init(config: ResolvedConfig, plans: [ProbePlan] = [], extra: [String] = []) {
        var seen = Set<String>()
        func add(_ s: String) { if !s.isEmpty, seen.insert(s).inserted { secrets.append(s) } }
        // Shadowed values too: `config` shows every source that set a key.
        for entry in config.entries.values {
            for assignment in entry.sources {
                if SecretPolicy.isSecretKey(entry.key) { add(assignment.value) }
                for password in URLCredentials.passwords(in: assignment.value) { add(password) }
            }
        }
        for plan in plans { plan.secrets.forEach(add) }
        extra.forEach(add)
        // A value interpolated into a secret is (part of) a secret: `KEY=sk-${PART}`
        // makes PART's value one, however PART is named. Nested parts take more rounds.
        // Every source counts (`config` shows shadowed values too). Each round adds at least
        // one value, so there are at most as many rounds as references.
        let references = config.references.sorted(by: { $0.key < $1.key })
        var changed = !references.isEmpty
        var rounds = 0
        while changed && rounds <= references.reduce(1, { $0 + $1.value.count }) {
            changed = false
            rounds += 1
            for (key, names) in references {
                for value in config[key]?.sources.map(\.value) ?? [] {
                    let inside = secrets.filter { value.utf8Contains($0) }
                    guard !inside.isEmpty else { continue }
                    for name in names {
                        for part in config[name]?.sources.map(\.value) ?? []
                        where part.count >= SecretPolicy.minimumScrubLength && !seen.contains(part) && inside.contains(where: { $0.utf8Contains(part) }) {
                            add(part)
                            changed = true
                        }
                    }
                }
            }
        }
    }

    public func contains(_ value: String) -> Bool { secrets.contains(value) }
}
