import COpenSSL
import EnvCheckCore

/// SHA-256 and HMAC-SHA256 from OpenSSL's libcrypto (already loaded by libpq and libcurl).
public enum Digest {
    public static func sha256(_ data: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        data.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { output in
                _ = SHA256(input.baseAddress, input.count, output.baseAddress)
            }
        }
        return out
    }

    public static func sha256(_ text: String) -> [UInt8] { sha256(Array(text.utf8)) }

    public static func hmacSHA256(key: [UInt8], _ data: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        key.withUnsafeBufferPointer { k in
            data.withUnsafeBufferPointer { d in
                out.withUnsafeMutableBufferPointer { o in
                    _ = HMAC(EVP_sha256(), k.baseAddress, Int32(k.count), d.baseAddress, d.count, o.baseAddress, &length)
                }
            }
        }
        return Array(out[0..<Int(length)])
    }

    /// Lower-case hex.
    public static func hex(_ bytes: [UInt8]) -> String {
        var s = ""
        s.reserveCapacity(bytes.count * 2)
        for b in bytes {
            let h = String(b, radix: 16)
            if h.count == 1 { s += "0" }
            s += h
        }
        return s
    }

    /// The fingerprints `config` and `snapshot` show, keyed by `ENVCHECK_FINGERPRINT_KEY`
    /// (``Fingerprinter``) with HMAC-SHA256 from libcrypto.
    public static func fingerprinter(key: String?) -> Fingerprinter {
        Fingerprinter(key: key) { key, data in hmacSHA256(key: key, data) }
    }
}
