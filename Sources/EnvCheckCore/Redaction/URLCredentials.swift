/// Finds credentials inside connection strings without a URL parser, so that a malformed
/// URL, keyword/value conninfo, or a driver message that echoes one is handled too:
/// - the userinfo of every `scheme://user:password@host`, which runs to the *last* `@`
///   before the host (a password may hold an unencoded `@` or `/`);
/// - the same without a scheme (`user:password@host`, as some S3 endpoints are written);
/// - the value of every `name=value` whose name says password, secret or token
///   (`password=x` in conninfo, `?password=x&…` in a query, `sslpassword='a b'`).
///
/// Masking keeps the user name of a well-formed userinfo (`user:[redacted]@host`); one
/// with more than one unencoded `@` is ambiguous and is masked whole (`[redacted]@host`).
public enum URLCredentials {
    /// Every such password or value in `text`.
    public static func passwords(in text: String) -> [String] {
        spans(in: text).map { String(text[$0.secret]) }
    }

    /// `text` with each of them replaced by `[redacted]`.
    public static func redact(_ text: String) -> String {
        var result = text
        for span in spans(in: text).reversed() {
            result.replaceSubrange(span.masked, with: Redactor.placeholder)
        }
        return result
    }

    /// Whether the userinfo of `url` holds more than one unencoded `@` (an `invalid_url`:
    /// nobody can tell where the password ends).
    public static func hasAmbiguousUserinfo(_ url: String) -> Bool {
        userinfoSpans(in: url).contains { $0.secret != $0.masked }
    }

    /// A credential: the secret itself, and what masking replaces (the whole userinfo
    /// when the user name cannot be told apart).
    struct Span {
        let secret: Range<String.Index>
        let masked: Range<String.Index>
    }

    /// The spans, in order, not overlapping, none empty.
    static func spans(in text: String) -> [Span] {
        var spans = userinfoSpans(in: text) + parameterValueRanges(in: text).map { Span(secret: $0, masked: $0) }
        spans.sort { $0.masked.lowerBound < $1.masked.lowerBound }
        var result: [Span] = []
        for span in spans where !span.secret.isEmpty {
            if let last = result.last, last.masked.overlaps(span.masked) { continue }
            result.append(span)
        }
        return result
    }

    static let tokenEnd: Set<Character> = ["\"", "'", " ", "\n", "\t", "\r", "<", ">", "`", ",", ";", "(", ")", "[", "]", "{", "}"]

    /// Userinfo credentials after every `://`, and in scheme-less `user:password@host`
    /// tokens. One pass over the tokens (runs between spaces, quotes and brackets), each
    /// scanned a bounded number of times: linear in the text.
    static func userinfoSpans(in text: String) -> [Span] {
        var spans: [Span] = []
        var index = text.startIndex
        while index < text.endIndex {
            guard !tokenEnd.contains(text[index]) else {
                index = text.index(after: index)
                continue
            }
            let end = text[index...].firstIndex { tokenEnd.contains($0) } ?? text.endIndex
            spans += userinfoSpans(inToken: index..<end, of: text)
            index = end
        }
        return spans
    }

    static func userinfoSpans(inToken token: Range<String.Index>, of text: String) -> [Span] {
        guard let lastAt = text[token].lastIndex(of: "@") else { return [] }
        var spans: [Span] = []
        var searchStart = token.lowerBound
        var sawScheme = false
        while let sep = text[searchStart..<token.upperBound].utf8FirstRange(of: "://") {
            sawScheme = true
            let start = sep.upperBound
            guard start < lastAt else { break }
            let authorityEnd = text[start..<token.upperBound].firstIndex { "/?#".contains($0) } ?? token.upperBound
            var at = text[start..<authorityEnd].lastIndex(of: "@")
            // A '/' in the password pushes the host further on (`u:pa/ss@host`).
            if lastAt >= authorityEnd, text[start..<(at ?? authorityEnd)].contains(":") { at = lastAt }
            if let at, let span = span(userinfo: start..<at, in: text), spans.last.map({ !$0.masked.overlaps(span.masked) }) ?? true {
                spans.append(span)
                searchStart = at
            } else {
                searchStart = authorityEnd
            }
        }
        if !sawScheme {
            // `user:password@host` with no scheme; `KEY=user:password@host` starts after the '='.
            let start = text[token.lowerBound..<lastAt].lastIndex(of: "=").map { text.index(after: $0) } ?? token.lowerBound
            let userinfo = start..<lastAt
            if !text[userinfo].contains("/"), text.index(after: lastAt) < token.upperBound, let span = span(userinfo: userinfo, in: text) {
                spans.append(span)
            }
        }
        return spans
    }

    /// `user:password` → the password; with another `@` in the userinfo, the whole of it.
    static func span(userinfo: Range<String.Index>, in text: String) -> Span? {
        guard let colon = text[userinfo].firstIndex(of: ":") else { return nil }
        let secret = text.index(after: colon)..<userinfo.upperBound
        guard !secret.isEmpty else { return nil }
        return Span(secret: secret, masked: text[userinfo].contains("@") ? userinfo : secret)
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
            let nameStart =
                text[..<nameEnd].lastIndex { !($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
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
