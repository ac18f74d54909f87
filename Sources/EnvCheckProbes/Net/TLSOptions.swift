import EnvCheckCore

#if canImport(Glibc)
    import Glibc
#endif

/// TLS settings of one connection: verification is on unless a probe's `tls_verify: false`.
public struct TLSOptions: Sendable, Equatable {
    public var verify: Bool
    /// An extra CA bundle (`--ca-file` or a probe's `ca_file`), loaded on top of `trust`.
    public var caFile: String?
    /// Where the system's CA certificates come from (docs/security.md, "TLS").
    public var trust: TrustStore

    public init(verify: Bool = true, caFile: String? = nil, trust: TrustStore = .process) {
        self.verify = verify
        self.caFile = caFile
        self.trust = trust
    }

    /// A probe's `tls_verify` and `ca_file` (or `--ca-file`), over the process's trust store.
    public init(_ settings: ProbeSettings) {
        self.init(verify: settings.tlsVerify, caFile: settings.caFile)
    }
}

/// The system trust store as envcheck loads it, the same way for its own TLS (Redis) and for
/// libcurl's (S3, OpenRouter): `SSL_CERT_FILE` and `SSL_CERT_DIR` as OpenSSL reads them, but
/// the default bundle file is parsed only when no directory can serve its certificates.
///
/// A hashed directory (`openssl rehash`, as Debian's `/etc/ssl/certs`) is looked up lazily:
/// OpenSSL opens the one file named by the issuer's hash when a chain needs it. The bundle
/// file is parsed whole, every certificate, on every connection, which costs tens of
/// milliseconds of CPU per TLS handshake (docs/protocols.md §12).
public struct TrustStore: Sendable, Equatable {
    /// A bundle of PEM certificates, loaded whole; nil when a directory serves the store.
    public var file: String?
    /// Hashed directories, searched by issuer-name hash.
    public var directories: [String]

    public init(file: String?, directories: [String]) {
        self.file = file
        self.directories = directories
    }

    /// The store for an environment (`variable`) and OpenSSL's compiled-in defaults:
    /// - `SSL_CERT_FILE`, when set, is always loaded;
    /// - `SSL_CERT_DIR`, a colon-separated list, replaces the default directory;
    /// - with no file named, the default bundle is loaded only if no directory holds a
    ///   hashed certificate (`isHashed`), so that a bare or missing directory still trusts
    ///   the system's CAs.
    public static func resolve(
        _ variable: (String) -> String?, defaultFile: String, defaultDirectory: String,
        isHashed: (String) -> Bool = TrustStore.holdsHashedCertificate
    ) -> TrustStore {
        let named = variable("SSL_CERT_FILE").flatMap { $0.isEmpty ? nil : $0 }
        let directories: [String]
        if let list = variable("SSL_CERT_DIR"), !list.isEmpty {
            directories = list.split(separator: ":").map(String.init)
        } else {
            directories = [defaultDirectory]
        }
        if let named { return TrustStore(file: named, directories: directories) }
        let served = directories.contains(where: isHashed)
        return TrustStore(file: served ? nil : defaultFile, directories: directories)
    }

    /// True when `directory` holds at least one entry named as `openssl rehash` names
    /// certificates (`5ad8a5d6.0`): eight hex digits, a dot, a decimal index.
    public static func holdsHashedCertificate(_ directory: String) -> Bool {
        guard let dir = opendir(directory) else { return false }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                Array(raw.prefix(while: { $0 != 0 }))
            }
            if isHashedName(name) { return true }
        }
        return false
    }

    /// `XXXXXXXX.N`: a certificate link (`.rN` names CRLs, which do not count).
    static func isHashedName(_ name: [UInt8]) -> Bool {
        guard name.count >= 10, name[8] == UInt8(ascii: ".") else { return false }
        guard name[0..<8].allSatisfy({ Hex.value($0) != nil }) else { return false }
        return name[9...].allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }
}
