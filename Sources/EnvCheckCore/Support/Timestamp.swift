#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Wall-clock time for reports, formatted without Foundation.
public enum Timestamp {
    /// Milliseconds since the Unix epoch.
    public static func nowEpochMs() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }

    /// `2026-11-29T07:25:33.123Z`, or without the fraction and zone when `plain` (the shape
    /// strict JUnit schemas accept).
    public static func iso8601(epochMs: Int64, plain: Bool = false) -> String {
        let seconds = epochMs >= 0 ? epochMs / 1000 : (epochMs - 999) / 1000
        let ms = Int(epochMs - seconds * 1000)
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secOfDay = Int(seconds - days * 86_400)
        let (y, m, d) = civil(fromDays: days)
        let date = "\(pad(Int(y), 4))-\(pad(m, 2))-\(pad(d, 2))"
        let time = "\(pad(secOfDay / 3600, 2)):\(pad(secOfDay / 60 % 60, 2)):\(pad(secOfDay % 60, 2))"
        return plain ? "\(date)T\(time)" : "\(date)T\(time).\(pad(ms, 3))Z"
    }

    /// Howard Hinnant's days-to-civil algorithm.
    static func civil(fromDays z0: Int64) -> (Int64, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = Int(doy - (153 * mp + 2) / 5 + 1)
        let m = Int(mp < 10 ? mp + 3 : mp - 9)
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }
}
