/// The `key=value,key=value` lists OpenTelemetry's environment variables use
/// (`OTEL_RESOURCE_ATTRIBUTES`, `OTEL_EXPORTER_OTLP_HEADERS`): entries separated by commas,
/// spaces around keys and values ignored, values percent-encoded (the W3C Baggage format
/// the specification names). An empty list is valid.
public enum KeyValueList {
    public struct ParseError: Error, Equatable, Sendable {
        /// 1-based position of the entry at fault.
        public let entry: Int
        public let reason: String
    }

    /// At most this many entries (a configuration, not a data set).
    public static let maximumEntries = 256

    public static func parse(_ text: String) throws(ParseError) -> [(key: String, value: String)] {
        var entries: [(key: String, value: String)] = []
        let raw = text.split(separator: ",", omittingEmptySubsequences: false)
        if raw.count == 1 && raw[0].trimmingSpaces.isEmpty { return [] }
        for (i, piece) in raw.enumerated() {
            guard i < maximumEntries else { throw ParseError(entry: i + 1, reason: "more than \(maximumEntries) entries") }
            guard let equals = piece.firstIndex(of: "=") else { throw ParseError(entry: i + 1, reason: "no '=' between a key and a value") }
            let key = piece[..<equals].trimmingSpaces
            guard !key.isEmpty else { throw ParseError(entry: i + 1, reason: "an empty key") }
            let encoded = piece[piece.index(after: equals)...].trimmingSpaces
            guard PercentEncoding.isValid(encoded) else { throw ParseError(entry: i + 1, reason: "a value with a broken %-escape") }
            entries.append((key, PercentEncoding.decode(encoded)))
        }
        return entries
    }

    /// The values, raw and decoded, of whatever entries parse: what a secret list holds.
    static func values(in text: String) -> [String] {
        var values: [String] = []
        for piece in text.split(separator: ",") {
            guard let equals = piece.firstIndex(of: "=") else { continue }
            let encoded = piece[piece.index(after: equals)...].trimmingSpaces
            values.append(encoded)
            let decoded = PercentEncoding.decode(encoded)
            if decoded != encoded { values.append(decoded) }
            values += SecretPolicy.credentialParts(ofHeader: decoded)
        }
        return values
    }
}
