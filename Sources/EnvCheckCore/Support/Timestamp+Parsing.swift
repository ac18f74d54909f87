extension Timestamp {
    /// Milliseconds since the Unix epoch of an ISO-8601 / RFC 3339 timestamp, without
    /// Foundation: `2026-11-29`, `2026-11-29T07:25:33Z`, `2026-11-29 07:25:33.123456+02:00`,
    /// `...-0500`. A time without a zone is taken as UTC. Nil when it is not one.
    public static func parseISO8601(_ text: String) -> Int64? {
        var scanner = DigitScanner(Array(text.trimmingSpaces.utf8))
        guard let year = scanner.number(4), scanner.take("-"), let month = scanner.number(2), scanner.take("-"),
            let day = scanner.number(2), (1...12).contains(month), (1...daysIn(month, year: year)).contains(day)
        else { return nil }
        var ms = daysFromCivil(Int64(year), month, day) * 86_400_000
        if scanner.atEnd { return ms }
        guard scanner.take("T") || scanner.take("t") || scanner.take(" "),
            let hour = scanner.number(2), scanner.take(":"), let minute = scanner.number(2),
            hour < 24, minute < 60
        else { return nil }
        var second = 0
        if scanner.take(":") {
            guard let s = scanner.number(2), s <= 60 else { return nil }  // 60: a leap second
            second = s
        }
        ms += Int64(hour * 3_600_000 + minute * 60_000 + second * 1000)
        if scanner.take(".") || scanner.take(",") {
            guard let (fraction, digits) = scanner.digits() else { return nil }
            ms += Int64(fraction * 1000 / pow10(digits))
        }
        if scanner.atEnd || scanner.take("Z") || scanner.take("z") { return scanner.atEnd ? ms : nil }
        guard let sign = scanner.sign(), let zoneHours = scanner.number(2), zoneHours < 24 else { return nil }
        _ = scanner.take(":")
        guard let zoneMinutes = scanner.number(2), zoneMinutes < 60, scanner.atEnd else { return nil }
        return ms - Int64(sign * (zoneHours * 3_600_000 + zoneMinutes * 60_000))
    }

    /// Howard Hinnant's days-from-civil algorithm (the inverse of ``civil(fromDays:)``).
    static func daysFromCivil(_ year: Int64, _ month: Int, _ day: Int) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = Int64(month > 2 ? month - 3 : month + 9)
        let doy = (153 * mp + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func daysIn(_ month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private static func pow10(_ n: Int) -> Int { (0..<n).reduce(1) { r, _ in r * 10 } }
}

/// Reads fixed-width numbers and single characters from ASCII bytes.
private struct DigitScanner {
    let bytes: [UInt8]
    var index = 0
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { index == bytes.count }

    mutating func take(_ c: Character) -> Bool {
        guard index < bytes.count, let ascii = c.asciiValue, bytes[index] == ascii else { return false }
        index += 1
        return true
    }

    /// Exactly `width` digits.
    mutating func number(_ width: Int) -> Int? {
        guard index + width <= bytes.count else { return nil }
        var value = 0
        for b in bytes[index..<index + width] {
            guard b >= 48 && b <= 57 else { return nil }
            value = value * 10 + Int(b - 48)
        }
        index += width
        return value
    }

    /// One or more digits (at most 9 are used): the value and how many were used.
    mutating func digits() -> (Int, Int)? {
        var value = 0
        var used = 0
        var seen = 0
        while index < bytes.count, bytes[index] >= 48 && bytes[index] <= 57 {
            if used < 9 {
                value = value * 10 + Int(bytes[index] - 48)
                used += 1
            }
            index += 1
            seen += 1
        }
        return seen > 0 ? (value, used) : nil
    }

    mutating func sign() -> Int? {
        if take("+") { return 1 }
        if take("-") { return -1 }
        return nil
    }
}
