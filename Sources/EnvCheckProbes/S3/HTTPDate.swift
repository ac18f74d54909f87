/// Parses the HTTP `Date` header (RFC 1123, `Sun, 06 Nov 1994 08:49:37 GMT`, the only
/// format servers may send since RFC 7231) and S3's ISO 8601 `<ServerTime>`
/// (`2013-05-24T00:00:00Z`), without Foundation. Used to report clock skew.
public enum HTTPDate {
    static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// Seconds since the Unix epoch, or nil when `text` is not an RFC 1123 date.
    public static func parseRFC1123(_ text: String) -> Int64? {
        var parts = text.split(separator: " ", omittingEmptySubsequences: true)
        if let first = parts.first, first.hasSuffix(",") { parts.removeFirst() }  // the weekday is optional to us
        guard parts.count == 5, parts[4] == "GMT" || parts[4] == "UTC" || parts[4] == "+0000",
              let day = Int(parts[0]), let monthIndex = months.firstIndex(of: parts[1].lowercased()),
              let year = Int(parts[2]), let seconds = secondsOfDay(parts[3]) else { return nil }
        return epochSeconds(year: year, month: monthIndex + 1, day: day, secondsOfDay: seconds)
    }

    /// Seconds since the Unix epoch from `YYYY-MM-DDTHH:MM:SS[.fff]Z`, or nil.
    public static func parseISO8601(_ text: String) -> Int64? {
        let halves = text.split(separator: "T")
        guard halves.count == 2, halves[1].hasSuffix("Z") else { return nil }
        let date = halves[0].split(separator: "-")
        let time = halves[1].dropLast().split(separator: ".")[0]
        guard date.count == 3, let y = Int(date[0]), let m = Int(date[1]), let d = Int(date[2]),
              (1...12).contains(m), let seconds = secondsOfDay(time) else { return nil }
        return epochSeconds(year: y, month: m, day: d, secondsOfDay: seconds)
    }

    static func secondsOfDay(_ text: Substring) -> Int? {
        let hms = text.split(separator: ":")
        guard hms.count == 3, let h = Int(hms[0]), let m = Int(hms[1]), let s = Int(hms[2]),
              (0..<24).contains(h), (0..<60).contains(m), (0..<61).contains(s) else { return nil }
        return h * 3600 + m * 60 + s
    }

    static func epochSeconds(year: Int, month: Int, day: Int, secondsOfDay: Int) -> Int64? {
        guard (1...31).contains(day), (1...12).contains(month) else { return nil }
        return Int64(daysFromCivil(year: year, month: month, day: day)) * 86_400 + Int64(secondsOfDay)
    }

    /// Howard Hinnant's days-from-civil: days since 1970-01-01 in the proleptic Gregorian calendar.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// `20m 5s`, `3s`, `1h 2m`: an offset for humans.
    public static func describe(seconds: Int64) -> String {
        let s = abs(seconds)
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m \(s % 60)s" }
        return "\(s / 3600)h \(s % 3600 / 60)m"
    }
}
