/// The one place secrets are removed from text that leaves the process.
///
/// It knows every resolved secret: the values of secret-looking keys and the passwords
/// inside URLs in any value, plus their percent-encoded and percent-decoded forms. `scrub`
/// replaces each of at least 4 characters with `[redacted]`, and in text that may quote a
/// driver or server (messages, details, warnings) also masks any connection-string
/// credential it still finds (``URLCredentials``). Hints are envcheck's own advice, which
/// may show a URL's shape (`postgres://USER:PASSWORD@HOST/DB`): they get the first only.
public struct Redactor: Sendable {
    public static let placeholder = "[redacted]"
    private let needles: [String]

    public init(secrets: [String]) {
        var set = Set<String>()
        for secret in secrets where secret.count >= SecretPolicy.minimumScrubLength {
            set.insert(secret)
            let decoded = PercentEncoding.decode(secret)
            if decoded.count >= SecretPolicy.minimumScrubLength { set.insert(decoded) }
            set.insert(PercentEncoding.encode(secret))
        }
        // Longest first, so a secret containing another is replaced whole.
        needles = set.sorted { $0.count != $1.count ? $0.count > $1.count : $0 < $1 }
    }

    /// Every secret the configuration holds.
    public init(config: ResolvedConfig, extra: [String] = []) {
        var secrets = extra
        for entry in config.entries.values {
            if SecretPolicy.isSecretKey(entry.key) { secrets.append(entry.value) }
            secrets.append(contentsOf: URLCredentials.passwords(in: entry.value))
        }
        self.init(secrets: secrets)
    }

    public var isEmpty: Bool { needles.isEmpty }

    public func scrub(_ text: String) -> String {
        URLCredentials.redact(scrubKnown(text))
    }

    /// Replaces the known secrets only.
    public func scrubKnown(_ text: String) -> String {
        var result = text
        // Bytes first (TextSearch.swift: fast, and finds a superset of Character matches);
        // Character comparison only where non-ASCII text may spell a secret differently.
        for needle in needles where result.utf8Contains(needle) {
            result = result.utf8Replacing(needle, with: Self.placeholder)
        }
        if !result.isASCIIText {
            for needle in needles where result.contains(needle) {
                result = result.replacing(needle, with: Self.placeholder)
            }
        }
        return result
    }

    public func scrub(_ text: String?) -> String? { text.map { scrub($0) } }

    /// A result with every free-text field scrubbed; `id`, `kind`, `status`, `code` untouched.
    public func scrub(_ result: ProbeResult) -> ProbeResult {
        var copy = result
        copy.message = scrub(result.message)
        copy.hint = result.hint.map(scrubKnown)
        copy.details = result.details.mapStrings { scrub($0) }
        return copy
    }

    public func scrub(_ report: RunReport) -> RunReport {
        var copy = report
        copy.probes = report.probes.map { scrub($0) }
        copy.warnings = report.warnings.map { scrub($0) }
        return copy
    }
}

/// RFC 3986 percent-encoding of everything but unreserved characters, and lenient decoding.
public enum PercentEncoding {
    public static func encode(_ text: String, keeping extra: Set<UInt8> = []) -> String {
        var out = ""
        for b in text.utf8 {
            let isUnreserved = (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39)
                || b == 0x2D || b == 0x2E || b == 0x5F || b == 0x7E
            if isUnreserved || extra.contains(b) {
                out.unicodeScalars.append(Unicode.Scalar(b))
            } else {
                let hex = String(b, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }

    /// Decodes `%XX` sequences; malformed ones are kept as they are.
    public static func decode(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "%")) else { return text }
        var bytes: [UInt8] = []
        let utf8 = Array(text.utf8)
        var i = 0
        while i < utf8.count {
            if utf8[i] == UInt8(ascii: "%"), i + 2 < utf8.count,
               let v = UInt8(String(decoding: utf8[(i + 1)...(i + 2)], as: UTF8.self), radix: 16) {
                bytes.append(v)
                i += 3
            } else {
                bytes.append(utf8[i])
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether decoding would fail (a `%` not followed by two hex digits).
    public static func isValid(_ text: String) -> Bool {
        let utf8 = Array(text.utf8)
        var i = 0
        while i < utf8.count {
            if utf8[i] == UInt8(ascii: "%") {
                guard i + 2 < utf8.count,
                      UInt8(String(decoding: utf8[(i + 1)...(i + 2)], as: UTF8.self), radix: 16) != nil else { return false }
                i += 3
            } else {
                i += 1
            }
        }
        return true
    }
}
