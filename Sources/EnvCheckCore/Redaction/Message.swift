/// Text for a report, built from typed parts so that redaction knows what it may touch
/// (docs/security.md, "Messages built from typed parts").
///
/// - String literals, numbers, status codes and explicit labels (`\(label: host)`,
///   `\(key: name)`) are envcheck's own words: *trusted*, never rewritten, so that a dev
///   password `postgres` does not turn a scheme, a probe id or a file path into
///   `[redacted]`.
/// - Every other interpolated value (`\(serverText)`, a driver's error, an echoed value)
///   is *untrusted*: ``Redactor`` scrubs it of every secret form before it leaves the
///   process.
///
/// Equality and ``text`` look at the joined text only; the parts matter to rendering.
public struct Message: Sendable, Hashable, ExpressibleByStringInterpolation, CustomStringConvertible {
    /// One run of text and whether envcheck wrote it itself.
    public enum Part: Sendable, Hashable {
        case trusted(String)
        case untrusted(String)

        public var text: String {
            switch self {
            case .trusted(let t), .untrusted(let t): t
            }
        }
    }

    public private(set) var parts: [Part]

    public init(stringLiteral value: String) { parts = value.isEmpty ? [] : [.trusted(value)] }

    public init(stringInterpolation: StringInterpolation) { parts = stringInterpolation.parts }

    public init(parts: [Part]) {
        self.parts = []
        for part in parts { append(part) }
    }

    /// Text from outside envcheck, scrubbed when rendered.
    public static func untrusted(_ text: String) -> Message { Message(parts: [.untrusted(text)]) }

    /// envcheck's own text: never rewritten. Only for text that cannot hold a secret.
    public static func trusted(_ text: String) -> Message { Message(parts: [.trusted(text)]) }

    /// The joined text, unscrubbed: for tests and for comparisons, never for output.
    public var text: String { parts.map(\.text).joined() }

    public var description: String { text }

    public var isEmpty: Bool { parts.allSatisfy { $0.text.isEmpty } }

    public func contains(_ other: String) -> Bool { text.contains(other) }

    public func hasPrefix(_ prefix: String) -> Bool { text.hasPrefix(prefix) }

    public func hasSuffix(_ suffix: String) -> Bool { text.hasSuffix(suffix) }

    /// Adjacent parts of the same trust are merged, so that a secret split over two
    /// interpolations is still found whole.
    mutating func append(_ part: Part) {
        guard !part.text.isEmpty else { return }
        switch (parts.last, part) {
        case (.trusted(let a)?, .trusted(let b)): parts[parts.count - 1] = .trusted(a + b)
        case (.untrusted(let a)?, .untrusted(let b)): parts[parts.count - 1] = .untrusted(a + b)
        default: parts.append(part)
        }
    }

    public static func + (lhs: Message, rhs: Message) -> Message {
        var out = lhs
        for part in rhs.parts { out.append(part) }
        return out
    }

    public static func += (lhs: inout Message, rhs: Message) { lhs = lhs + rhs }

    public static func == (lhs: Message, rhs: Message) -> Bool { lhs.text == rhs.text }

    public func hash(into hasher: inout Hasher) { hasher.combine(text) }

    /// `items` joined by `separator`, each keeping its parts.
    public static func joined(_ items: [Message], separator: Message) -> Message {
        var out = Message(parts: [])
        for (i, item) in items.enumerated() {
            if i > 0 { out += separator }
            out += item
        }
        return out
    }

    public struct StringInterpolation: StringInterpolationProtocol {
        var parts: [Part] = []

        public init(literalCapacity: Int, interpolationCount: Int) {}

        mutating func add(_ part: Part) {
            var m = Message(parts: parts)
            m.append(part)
            parts = m.parts
        }

        public mutating func appendLiteral(_ literal: String) { add(.trusted(literal)) }

        /// Untrusted: scrubbed when rendered.
        public mutating func appendInterpolation(_ value: String) { add(.untrusted(value)) }

        public mutating func appendInterpolation(_ value: Substring) { add(.untrusted(String(value))) }

        /// Anything else described by its `description`: untrusted.
        public mutating func appendInterpolation<T: CustomStringConvertible>(_ value: T) { add(.untrusted(value.description)) }

        /// Numbers envcheck measured or counted.
        public mutating func appendInterpolation<T: BinaryInteger>(_ value: T) { add(.trusted(String(value))) }

        public mutating func appendInterpolation(_ value: Double) { add(.trusted(String(value))) }

        public mutating func appendInterpolation(_ value: ErrorCode) { add(.trusted(value.rawValue)) }

        public mutating func appendInterpolation(_ value: ProbeStatus) { add(.trusted(value.rawValue)) }

        public mutating func appendInterpolation(_ value: Message) {
            for part in value.parts { add(part) }
        }

        public mutating func appendInterpolation(_ value: Message?) {
            if let value { appendInterpolation(value) }
        }

        /// A label envcheck chose or the user gave as a name, not as a secret: a host
        /// name, a URL scheme, a file path from the command line, a probe id.
        public mutating func appendInterpolation(label value: String) { add(.trusted(value)) }

        public mutating func appendInterpolation(label value: Substring) { add(.trusted(String(value))) }

        /// A configuration key, or the manifest expression an input was read from: trusted
        /// when it is a plain variable name, untrusted otherwise (a `${A:-fallback}`
        /// template may hold a literal secret).
        public mutating func appendInterpolation(key value: String) {
            add(Message.isPlainKey(value) ? .trusted(value) : .untrusted(value))
        }
    }

    /// `[A-Za-z_][A-Za-z0-9_]*`.
    public static func isPlainKey(_ key: String) -> Bool {
        guard let first = key.utf8.first, first == UInt8(ascii: "_") || (first | 0x20 >= 0x61 && first | 0x20 <= 0x7A) else { return false }
        return key.utf8.allSatisfy { $0 == UInt8(ascii: "_") || ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) }
    }
}
