/// Finds credentials inside connection strings without a URL parser, so that a malformed
/// URL, keyword/value conninfo, or a driver message that echoes one is handled too:
/// - the password of every `scheme://user:password@host`;
/// - the value of every `name=value` whose name says password, secret or token
///   (`password=x` in conninfo, `?password=x&…` in a query, `sslpassword='a b'`).
public enum URLCredentials {
    /// Every such password or value in `text`.
    public static func passwords(in text: String) -> [String] {
        secretRanges(in: text).map { String(text[$0]) }
    }

    /// `text` with each of them replaced by `***`.
    public static func redact(_ text: String) -> String {
        var result = text
        for range in secretRanges(in: text).reversed() {
            result.replaceSubrange(range, with: "***")
        }
        return result
    }

    /// The ranges of the secrets, in order, not overlapping, none empty.
    static func secretRanges(in text: String) -> [Range<String.Index>] {
        var ranges = userinfoPasswordRanges(in: text) + parameterValueRanges(in: text)
        ranges.sort { $0.lowerBound < $1.lowerBound }
        var result: [Range<String.Index>] = []
        for range in ranges where !range.isEmpty {
            if let last = result.last, last.overlaps(range) { continue }
            result.append(range)
        }
        return result
    }

    /// The `password` parts between `://user:` and the last `@` before the path.
    static func userinfoPasswordRanges(in text: String) -> [Range<String.Index>] {
        var ranges: [Range<String.Index>] = []
        var searchStart = text.startIndex
        while let sep = text[searchStart...].utf8FirstRange(of: "://") {
            let start = sep.upperBound
            // The authority ends at the first '/', '?', '#', quote or whitespace; its userinfo at the last '@'.
            let authorityEnd = text[start...].firstIndex { "/?#\"' \n\t".contains($0) } ?? text.endIndex
            if let at = text[start..<authorityEnd].lastIndex(of: "@"), let colon = text[start..<at].firstIndex(of: ":") {
                ranges.append(text.index(after: colon)..<at)
            }
            searchStart = start
        }
        return ranges
    }

    /// Names whose values are secrets in connection strings.
    static func isSecretParameter(_ name: Substring) -> Bool {
        let upper = name.uppercased()
        return upper.utf8Contains("PASS") || upper.utf8Contains("SECRET") || upper.utf8Contains("TOKEN")
    }

    /// The values of `name=value` pairs with a secret-looking name (spaces around `=`
    /// allowed, as libpq allows them; a value may be single-quoted).
    static func parameterValueRanges(in text: String) -> [Range<String.Index>] {
        var ranges: [Range<String.Index>] = []
        var index = text.startIndex
        while let eq = text[index...].firstIndex(of: "=") {
            index = text.index(after: eq)
            let beforeName = text[..<eq].lastIndex { $0 != " " } ?? text.startIndex
            let nameEnd = text[..<eq].last == " " ? text.index(after: beforeName) : eq
            let nameStart = text[..<nameEnd].lastIndex { !($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
                .map { text.index(after: $0) } ?? text.startIndex
            guard nameStart < nameEnd, isSecretParameter(text[nameStart..<nameEnd]) else { continue }
            var valueStart = index
            while valueStart < text.endIndex, text[valueStart] == " " { valueStart = text.index(after: valueStart) }
            if valueStart < text.endIndex, text[valueStart] == "'" {
                let inner = text.index(after: valueStart)
                let close = text[inner...].firstIndex(of: "'") ?? text.endIndex
                ranges.append(inner..<close)
                index = close
            } else {
                let end = text[valueStart...].firstIndex { "& \n\t#\"'".contains($0) } ?? text.endIndex
                ranges.append(valueStart..<end)
                index = end
            }
        }
        return ranges
    }
}
