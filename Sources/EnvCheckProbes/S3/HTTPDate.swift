import EnvCheckCore

/// Parses the HTTP `Date` header (RFC 1123, `Sun, 06 Nov 1994 08:49:37 GMT`, the only
/// format servers may send since RFC 7231) and S3's ISO 8601 `<ServerTime>`, without
/// Foundation: used to report clock skew. The calendar arithmetic is the core's
/// (`Timestamp.parseISO8601`).
public enum HTTPDate {
    static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// Seconds since the Unix epoch, or nil when `text` is not an RFC 1123 date.
    public static func parseRFC1123(_ text: String) -> Int64? {
        var parts = text.split(separator: " ", omittingEmptySubsequences: true)
        if let first = parts.first, first.hasSuffix(",") { parts.removeFirst() }  // the weekday is optional to us
        guard parts.count == 5, parts[4] == "GMT" || parts[4] == "UTC" || parts[4] == "+0000",
            let day = Int(parts[0]), let month = months.firstIndex(of: parts[1].lowercased()),
            parts[2].count == 4, parts[3].count == 8
        else { return nil }
        let iso = "\(parts[2])-\(pad(month + 1))-\(pad(day))T\(parts[3])Z"
        return Timestamp.parseISO8601(iso).map { $0 / 1000 }
    }

    /// Seconds since the Unix epoch from S3's `<ServerTime>` (`2013-05-24T00:00:00Z`), or nil.
    public static func parseISO8601(_ text: String) -> Int64? {
        Timestamp.parseISO8601(text).map { $0 >= 0 ? $0 / 1000 : ($0 - 999) / 1000 }
    }

    private static func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// `20m 5s`, `3s`, `1h 2m`: an offset for humans.
    public static func describe(seconds: Int64) -> String {
        let s = abs(seconds)
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m \(s % 60)s" }
        return "\(s / 3600)h \(s % 3600 / 60)m"
    }
}
