import Foundation
import TestSupport
import Testing

@testable import EnvCheckProbes

/// The trust-store rules (docs/security.md, "TLS"): which file and directories envcheck hands
/// OpenSSL for an environment, and when the bundle file is skipped for the hashed directory.
struct TrustStoreTests {
    func resolve(_ environment: [String: String], hashed: Set<String> = ["/usr/lib/ssl/certs"]) -> TrustStore {
        TrustStore.resolve(
            { environment[$0] }, defaultFile: "/usr/lib/ssl/cert.pem", defaultDirectory: "/usr/lib/ssl/certs",
            isHashed: { hashed.contains($0) })
    }

    @Test func aHashedDefaultDirectoryServesTheStoreAlone() {
        #expect(resolve([:]) == TrustStore(file: nil, directories: ["/usr/lib/ssl/certs"]))
        #expect(resolve(["SSL_CERT_FILE": "", "SSL_CERT_DIR": ""]) == TrustStore(file: nil, directories: ["/usr/lib/ssl/certs"]))
    }

    @Test func withoutAHashedDirectoryTheDefaultBundleIsLoaded() {
        #expect(resolve([:], hashed: []) == TrustStore(file: "/usr/lib/ssl/cert.pem", directories: ["/usr/lib/ssl/certs"]))
        #expect(
            resolve(["SSL_CERT_DIR": "/empty"], hashed: ["/usr/lib/ssl/certs"])
                == TrustStore(file: "/usr/lib/ssl/cert.pem", directories: ["/empty"]))
    }

    @Test func aNamedFileIsAlwaysLoaded() {
        #expect(resolve(["SSL_CERT_FILE": "/ca.pem"]) == TrustStore(file: "/ca.pem", directories: ["/usr/lib/ssl/certs"]))
        #expect(
            resolve(["SSL_CERT_FILE": "/ca.pem", "SSL_CERT_DIR": "/a"], hashed: ["/a"])
                == TrustStore(file: "/ca.pem", directories: ["/a"]))
    }

    @Test func theDirectoryVariableIsAColonSeparatedList() {
        #expect(resolve(["SSL_CERT_DIR": "/a:/b::/c"], hashed: ["/b"]) == TrustStore(file: nil, directories: ["/a", "/b", "/c"]))
        #expect(
            resolve(["SSL_CERT_DIR": "/a:/c"], hashed: ["/b"])
                == TrustStore(file: "/usr/lib/ssl/cert.pem", directories: ["/a", "/c"]))
    }

    @Test func hashedNamesAreEightHexDigitsADotAndAnIndex() {
        for name in ["5ad8a5d6.0", "ABCDEF01.12", "00000000.9"] { #expect(TrustStore.isHashedName(Array(name.utf8)), "\(name)") }
        for name in ["5ad8a5d6.r0", "5ad8a5d6.", "5ad8a5d6", "5ad8a5g6.0", "ca-certificates.crt", "5ad8a5d6.0.pem", "x5ad8a5d6.0"] {
            #expect(!TrustStore.isHashedName(Array(name.utf8)), "\(name)")
        }
    }

    @Test func aDirectoryCountsOnlyWithAHashedCertificateLink() throws {
        let dir = try TempDir(prefix: "envcheck-store")
        #expect(!TrustStore.holdsHashedCertificate(dir.path))
        _ = try dir.write("ca-certificates.crt", "bundle")
        _ = try dir.write("5ad8a5d6.r0", "a CRL")
        #expect(!TrustStore.holdsHashedCertificate(dir.path))
        _ = try dir.write("5ad8a5d6.0", "a certificate")
        #expect(TrustStore.holdsHashedCertificate(dir.path))
        #expect(!TrustStore.holdsHashedCertificate(dir.path + "/missing"))
    }
}
