import CCurl
import EnvCheckCore

#if canImport(Glibc)
    import Glibc
#endif

/// The shared HTTP layer over libcurl. This file alone imports `CCurl` and owns libcurl's
/// pointers (the easy handle, header lists, error buffer) and callbacks; raw `CURLcode`s
/// and `CURLINFO` times become named Swift values here (``CurlResult``,
/// ``CurlPhaseTimes``), which CurlFailures.swift maps to failures.
///
/// Each `send` runs one `curl_easy_perform` on a thread of its own (``Blocking``), bounded
/// by the deadline for connecting (DNS included: Debian's libcurl resolves on a thread) and
/// in total. TLS is verified unless `tls.verify` is false. curl's own CA locations are
/// switched off and the trust comes from ``TLSTrust`` through `CURLOPT_SSL_CTX_FUNCTION`:
/// the same store envcheck's own TLS uses (hashed directory looked up lazily, bundle file
/// only when needed), plus `tls.caFile`. Redirects are returned, never followed; bodies
/// over ``maxBodyBytes`` end the exchange. Failures become a ``ProbeFailure`` whose message
/// names `host:port` only — never the path, query string, userinfo or any header.
///
/// curl picks the addresses itself; what happened at each (``CurlConnectLog``) is ranked by
/// the shared rule (``AddressAttempts``): a transport failure is the most informative one,
/// and a response carries them in ``HTTPResponse/addresses`` for the probe's own verdict.
public struct CurlTransport: HTTPTransport {
    /// The largest response body accepted (1 MiB).
    public static let maxBodyBytes = 1 << 20
    /// CURLOPT_RESOLVE entries (`host:port:addr[,addr]`): tests give a name several addresses.
    let resolve: [String]

    public init() { resolve = [] }
    init(resolve: [String]) { self.resolve = resolve }

    public func send(_ request: HTTPRequest, deadline: Deadline) async throws(ProbeFailure) -> HTTPResponse {
        _ = CurlGlobal.initialised
        let exchange = try CurlExchange(request, resolve: resolve)
        guard !deadline.hasPassed else {
            throw ProbeFailure(
                .timeout, "timed out before connecting to \(label: exchange.target): no time was left",
                hint: "raise the probe's timeout")
        }
        return try await Blocking.run { () throws(ProbeFailure) -> HTTPResponse in try exchange.perform(deadline) }
    }
}

/// `curl_global_init`, once per process and only in runs that use HTTP (a Swift `static
/// let` is initialised lazily and thread-safely).
private enum CurlGlobal {
    static let initialised: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK
}

/// One request/response: owns the easy handle, the header list and the error buffer, and
/// frees them in `deinit` whichever way the exchange ends. They stay `private` to this
/// file; the other Curl* files see the exchange through the accessors at the end.
final class CurlExchange: @unchecked Sendable {
    let request: HTTPRequest
    /// `host:port`, the only part of the URL messages may show.
    let target: String
    let isHTTPS: Bool
    private let handle: UnsafeMutableRawPointer
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var resolveList: UnsafeMutablePointer<curl_slist>?
    private let resolve: [String]
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private var collected = CurlCollector()
    private(set) var connectLog = CurlConnectLog()
    /// The TLS peer's certificate, read while the transfer runs (``noteCertificate()``).
    private(set) var certificate: PeerCertificate?

    /// Nothing is allocated until every step that can throw has passed, so a failed init
    /// leaks nothing (deinit does not run for it).
    init(_ request: HTTPRequest, resolve: [String] = []) throws(ProbeFailure) {
        self.request = request
        self.resolve = resolve
        let (hostPort, isHTTPS) = try Self.parse(request.url)
        self.isHTTPS = isHTTPS
        target = request.unixSocket.map { "unix:" + $0 } ?? hostPort
        guard CurlGlobal.initialised, let handle = curl_easy_init() else {
            throw ProbeFailure(.internalError, "libcurl could not be initialised")
        }
        self.handle = handle
        errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        curl_easy_cleanup(handle)
        curl_slist_free_all(headerList)
        curl_slist_free_all(resolveList)
        errorBuffer.deallocate()
    }

    /// Scheme check and `host:port` via libcurl's own URL parser, so messages agree with
    /// what curl connects to.
    private static func parse(_ url: String) throws(ProbeFailure) -> (String, Bool) {
        guard let (scheme, host, port) = CurlURL.components(url), scheme == "http" || scheme == "https" else {
            throw ProbeFailure.misconfigured(.invalidURL, "the URL is not a valid http(s) URL")
        }
        return ("\(host):\(port)", scheme == "https")
    }

    func perform(_ deadline: Deadline) throws(ProbeFailure) -> HTTPResponse {
        try configure(deadline)
        let start = ContinuousClock.now
        let code = withExtendedLifetime(self) { curl_easy_perform(handle) }
        let elapsedMs = (ContinuousClock.now - start).milliseconds
        guard code == CURLE_OK else { throw failure(CurlResult(code), elapsedMs: elapsedMs) }
        var status = 0
        _ = envcheck_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return HTTPResponse(
            status: status, headers: collected.headers, body: collected.body, timings: timings(),
            addresses: addresses(timedOut: nil), certificate: certificate)
    }

    private func configure(_ deadline: Deadline) throws(ProbeFailure) {
        let ms = max(1, Int(deadline.remainingMilliseconds))
        let me = Unmanaged.passUnretained(self).toOpaque()
        try set(CURLOPT_URL, request.url)
        try set(CURLOPT_PROTOCOLS_STR, "http,https")
        try set(CURLOPT_NOSIGNAL, 1)
        try set(CURLOPT_FOLLOWLOCATION, 0)
        if let socket = request.unixSocket { try set(CURLOPT_UNIX_SOCKET_PATH, socket) }
        try set(CURLOPT_CONNECTTIMEOUT_MS, ms)
        try set(CURLOPT_TIMEOUT_MS, ms)
        try set(CURLOPT_SSL_VERIFYPEER, request.tls.verify ? 1 : 0)
        try set(CURLOPT_SSL_VERIFYHOST, request.tls.verify ? 2 : 0)
        if request.tls.verify {
            try check(envcheck_curl_setopt_string(handle, CURLOPT_CAINFO, nil))
            try check(envcheck_curl_setopt_string(handle, CURLOPT_CAPATH, nil))
            try check(envcheck_curl_setopt_ssl_ctx_cb(handle, CURLOPT_SSL_CTX_FUNCTION, curlSSLContext))
            try check(envcheck_curl_setopt_pointer(handle, CURLOPT_SSL_CTX_DATA, me))
        }
        try check(envcheck_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer))
        try check(envcheck_curl_setopt_data_cb(handle, CURLOPT_WRITEFUNCTION, curlWriteBody))
        try check(envcheck_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, me))
        try check(envcheck_curl_setopt_data_cb(handle, CURLOPT_HEADERFUNCTION, curlWriteHeader))
        try check(envcheck_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, me))
        // The informational lines go to curlDebug (never stderr): the per-address log.
        try set(CURLOPT_VERBOSE, 1)
        try check(envcheck_curl_setopt_debug_cb(handle, CURLOPT_DEBUGFUNCTION, curlDebug))
        try check(envcheck_curl_setopt_pointer(handle, CURLOPT_DEBUGDATA, me))
        for entry in resolve {
            guard let extended = curl_slist_append(resolveList, entry) else { throw ProbeFailure(.internalError, "out of memory") }
            resolveList = extended
        }
        if resolveList != nil { try check(envcheck_curl_setopt_slist(handle, CURLOPT_RESOLVE, resolveList)) }
        try configureMethod()
        try configureHeaders()
    }

    /// GET and HEAD as themselves; any other method sends `body` (possibly empty, with
    /// `Content-Length: 0`, as S3 wants for an empty PUT).
    private func configureMethod() throws(ProbeFailure) {
        switch request.method.uppercased() {
        case "GET" where request.body.isEmpty: try set(CURLOPT_HTTPGET, 1)
        case "HEAD" where request.body.isEmpty: try set(CURLOPT_NOBODY, 1)
        default:
            try set(CURLOPT_CUSTOMREQUEST, request.method)
            try check(envcheck_curl_setopt_offset(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count)))
            // COPYPOSTFIELDS copies the bytes (binary-safe, since the size is set first).
            var bytes = request.body.isEmpty ? [0] : request.body  // never a null pointer
            let copied = bytes.withUnsafeMutableBytes { envcheck_curl_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, $0.baseAddress) }
            try check(copied)
        }
    }

    /// The request's headers; curl's own `Content-Type` for bodies and `Expect` are removed
    /// unless the request sets them (a signed request must go out as signed).
    private func configureHeaders() throws(ProbeFailure) {
        var lines: [String] = []
        for (name, value) in request.headers {
            guard !(name + value).contains(where: { $0 == "\r" || $0 == "\n" }) else {
                throw ProbeFailure.misconfigured(.invalidConfig, "the HTTP header \(name.prefix(40)) contains a line break")
            }
            lines.append(value.isEmpty ? "\(name);" : "\(name): \(value)")
        }
        let names = Set(request.headers.map { $0.name.lowercased() })
        for name in ["Content-Type", "Expect"] where !names.contains(name.lowercased()) { lines.append("\(name):") }
        if !names.contains("user-agent") { lines.append("User-Agent: envcheck") }
        for line in lines {
            guard let extended = curl_slist_append(headerList, line) else { throw ProbeFailure(.internalError, "out of memory") }
            headerList = extended
        }
        try check(envcheck_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList))
    }

    private func set(_ option: CURLoption, _ value: Int) throws(ProbeFailure) {
        try check(envcheck_curl_setopt_long(handle, option, value))
    }

    private func set(_ option: CURLoption, _ value: String) throws(ProbeFailure) {
        try check(envcheck_curl_setopt_string(handle, option, value))  // libcurl copies strings
    }

    private func check(_ code: CURLcode) throws(ProbeFailure) {
        guard code == CURLE_OK else {
            throw ProbeFailure(.internalError, "libcurl rejected an option: \(String(cString: curl_easy_strerror(code)))")
        }
    }

    // What the other Curl* files may know of the exchange, without its pointers.

    func appendBody(_ bytes: UnsafeRawBufferPointer) -> Bool { collected.appendBody(bytes) }
    func appendHeader(_ bytes: UnsafeRawBufferPointer) -> Bool { collected.appendHeader(bytes) }
    /// Reads the TLS peer's certificate once, while the connection is open (the first header).
    func noteCertificate() {
        guard isHTTPS, certificate == nil, let ssl = envcheck_curl_tls_ssl(handle) else { return }
        certificate = PeerCertificate(ssl: ssl)
    }
    func noteConnectText(_ bytes: UnsafeRawBufferPointer) { connectLog.note(String(decoding: bytes, as: UTF8.self)) }
    var bodyTooLarge: Bool { collected.bodyTooLarge }

    /// The times curl measured, in seconds from the start (0: the phase was not reached).
    var phaseTimes: CurlPhaseTimes {
        func seconds(_ info: CURLINFO) -> Double {
            var value = 0.0
            return envcheck_curl_getinfo_double(handle, info, &value) == CURLE_OK ? value : 0
        }
        return CurlPhaseTimes(
            nameLookup: seconds(CURLINFO_NAMELOOKUP_TIME), connect: seconds(CURLINFO_CONNECT_TIME),
            appConnect: seconds(CURLINFO_APPCONNECT_TIME), startTransfer: seconds(CURLINFO_STARTTRANSFER_TIME),
            total: seconds(CURLINFO_TOTAL_TIME))
    }

    /// The socket's errno when connecting failed (0: none).
    var osErrno: Int {
        var value = 0
        _ = envcheck_curl_getinfo_long(handle, CURLINFO_OS_ERRNO, &value)
        return value
    }

    /// What curl wrote to the error buffer (unscrubbed: quote it only through `curlError`).
    var errorText: String { String(cString: errorBuffer) }
}

/// URLs as libcurl reads them (RFC 3986), for a probe that follows redirects itself.
public enum CurlURL {
    /// `reference` (a `Location` header: absolute, or relative to `base`) resolved against
    /// `base`; nil when either does not parse or the result is not http(s).
    public static func resolve(_ reference: String, against base: String) -> String? {
        guard let u = curl_url() else { return nil }
        defer { curl_url_cleanup(u) }
        guard curl_url_set(u, CURLUPART_URL, base, 0) == CURLUE_OK,
            curl_url_set(u, CURLUPART_URL, reference, UInt32(CURLU_NON_SUPPORT_SCHEME)) == CURLUE_OK
        else { return nil }
        guard let scheme = part(u, CURLUPART_SCHEME)?.lowercased(), scheme == "http" || scheme == "https" else { return nil }
        return part(u, CURLUPART_URL)
    }

    /// `https://host:443`: scheme, host and port (the default one filled in); nil when the
    /// URL does not parse.
    public static func origin(of url: String) -> String? {
        components(url).map { "\($0.scheme)://\($0.host):\($0.port)" }
    }

    /// The server a URL names, as a ``ProbeTarget`` key: its host and port (the scheme's
    /// default filled in), read as libcurl reads them. A URL libcurl does not parse is its
    /// own key, as written (the probe will say what is wrong with it; the limit still
    /// holds). Never rewritten: a message naming the key is scrubbed of the secrets as they
    /// were given, and a lowercased password would no longer be one of them.
    public static func target(of url: String) -> String {
        guard let parts = components(url) else { return url }
        var host = Substring(parts.host)
        if host.hasPrefix("["), host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        return ProbeTarget.key(host: String(host), port: Int(parts.port) ?? 0)
    }

    /// The scheme (lowercased), host and port (the scheme's default filled in) of an
    /// absolute URL; nil when it does not parse.
    static func components(_ url: String) -> (scheme: String, host: String, port: String)? {
        guard let u = curl_url() else { return nil }
        defer { curl_url_cleanup(u) }
        guard curl_url_set(u, CURLUPART_URL, url, UInt32(CURLU_NON_SUPPORT_SCHEME)) == CURLUE_OK,
            let scheme = part(u, CURLUPART_SCHEME)?.lowercased(), let host = part(u, CURLUPART_HOST),
            let port = part(u, CURLUPART_PORT, UInt32(CURLU_DEFAULT_PORT))
        else { return nil }
        return (scheme, host, port)
    }

    private static func part(_ u: OpaquePointer, _ which: CURLUPart, _ flags: UInt32 = 0) -> String? {
        var out: UnsafeMutablePointer<CChar>?
        guard curl_url_get(u, which, &out, flags) == CURLUE_OK, let out else { return nil }
        defer { curl_free(out) }
        return String(cString: out)
    }
}

/// curl's cumulative phase times, in seconds from the start of the request (0: the phase
/// was not reached; docs/protocols.md §10).
struct CurlPhaseTimes: Sendable {
    let nameLookup, connect, appConnect, startTransfer, total: Double
}

/// The `CURLcode` of a failed exchange, as the cases envcheck tells apart.
enum CurlResult: Sendable, Equatable {
    case couldNotResolve, couldNotConnect, timedOut, writeError, caFileUnreadable, tls
    /// Anything else: curl's generic description of the code.
    case other(String)

    init(_ code: CURLcode) {
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST: self = .couldNotResolve
        case CURLE_COULDNT_CONNECT: self = .couldNotConnect
        case CURLE_OPERATION_TIMEDOUT: self = .timedOut
        case CURLE_WRITE_ERROR: self = .writeError
        case CURLE_SSL_CACERT_BADFILE: self = .caFileUnreadable
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED, CURLE_SSL_SHUTDOWN_FAILED,
            CURLE_SSL_CRL_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS,
            CURLE_SSL_CLIENTCERT, CURLE_USE_SSL_FAILED:
            self = .tls
        default: self = .other(String(cString: curl_easy_strerror(code)))
        }
    }
}

// libcurl's callbacks: C function pointers (no captures), so the exchange travels as
// `userdata` (CURLOPT_WRITEDATA / CURLOPT_HEADERDATA / CURLOPT_DEBUGDATA /
// CURLOPT_SSL_CTX_DATA, set above).
/// Body bytes into the exchange's collector.
let curlWriteBody: envcheck_curl_data_cb = { data, size, count, user in
    let bytes = UnsafeRawBufferPointer(start: data, count: size * count)
    let exchange = Unmanaged<CurlExchange>.fromOpaque(user!).takeUnretainedValue()
    return exchange.appendBody(bytes) ? bytes.count : 0  // 0 makes curl stop with CURLE_WRITE_ERROR
}

/// One header line into the exchange's collector.
let curlWriteHeader: envcheck_curl_data_cb = { data, size, count, user in
    let bytes = UnsafeRawBufferPointer(start: data, count: size * count)
    let exchange = Unmanaged<CurlExchange>.fromOpaque(user!).takeUnretainedValue()
    exchange.noteCertificate()
    return exchange.appendHeader(bytes) ? bytes.count : 0
}

/// curl's informational lines (CURLOPT_VERBOSE) into the exchange's connection log: only
/// `CURLINFO_TEXT`, never the header or data kinds (the request's headers carry secrets).
let curlDebug: envcheck_curl_debug_cb = { _, kind, data, size, user in
    guard kind == CURLINFO_TEXT, let data, let user else { return 0 }
    let exchange = Unmanaged<CurlExchange>.fromOpaque(user).takeUnretainedValue()
    exchange.noteConnectText(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

/// The trust store into curl's fresh `SSL_CTX`, before its handshake. An unreadable
/// `ca_file` stops the exchange as curl's own `CURLOPT_CAINFO` would.
let curlSSLContext: envcheck_curl_ssl_ctx_cb = { _, context, user in
    guard let context, let user else { return CURLE_SSL_CERTPROBLEM }
    let exchange = Unmanaged<CurlExchange>.fromOpaque(user).takeUnretainedValue()
    return TLSTrust.load(intoRaw: context, exchange.request.tls) ? CURLE_OK : CURLE_SSL_CACERT_BADFILE
}
