/// The one place secrets are removed from text that leaves the process
/// (docs/security.md).
///
/// It knows every secret of the run (``SecretInventory``) and, for each of at least
/// ``SecretPolicy/minimumScrubLength`` characters, the forms it takes on the wire: raw,
/// percent-encoded (upper and lower hex, RFC 3986 and letters-and-digits-only) and
/// percent-decoded, hex, JSON-escaped, and base64 and base64url at every alignment (so
/// `Authorization: Basic base64(user:password)` is covered too). `scrub` replaces each
/// with `[redacted]` and masks any connection-string credential it still finds
/// (``URLCredentials``).
///
/// Only untrusted text is scrubbed: a ``Message`` is rendered part by part, so
/// envcheck's own labels (ids, schemes, key names, paths) stay readable whatever the
/// secrets are.
public struct Redactor: Sendable {
    public static let placeholder = "[redacted]"
    private let needles: [String]
    private let secrets: [String]
    /// Every form of every secret, searched at once: a pass over a text costs the same for
    /// one secret or a thousand (docs/security.md, "What is scrubbed").
    private let literals: LiteralSet

    public init(secrets: [String]) {
        self.secrets = secrets
        var set = Set<String>()
        for secret in secrets where secret.count >= SecretPolicy.minimumScrubLength {
            set.formUnion(SecretForms.all(of: secret))
        }
        // Longest first, so a secret containing another is replaced whole.
        needles = set.sorted { $0.utf8.count != $1.utf8.count ? $0.utf8.count > $1.utf8.count : $0 < $1 }
        literals = LiteralSet(needles)
    }

    /// Every secret of the run: see ``SecretInventory``.
    public init(_ inventory: SecretInventory) { self.init(secrets: inventory.secrets) }

    /// The secrets the configuration alone shows (the name-based net; tests and `keys`).
    public init(config: ResolvedConfig, extra: [String] = []) {
        self.init(SecretInventory(config: config, extra: extra))
    }

    public var isEmpty: Bool { needles.isEmpty }

    /// The same redactor with `values` as secrets too: what a probe read from a secret store
    /// (``ProbeOutcome/revealed``), for the result it is in.
    public func adding(_ values: [String]) -> Redactor {
        values.isEmpty ? self : Redactor(secrets: secrets + values)
    }

    /// The same redactor without `values`: for showing a URL whose own password was masked
    /// by position, so that the same characters as its user or host name stay readable.
    public func excluding(_ values: [String]) -> Redactor {
        let drop = Set(values)
        return Redactor(secrets: secrets.filter { !drop.contains($0) })
    }

    /// Untrusted text with every secret form and every connection-string credential masked.
    public func scrub(_ text: String) -> String {
        URLCredentials.redact(scrubKnown(text))
    }

    /// Replaces the known secrets only.
    public func scrubKnown(_ text: String) -> String {
        var result = text
        // Bytes first, every form in one pass: each run of bytes that some form covers
        // (overlapping forms together) becomes one placeholder. Character comparison only
        // where non-ASCII text may spell a secret differently.
        let covered = literals.coveredRanges(in: text)
        if !covered.isEmpty {
            let bytes = Array(text.utf8)
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            var at = 0
            for range in covered {
                out += bytes[at..<range.lowerBound]
                out += Self.placeholder.utf8
                at = range.upperBound
            }
            out += bytes[at...]
            result = String(decoding: out, as: UTF8.self)
        }
        if !result.isASCIIText {
            for needle in needles where result.contains(needle) {
                result = result.replacing(needle, with: Self.placeholder)
            }
        }
        return result
    }

    public func scrub(_ text: String?) -> String? { text.map { scrub($0) } }

    /// A message rendered for output: trusted parts as they are, untrusted ones scrubbed.
    public func render(_ message: Message) -> String {
        message.parts.map { part in
            switch part {
            case .trusted(let t): t
            case .untrusted(let t): scrub(t)
            }
        }.joined()
    }

    public func render(_ message: Message?) -> String? { message.map { render($0) } }

    /// A result as reports show it: message, hint and each check's message rendered, every
    /// detail string scrubbed; `id`, `kind`, `status`, `code` and check ids are envcheck's own.
    public func result(id: String, kind: String, critical: Bool, outcome: ProbeOutcome, durationMs: Int, attempts: Int) -> ProbeResult {
        let passed = outcome.status == .pass
        let checks = outcome.checks.map { c in SubCheck(id: c.id.rawValue, status: c.status, message: render(c.message), keys: scrubKeys(c.keys)) }
        var details = outcome.details.mapStrings { scrub($0) }
        if !checks.isEmpty { details["rules"] = SubCheck.json(checks) }
        return ProbeResult(
            id: id, kind: kind, critical: critical, status: outcome.status, durationMs: durationMs, attempts: attempts,
            message: render(outcome.message), code: passed ? nil : outcome.code,
            hint: passed ? nil : render(outcome.hint), details: details, subChecks: checks)
    }

    /// Key names as they are; a manifest template in place of a key may hold a literal
    /// secret, and is scrubbed.
    func scrubKeys(_ keys: [String]) -> [String] { keys.map { Message.isPlainKey($0) ? $0 : scrub($0) } }

    /// Text already rendered once, scrubbed again (a report built from results of another
    /// run, a test).
    public func scrub(_ result: ProbeResult) -> ProbeResult {
        var copy = result
        copy.message = scrub(result.message)
        copy.hint = result.hint.map(scrubKnown)
        copy.details = result.details.mapStrings { scrub($0) }
        copy.subChecks = result.subChecks.map { c in SubCheck(id: c.id, status: c.status, message: scrub(c.message), keys: scrubKeys(c.keys)) }
        if !copy.subChecks.isEmpty { copy.details["rules"] = SubCheck.json(copy.subChecks) }
        return copy
    }
}

/// The forms a secret takes in text that quotes it.
public enum SecretForms {
    /// Every form of `secret` worth searching for.
    public static func all(of secret: String) -> Set<String> {
        var forms = encodings(of: secret)
        // A URL's password is registered as written (percent-encoded); drivers and
        // servers see and echo the decoded value.
        let decoded = PercentEncoding.decode(secret)
        if decoded != secret, decoded.count >= SecretPolicy.minimumScrubLength { forms.formUnion(encodings(of: decoded)) }
        return forms
    }

    static func encodings(of secret: String) -> Set<String> {
        var forms: Set<String> = [secret, jsonEscaped(secret)]
        for alphanumericOnly in [false, true] {
            let upper = PercentEncoding.encode(secret, alphanumericOnly: alphanumericOnly)
            forms.insert(upper)
            forms.insert(lowercasingEscapes(upper))
            forms.insert(upper.utf8Replacing("%20", with: "+"))
        }
        let bytes = Array(secret.utf8)
        forms.insert(Hex.encode(bytes))
        forms.insert(Hex.encode(bytes, upper: true))
        forms.formUnion(base64Forms(bytes))
        return forms
    }

    /// The shortest part of a base64 form that is still searched for: shorter common parts
    /// would match unrelated base64 text.
    public static let minimumBase64Length = 6

    /// For each alignment (0, 1 or 2 bytes before the secret in the encoded input), the
    /// base64 characters that depend on the secret's bits alone; also their base64url
    /// spelling. None when the shortest of the three is under ``minimumBase64Length``.
    public static func base64Forms(_ bytes: [UInt8]) -> Set<String> {
        var forms: [String] = []
        for offset in 0..<3 {
            let padded = [UInt8](repeating: 0, count: offset) + bytes
            let encoded = Array(Base64.encode(padded).utf8)
            // Character i carries bits [6i, 6i+6) of the input; keep those inside the secret.
            let first = (8 * offset + 5) / 6
            let last = (8 * (offset + bytes.count)) / 6  // exclusive
            guard last > first else { return [] }
            forms.append(String(decoding: encoded[first..<last], as: UTF8.self))
        }
        guard forms.allSatisfy({ $0.utf8.count >= minimumBase64Length }) else { return [] }
        var all = Set(forms)
        for form in forms { all.insert(String(form.map { $0 == "+" ? "-" : $0 == "/" ? "_" : $0 })) }
        return all
    }

    static func jsonEscaped(_ text: String) -> String {
        var out = ""
        for c in text.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "/": out += "\\/"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    static func lowercasingEscapes(_ encoded: String) -> String {
        var out: [UInt8] = []
        var afterPercent = 0
        for b in encoded.utf8 {
            if b == UInt8(ascii: "%") {
                afterPercent = 2
                out.append(b)
                continue
            }
            out.append(afterPercent > 0 && b >= 0x41 && b <= 0x46 ? b + 0x20 : b)
            afterPercent = max(0, afterPercent - 1)
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Standard base64 (RFC 4648 §4), with padding.
public enum Base64 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    public static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i < bytes.count {
            let b0 = bytes[i]
            let b1 = i + 1 < bytes.count ? bytes[i + 1] : 0
            let b2 = i + 2 < bytes.count ? bytes[i + 2] : 0
            out.append(alphabet[Int(b0 >> 2)])
            out.append(alphabet[Int((b0 & 0x3) << 4 | b1 >> 4)])
            out.append(i + 1 < bytes.count ? alphabet[Int((b1 & 0xF) << 2 | b2 >> 6)] : UInt8(ascii: "="))
            out.append(i + 2 < bytes.count ? alphabet[Int(b2 & 0x3F)] : UInt8(ascii: "="))
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes of padded or unpadded standard base64; nil for anything else.
    public static func decode(_ text: String) -> [UInt8]? {
        var values: [UInt8] = []
        for byte in text.utf8 {
            if byte == UInt8(ascii: "=") { break }
            guard let index = alphabet.firstIndex(of: byte) else { return nil }
            values.append(UInt8(index))
        }
        guard values.count % 4 != 1 else { return nil }
        var out: [UInt8] = []
        var i = 0
        while i + 1 < values.count {
            out.append(values[i] << 2 | values[i + 1] >> 4)
            if i + 2 < values.count { out.append(values[i + 1] << 4 | values[i + 2] >> 2) }
            if i + 3 < values.count { out.append(values[i + 2] << 6 | values[i + 3]) }
            i += 4
        }
        return out
    }
}

/// RFC 3986 percent-encoding of everything but unreserved characters, and lenient decoding.
public enum PercentEncoding {
    /// `-._~`: unreserved besides letters and digits.
    static let unreservedMarks: Set<UInt8> = [0x2D, 0x2E, 0x5F, 0x7E]

    /// Every byte but the unreserved ones and `extra` as `%XX`; with `alphanumericOnly`,
    /// `-._~` too (as Foundation's `.alphanumerics` encoding does).
    public static func encode(_ text: String, keeping extra: Set<UInt8> = [], alphanumericOnly: Bool = false) -> String {
        var out = ""
        for b in text.utf8 {
            let isAlphanumeric = (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39)
            if isAlphanumeric || extra.contains(b) || (!alphanumericOnly && unreservedMarks.contains(b)) {
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
            if utf8[i] == UInt8(ascii: "%"), i + 2 < utf8.count, let hi = Hex.value(utf8[i + 1]), let lo = Hex.value(utf8[i + 2]) {
                bytes.append(hi << 4 | lo)
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
                guard i + 2 < utf8.count, Hex.value(utf8[i + 1]) != nil, Hex.value(utf8[i + 2]) != nil else { return false }
                i += 3
            } else {
                i += 1
            }
        }
        return true
    }
}
