/// Finds `scheme://user:password@host` credentials in text without a URL parser, so that
/// even a malformed URL or a driver message that echoes one is handled.
public enum URLCredentials {
    /// The passwords inside every `://user:password@` in `text`.
    public static func passwords(in text: String) -> [String] {
        userinfoRanges(in: text).compactMap { range in
            let userinfo = text[range]
            guard let colon = userinfo.firstIndex(of: ":") else { return nil }
            let password = String(userinfo[userinfo.index(after: colon)...])
            return password.isEmpty ? nil : password
        }
    }

    /// `text` with the password of every `://user:password@` replaced by `***`.
    public static func redact(_ text: String) -> String {
        var result = text
        for range in userinfoRanges(in: text).reversed() {
            let userinfo = text[range]
            guard let colon = userinfo.firstIndex(of: ":") else { continue }
            let passwordStart = result.index(after: colon)
            if passwordStart < range.upperBound { result.replaceSubrange(passwordStart..<range.upperBound, with: "***") }
        }
        return result
    }

    /// The `user:password` parts between `://` and the last `@` before the path.
    static func userinfoRanges(in text: String) -> [Range<String.Index>] {
        var ranges: [Range<String.Index>] = []
        var searchStart = text.startIndex
        while let sep = text[searchStart...].utf8FirstRange(of: "://") {
            let start = sep.upperBound
            // The authority ends at the first '/', '?', '#' or whitespace; its userinfo at the last '@'.
            let authorityEnd = text[start...].firstIndex { $0 == "/" || $0 == "?" || $0 == "#" || $0 == " " || $0 == "\n" || $0 == "\"" || $0 == "'" } ?? text.endIndex
            if let at = text[start..<authorityEnd].lastIndex(of: "@") { ranges.append(start..<at) }
            searchStart = start
        }
        return ranges
    }
}
