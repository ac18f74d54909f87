/// A secret value. Its `description` is redacted, so string interpolation cannot leak it;
/// code that needs the value asks for `revealed` by name.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public let revealed: String
    public init(_ value: String) { revealed = value }
    public var description: String { "[redacted]" }
    public var debugDescription: String { "[redacted]" }
    public var isEmpty: Bool { revealed.isEmpty }
}

/// Which keys hold secrets (design.md, Reports).
public enum SecretPolicy {
    static let markers = ["KEY", "SECRET", "TOKEN", "PASSWORD", "PASSWD", "PASS", "CREDENTIAL", "PRIVATE"]

    /// Names containing KEY, SECRET, TOKEN, PASSWORD, PASSWD, PASS, CREDENTIAL or PRIVATE;
    /// never `NEXT_PUBLIC_*`, which are public by definition.
    public static func isSecretKey(_ key: String) -> Bool {
        // Byte search: this runs for every key of the environment on every start-up.
        let upper = key.uppercased()
        if upper.utf8.starts(with: "NEXT_PUBLIC_".utf8) { return false }
        return markers.contains { upper.utf8Contains($0) }
    }

    /// The shortest value worth scrubbing from free text.
    public static let minimumScrubLength = 4
}
