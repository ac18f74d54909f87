/// Fingerprints that let two people compare secrets without showing them, and that
/// nobody can reverse offline (docs/security.md, "Fingerprints").
///
/// An unkeyed hash of a short secret falls to a brute-force search in seconds, so a
/// fingerprint is `hmac:` + the first 8 hex digits of HMAC-SHA256 keyed by
/// `ENVCHECK_FINGERPRINT_KEY` (at least 32 bytes, itself a secret): only holders of the
/// key can test guesses. Whoever compares (two environments' snapshots, two engineers)
/// shares the key out of band, like any other secret. The key id, the first 8 hex digits
/// of HMAC(key, "envcheck-key-id"), tells whether two fingerprints were made with the same
/// key without revealing it. Without a key there are no fingerprints, only lengths;
/// secrets under 12 characters never get one (too few to protect even keyed).
public struct Fingerprinter: Sendable {
    public static let minimumKeyBytes = 32
    public static let minimumSecretLength = 12

    /// Why fingerprints are off, when they are: one line for the report.
    public let disabledReason: String?
    private let key: [UInt8]?
    private let hmac: @Sendable ([UInt8], [UInt8]) -> [UInt8]

    /// `key`: the value of `ENVCHECK_FINGERPRINT_KEY` (nil or empty: unset). `hmac`:
    /// HMAC-SHA256(key, data).
    public init(key: String?, hmac: @escaping @Sendable (_ key: [UInt8], _ data: [UInt8]) -> [UInt8]) {
        self.hmac = hmac
        let bytes = Array((key ?? "").utf8)
        if bytes.isEmpty {
            self.key = nil
            disabledReason =
                "secrets show their length only: set \(SecretPolicy.fingerprintKeyName) (\(Self.minimumKeyBytes)+ random bytes, "
                + "shared by whoever compares) to show hmac fingerprints"
        } else if bytes.count < Self.minimumKeyBytes {
            self.key = nil
            disabledReason =
                "\(SecretPolicy.fingerprintKeyName) is shorter than \(Self.minimumKeyBytes) bytes: fingerprints are off "
                + "(make one with: openssl rand -hex 32)"
        } else {
            self.key = bytes
            disabledReason = nil
        }
    }

    public var isEnabled: Bool { key != nil }

    /// `hmac:xxxxxxxx`; nil when fingerprints are off or the secret is too short.
    public func fingerprint(_ secret: String) -> String? {
        guard let key, secret.count >= Self.minimumSecretLength else { return nil }
        return "hmac:" + Hex.encode(hmac(key, Array(secret.utf8)).prefix(4))
    }

    /// The key's id: the first 8 hex digits of HMAC(key, "envcheck-key-id").
    public var keyID: String? {
        key.map { Hex.encode(hmac($0, Array("envcheck-key-id".utf8)).prefix(4)) }
    }

}
