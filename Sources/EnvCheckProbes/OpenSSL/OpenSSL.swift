import COpenSSL
import EnvCheckCore

#if canImport(Glibc)
    import Glibc
#endif

// The one file that imports COpenSSL: libcrypto's digests for SigV4 and fingerprints, and
// libssl's TLS over envcheck's own sockets. Nothing else sees an OpenSSL pointer.

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

    /// The fingerprints `config` and `snapshot` show, keyed by `ENVCHECK_FINGERPRINT_KEY`
    /// (``Fingerprinter``) with HMAC-SHA256 from libcrypto.
    public static func fingerprinter(key: String?) -> Fingerprinter {
        Fingerprinter(key: key) { key, data in hmacSHA256(key: key, data) }
    }
}

extension TrustStore {
    /// This process's store: its environment over OpenSSL's compiled-in defaults
    /// (`/usr/lib/ssl/cert.pem` and `/usr/lib/ssl/certs` on Debian), read once.
    public static let process = TrustStore.resolve(
        { name in getenv(name).map { String(cString: $0) } },
        defaultFile: String(cString: X509_get_default_cert_file()),
        defaultDirectory: String(cString: X509_get_default_cert_dir()))
}

/// Loads a ``TLSOptions``'s trust into an `SSL_CTX`: envcheck's own TLS and libcurl's (through
/// `CURLOPT_SSL_CTX_FUNCTION`) trust the same certificates, loaded the same way.
public enum TLSTrust {
    /// The store's directories (lazy lookup), its file and the extra `caFile`. A missing or
    /// unreadable system location is not an error (the handshake then fails to verify); an
    /// unreadable `caFile` is.
    static func load(into context: OpaquePointer, _ tls: TLSOptions) throws(NetError) {
        for directory in tls.trust.directories { _ = SSL_CTX_load_verify_dir(context, directory) }
        if let file = tls.trust.file { _ = SSL_CTX_load_verify_file(context, file) }
        ERR_clear_error()
        if let caFile = tls.caFile, SSL_CTX_load_verify_file(context, caFile) != 1 {
            ERR_clear_error()
            throw .caFile(caFile)
        }
    }

    /// The same for an `SSL_CTX *` handed over as a raw pointer (libcurl's callback); false
    /// when `caFile` cannot be loaded.
    public static func load(intoRaw context: UnsafeMutableRawPointer, _ tls: TLSOptions) -> Bool {
        do throws(NetError) {
            try load(into: OpaquePointer(context), tls)
            return true
        } catch {
            return false
        }
    }
}

extension PeerCertificate {
    /// The certificate the peer of an established `SSL *` presented, whether or not it was
    /// verified; nil before a handshake or when the peer sent none. envcheck's own TLS
    /// (``TLSStream``), libpq (`PQsslStruct`) and libcurl (`CURLINFO_TLS_SSL_PTR`) all hand
    /// their `SSL *` here, so expiry is read one way.
    public init?(ssl raw: UnsafeMutableRawPointer) {
        self.init(ssl: OpaquePointer(raw))
    }

    init?(ssl: OpaquePointer) {
        guard let certificate = SSL_get0_peer_certificate(ssl), let notAfter = X509_get0_notAfter(certificate) else { return nil }
        var time = tm()
        guard ASN1_TIME_to_tm(notAfter, &time) == 1 else { return nil }
        self.init(notAfterEpochSeconds: Int64(timegm(&time)))
    }
}

/// TLS (OpenSSL 3) over a connected ``Socket``: the one file that owns `SSL_CTX`/`SSL`.
///
/// OpenSSL works on two memory BIOs and this class moves their bytes through the socket
/// itself, so the handshake and every read and write poll under the caller's deadline,
/// and the socket's `MSG_NOSIGNAL` writes apply (a socket BIO would raise SIGPIPE).
/// With `verify`, the chain is checked against the trust store plus `caFile` (``TLSTrust``), and the
/// certificate must name `host` (SNI + `SSL_set1_host`, or the IP SAN for an address).
public final class TLSStream: ByteStream {
    private let socket: Socket
    private var context: OpaquePointer?
    private var ssl: OpaquePointer?
    /// Owned by `ssl` (SSL_set_bio); kept to move bytes in and out.
    private var readBIO: OpaquePointer?
    private var writeBIO: OpaquePointer?

    private init(socket: Socket) { self.socket = socket }

    deinit {
        if let ssl { SSL_free(ssl) }  // frees both BIOs
        if let context { SSL_CTX_free(context) }
    }

    /// Runs the client handshake over `socket` by `deadline`.
    public static func handshake(
        over socket: Socket, host: String, tls: TLSOptions, checkHostname: Bool = true, deadline: Deadline
    ) throws(NetError) -> TLSStream {
        let stream = TLSStream(socket: socket)
        try stream.configure(host: host, tls: tls, checkHostname: checkHostname)
        try stream.runHandshake(deadline: deadline)
        return stream
    }

    /// The certificate the server presented (read for its expiry).
    public var peerCertificate: PeerCertificate? { ssl.flatMap { PeerCertificate(ssl: $0) } }

    /// The negotiated protocol, `TLSv1.3`.
    public var version: String { ssl.map { String(cString: SSL_get_version($0)) } ?? "" }

    private func configure(host: String, tls: TLSOptions, checkHostname: Bool) throws(NetError) {
        let verify = tls.verify
        ERR_clear_error()
        guard let context = SSL_CTX_new(TLS_client_method()) else { throw .tls(Self.lastError()) }
        self.context = context
        _ = envcheck_SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION)
        SSL_CTX_set_verify(context, verify ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, nil)
        if verify { try TLSTrust.load(into: context, tls) }
        guard let ssl = SSL_new(context) else { throw .tls(Self.lastError()) }
        self.ssl = ssl  // owned from here: deinit frees it on every path
        guard let rbio = BIO_new(BIO_s_mem()) else { throw .tls(Self.lastError()) }
        guard let wbio = BIO_new(BIO_s_mem()) else {
            BIO_free(rbio)
            throw .tls(Self.lastError())
        }
        SSL_set_bio(ssl, rbio, wbio)
        readBIO = rbio
        writeBIO = wbio
        let isAddress = Self.isIPAddress(host)
        if !isAddress { _ = envcheck_SSL_set_tlsext_host_name(ssl, host) }  // no SNI for addresses (RFC 6066)
        if verify && checkHostname {
            let ok = isAddress ? X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host) : SSL_set1_host(ssl, host)
            guard ok == 1 else { throw .tls("cannot verify the name '\(host)'") }
        }
        SSL_set_connect_state(ssl)
    }

    private func runHandshake(deadline: Deadline) throws(NetError) {
        guard let ssl else { return }
        while true {
            ERR_clear_error()
            let rc = SSL_connect(ssl)
            try flush(deadline: deadline)
            if rc == 1 { return }
            let error = SSL_get_error(ssl, rc)
            guard error == SSL_ERROR_WANT_READ else { throw .tls(handshakeError()) }
            guard try fill(deadline: deadline) else { throw .tls("the server closed the connection during the handshake") }
        }
    }

    public func write(_ bytes: [UInt8], deadline: Deadline) throws(NetError) {
        guard let ssl, !bytes.isEmpty else { return }
        ERR_clear_error()
        // A memory BIO takes everything at once: SSL_write only fails on a broken session.
        let n = bytes.withUnsafeBytes { SSL_write(ssl, $0.baseAddress, Int32($0.count)) }
        guard n == Int32(bytes.count) else { throw .tls(Self.lastError()) }
        try flush(deadline: deadline)
    }

    public func read(maximum: Int, deadline: Deadline) throws(NetError) -> [UInt8] {
        guard let ssl else { return [] }
        var buffer = [UInt8](repeating: 0, count: maximum)
        while true {
            ERR_clear_error()
            let n = buffer.withUnsafeMutableBytes { SSL_read(ssl, $0.baseAddress, Int32($0.count)) }
            if n > 0 { return Array(buffer[0..<Int(n)]) }
            switch SSL_get_error(ssl, n) {
            case SSL_ERROR_WANT_READ:
                try flush(deadline: deadline)
                if try !fill(deadline: deadline) { return [] }
            case SSL_ERROR_ZERO_RETURN:
                return []
            default:
                throw .tls(Self.lastError())
            }
        }
    }

    /// Sends whatever OpenSSL queued for the peer.
    private func flush(deadline: Deadline) throws(NetError) {
        guard let writeBIO else { return }
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while BIO_ctrl_pending(writeBIO) > 0 {
            let n = chunk.withUnsafeMutableBytes { BIO_read(writeBIO, $0.baseAddress, Int32($0.count)) }
            guard n > 0 else { return }
            try socket.write(Array(chunk[0..<Int(n)]), deadline: deadline)
        }
    }

    /// Feeds OpenSSL the next bytes from the socket; false at end of stream.
    private func fill(deadline: Deadline) throws(NetError) -> Bool {
        guard let readBIO else { return false }
        let bytes = try socket.read(maximum: 16 * 1024, deadline: deadline)
        if bytes.isEmpty { return false }
        _ = bytes.withUnsafeBytes { BIO_write(readBIO, $0.baseAddress, Int32($0.count)) }
        return true
    }

    /// The verification result when the certificate was rejected, else OpenSSL's reason.
    private func handshakeError() -> String {
        if let ssl {
            let result = SSL_get_verify_result(ssl)
            if result != X509_V_OK {
                return "certificate verification failed: " + String(cString: X509_verify_cert_error_string(result))
            }
        }
        return Self.lastError()
    }

    private static func lastError() -> String {
        let code = ERR_get_error()
        guard code != 0, let reason = ERR_reason_error_string(code) else { return "TLS error" }
        return String(cString: reason)
    }

    private static func isIPAddress(_ host: String) -> Bool {
        var buffer = in6_addr()
        return inet_pton(AF_INET, host, &buffer) == 1 || inet_pton(AF_INET6, host, &buffer) == 1
    }
}
