/// Hexadecimal text, in one place: digests and fingerprints (lower case), the hex forms the
/// redactor scrubs (both cases), escapes (`\u00e9`, `\x1b`) and percent-decoding.
public enum Hex {
    /// Two digits per byte.
    public static func encode(_ bytes: some Sequence<UInt8>, upper: Bool = false) -> String {
        let digits = upper ? upperDigits : lowerDigits
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `value` in at least `width` digits, zero-padded (`digits(0xe9, width: 4)` is `00e9`).
    public static func digits(_ value: UInt32, width: Int, upper: Bool = false) -> String {
        let text = String(value, radix: 16, uppercase: upper)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    /// The value of one hex digit (either case), or nil.
    public static func value(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: b - 0x30
        case 0x41...0x46: b - 0x41 + 10
        case 0x61...0x66: b - 0x61 + 10
        default: nil
        }
    }

    private static let lowerDigits = Array("0123456789abcdef".utf8)
    private static let upperDigits = Array("0123456789ABCDEF".utf8)
}
