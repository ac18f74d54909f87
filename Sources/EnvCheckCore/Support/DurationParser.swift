/// Parses the durations users write: `250ms`, `5s`, `2m`, `1h`, `1.5s`, `1m30s`.
public enum DurationParser {
    /// Text that is not a duration; its description says how to write one.
    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public let input: String
        public var description: String {
            "invalid duration '\(input)': use a number with a unit, such as 250ms, 5s or 2m"
        }
    }

    public static func parse(_ text: String) throws(ParseError) -> Duration {
        let input = text.trimmingSpaces
        var rest = Substring(input)
        var total = Duration.zero
        guard !rest.isEmpty else { throw ParseError(input: text) }
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { $0.isASCII && $0.isLetter }
            rest = rest.dropFirst(unit.count)
            guard let value = Double(number), value.isFinite, value >= 0 else { throw ParseError(input: text) }
            let seconds: Double
            switch unit {
            case "ms": seconds = value / 1000
            case "s": seconds = value
            case "m": seconds = value * 60
            case "h": seconds = value * 3600
            default: throw ParseError(input: text)
            }
            guard seconds <= 86_400 * 7 else { throw ParseError(input: text) }
            total += .milliseconds(Int64((seconds * 1000).rounded()))
        }
        return total
    }
}

extension Duration {
    /// Whole milliseconds, rounded down.
    public var milliseconds: Int {
        let (s, atto) = components
        return Int(s) * 1000 + Int(atto / 1_000_000_000_000_000)
    }

    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }

    /// `250ms`, `5s`, `2.5s`, `2m`: the shortest form a user would write.
    public var shortDescription: String {
        let ms = milliseconds
        if ms < 1000 { return "\(ms)ms" }
        if ms % 60_000 == 0 { return "\(ms / 60_000)m" }
        if ms % 1000 == 0 { return "\(ms / 1000)s" }
        return "\(Double(ms) / 1000)s"
    }
}

extension StringProtocol {
    /// The string without leading and trailing spaces, tabs, CR and LF (no Foundation).
    /// Works on Unicode scalars: "\r\n" is one Character, which a Character test misses.
    public var trimmingSpaces: String {
        let scalars = unicodeScalars
        let isSpace: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard let first = scalars.firstIndex(where: { !isSpace($0) }),
            let last = scalars.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }
}

/// A duration as people read it: its two largest units (`2d4h`, `3h12m`, `45s`, `750ms`).
public enum DurationText {
    public static func rough(_ duration: Duration) -> String {
        let ms = max(0, duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
        if ms < 1000 { return "\(ms)ms" }
        let units: [(String, Int64)] = [("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)]
        var seconds = ms / 1000
        var parts: [String] = []
        for (name, size) in units where seconds >= size || !parts.isEmpty {
            let n = seconds / size
            seconds %= size
            if n > 0 { parts.append("\(n)\(name)") }
            if parts.count == 2 || (!parts.isEmpty && n == 0) { break }
        }
        return parts.joined()
    }
}
