import EnvCheckCore

/// One HTTP request, as the HTTP probes build it.
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    public var tls: TLSOptions
    /// A Unix-domain socket to send the request over instead of TCP (the URL's host then
    /// only names the `Host` header).
    public var unixSocket: String?

    public init(
        method: String = "GET", url: String, headers: [(name: String, value: String)] = [], body: [UInt8] = [],
        tls: TLSOptions = TLSOptions(), unixSocket: String? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.tls = tls
        self.unixSocket = unixSocket
    }
}

extension HTTPRequest {
    /// Secret header values and the credential inside each (`Bearer <token>`): hidden in a
    /// quote of the server's words before it is cut (the run's redactor scrubs them again).
    public static func secrets(of headers: [(name: String, value: String)]) -> [String] {
        headers.flatMap { [$0.value] + SecretPolicy.credentialParts(ofHeader: $0.value) }
    }

    /// A header name as RFC 9110 allows it: one or more `token` characters.
    public static func isHeaderName(_ name: String) -> Bool {
        !name.isEmpty
            && name.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
                default: Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
                }
            }
    }
}

/// Phase timings of one exchange, in milliseconds.
public struct HTTPTimings: Sendable, Equatable {
    public var dnsMs: Int = 0
    public var connectMs: Int = 0
    public var tlsMs: Int = 0
    public var firstByteMs: Int = 0
    public var totalMs: Int = 0

    public init(dnsMs: Int = 0, connectMs: Int = 0, tlsMs: Int = 0, firstByteMs: Int = 0, totalMs: Int = 0) {
        self.dnsMs = dnsMs
        self.connectMs = connectMs
        self.tlsMs = tlsMs
        self.firstByteMs = firstByteMs
        self.totalMs = totalMs
    }

    /// The `timings_ms` detail every HTTP probe reports: `dns`, `connect`, `tls`,
    /// `first_byte` and `total`, in that order.
    public var details: JSONObject {
        ["dns": .int(dnsMs), "connect": .int(connectMs), "tls": .int(tlsMs), "first_byte": .int(firstByteMs), "total": .int(totalMs)]
    }
}

/// What came back.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    public var timings: HTTPTimings
    /// Each address the transport tried, the one that answered marked `connected`: a probe
    /// reports a failure it reads from the answer through ``AddressAttempts/failure(after:)``
    /// and a pass through ``AddressAttempts/annotated(_:)``, as every probe does.
    public var addresses: AddressAttempts
    /// The certificate an HTTPS server presented: a probe hands it on with its outcome
    /// (``ProbeOutcome/presenting(_:)``) for the expiry rule.
    public var certificate: PeerCertificate?

    public init(
        status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = [], timings: HTTPTimings = HTTPTimings(),
        addresses: AddressAttempts = AddressAttempts(), certificate: PeerCertificate? = nil
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.timings = timings
        self.addresses = addresses
        self.certificate = certificate
    }

    /// A probe's outcome from this answer, as every HTTP probe ends: the addresses tried
    /// (``AddressAttempts/annotated(_:)``) and the server's certificate for the expiry rule.
    public func annotated(_ outcome: ProbeOutcome) -> ProbeOutcome {
        addresses.annotated(outcome).presenting(certificate)
    }

    /// The first header with this name, case-insensitively.
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name.lowercased() == lower }?.value
    }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// The HTTP layer the probes share. Implementations end by `deadline` (connect and total),
/// verify TLS unless told not to, and map transport failures to a ``ProbeFailure`` with
/// `timeout`, `dns`, `connection_refused`, `tls` or `network`, whose message names the
/// host but never credentials, headers or the query string.
public protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequest, deadline: Deadline) async throws(ProbeFailure) -> HTTPResponse
}

extension ProbeOutcome {
    /// The TLS rule (``capped(tlsInUse:tlsVerified:reason:hint:)``) as every HTTP probe
    /// applies it: over `https` with `tls_verify: false`, a pass is at best a warning.
    public func cappedOverHTTP(https: Bool, tls: TLSOptions) -> ProbeOutcome {
        capped(tlsInUse: https, tlsVerified: tls.verify, reason: "TLS verification is off", hint: ProbeCode.tlsVerifyDisabled.hint ?? "")
    }
}
