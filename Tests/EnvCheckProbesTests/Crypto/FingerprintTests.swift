import EnvCheckCore
import EnvCheckProbes
import Testing

@Suite("keyed fingerprints over libcrypto")
struct KeyedFingerprintTests {
    @Test func hmacSHA256MatchesRFC4231() {
        let mac = Digest.hmacSHA256(key: [UInt8](repeating: 0x0b, count: 20), Array("Hi There".utf8))
        #expect(Hex.encode(mac) == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
    }

    /// The values Python's hmac module gives for the same key and inputs.
    @Test func fingerprintAndKeyIDAreHMACPrefixes() {
        let f = Digest.fingerprinter(key: String(repeating: "k", count: 32))
        #expect(f.fingerprint("twelve-chars") == "hmac:a5825dff")
        #expect(f.keyID == "1791a66c")
        #expect(Digest.fingerprinter(key: nil).fingerprint("twelve-chars") == nil)
    }
}
