import EnvCheckCore

/// How a value can look inside a JavaScript (or JSON) string literal, and which values
/// prove nothing by search or are placeholders (docs/protocols.md §2).
enum ValueRules {
    /// The value raw, and escaped as a minifier or JSON writer may write it inside a
    /// double- or single-quoted literal: `\\`, `\"`/`\'`, control characters, optionally
    /// `\/`, and non-ASCII as `\uXXXX` (either hex case, UTF-16 surrogate pairs) or `\xNN`.
    static func literalForms(of value: String) -> [String] {
        var forms = [value]
        for quote in ["\"", "'"] as [Unicode.Scalar] {
            for slash in [false, true] {
                for unicode in UnicodeEscape.allCases {
                    let form = escape(value, quote: quote, slash: slash, unicode: unicode)
                    if !forms.contains(form) { forms.append(form) }
                }
            }
        }
        return forms
    }

    enum UnicodeEscape: CaseIterable { case none, lower, upper, latin1 }

    static func escape(_ value: String, quote: Unicode.Scalar, slash: Bool, unicode: UnicodeEscape) -> String {
        var out = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case quote: out += "\\" + String(quote)
            case "/" where slash: out += "\\/"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += "\\u" + Hex.digits(scalar.value, width: 4)
            case _ where scalar.value >= 0x80 && unicode != .none:
                if unicode == .latin1 && scalar.value <= 0xFF {
                    out += "\\x" + Hex.digits(scalar.value, width: 2)
                } else {
                    for unit in String(scalar).utf16 { out += "\\u" + Hex.digits(UInt32(unit), width: 4, upper: unicode == .upper) }
                }
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static let minimumVerifiableLength = 4
    private static let commonValues: Set<String> = [
        "true", "false", "null", "undefined", "yes", "no", "on", "off", "none", "auto", "default",
        "enabled", "disabled", "production", "development", "test", "staging", "prod", "dev",
    ]

    /// Why a value proves nothing when found by search (nil: it is specific enough).
    static func unverifiableReason(_ value: String) -> String? {
        if value.isEmpty { return "empty" }
        if value.count < minimumVerifiableLength { return "shorter than \(minimumVerifiableLength) characters" }
        if commonValues.contains(value.lowercased()) { return "too common a word" }
        if value.count < 6 && value.allSatisfy({ $0.isASCII && $0.isNumber }) { return "a short number" }
        return nil
    }

    private static let placeholderHosts = ["localhost", "127.0.0.1", "0.0.0.0", "[::1]", "example.com"]

    /// Why a value cannot be right in production (nil: it may be): empty, or pointing at a
    /// local or documentation host.
    static func placeholderReason(_ value: String) -> String? {
        if value.trimmingSpaces.isEmpty { return "is empty" }
        let text = Array(value.lowercased().utf8)
        for host in placeholderHosts where pointsAt(host, in: text) { return "points at \(host)" }
        return nil
    }

    /// `host` occurs as a whole host name: after the start, `/` or `@` (or `.` for a
    /// subdomain of example.com), and before the end, `:`, `/`, `?` or `#`.
    private static func pointsAt(_ host: String, in text: [UInt8]) -> Bool {
        let needle = Array(host.utf8)
        guard text.count >= needle.count else { return false }
        for start in 0...(text.count - needle.count) where text[start..<(start + needle.count)].elementsEqual(needle) {
            let before: UInt8? = start > 0 ? text[start - 1] : nil
            let after: UInt8? = start + needle.count < text.count ? text[start + needle.count] : nil
            let beforeOK =
                before == nil || before == UInt8(ascii: "/") || before == UInt8(ascii: "@")
                || (before == UInt8(ascii: ".") && host == "example.com")
            let afterOK = after == nil || [UInt8(ascii: ":"), UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "#")].contains(after!)
            if beforeOK && afterOK { return true }
        }
        return false
    }
}
