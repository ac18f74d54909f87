import EnvCheckCore

/// An access key pair, with an optional STS session token.
public struct SigV4Credentials: Sendable, Equatable {
    public var accessKeyID: String
    public var secretKey: Secret
    public var sessionToken: Secret?

    public init(accessKeyID: String, secretKey: Secret, sessionToken: Secret? = nil) {
        self.accessKeyID = accessKeyID
        self.secretKey = secretKey
        self.sessionToken = sessionToken
    }
}

/// One request to sign. `path` is raw (not percent-encoded); the signer encodes it once.
public struct SigV4Request: Sendable {
    public var method: String
    public var host: String
    public var path: String
    /// Query parameters, raw; a nil value is a valueless parameter (`?location`).
    public var query: [(name: String, value: String?)]
    /// Headers to sign besides the ones the signer adds (host, x-amz-*).
    public var headers: [(name: String, value: String)]
    /// Hex SHA-256 of the body, or `UNSIGNED-PAYLOAD`.
    public var payloadHash: String

    public init(
        method: String, host: String, path: String, query: [(name: String, value: String?)] = [],
        headers: [(name: String, value: String)] = [], payloadHash: String = SigV4Signer.emptyPayloadHash
    ) {
        self.method = method
        self.host = host
        self.path = path
        self.query = query
        self.headers = headers
        self.payloadHash = payloadHash
    }
}

/// AWS Signature Version 4 in the S3 flavour (docs/protocols.md §4): the path is encoded
/// once and never normalised, the query is encoded and sorted with `key=` for valueless
/// parameters, and `x-amz-content-sha256` (plus `x-amz-security-token` with a session
/// token) is always sent and signed. libcurl 7.88.1's own signer gets these wrong, so
/// libcurl only carries the request this produces.
public struct SigV4Signer: Sendable {
    public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    public var credentials: SigV4Credentials
    public var region: String
    public var service: String
    /// S3 wants `x-amz-content-sha256` on every request; the generic AWS test suite has none.
    public var sendsContentHash: Bool

    public init(credentials: SigV4Credentials, region: String, service: String = "s3", sendsContentHash: Bool = true) {
        self.credentials = credentials
        self.region = region
        self.service = service
        self.sendsContentHash = sendsContentHash
    }

    /// The outcome: the headers to send (the caller's, plus host, x-amz-* and
    /// Authorization) and the intermediate strings, for tests and debugging.
    public struct Signed: Sendable {
        public var headers: [(name: String, value: String)]
        public var canonicalURI: String
        public var canonicalQuery: String
        public var canonicalRequest: String
        public var stringToSign: String
        public var signature: String

        public var authorization: String? { headers.first { $0.name == "Authorization" }?.value }
    }

    /// Signs `request` as of `epochSeconds` (UTC).
    public func sign(_ request: SigV4Request, epochSeconds: Int64) -> Signed {
        let timestamp = Self.amzDate(epochSeconds: epochSeconds)
        let day = String(timestamp.prefix(8))
        var headers = request.headers
        if !headers.contains(where: { $0.name.lowercased() == "host" }) { headers.append(("Host", request.host)) }
        headers.append(("X-Amz-Date", timestamp))
        if sendsContentHash { headers.append(("X-Amz-Content-SHA256", request.payloadHash)) }
        if let token = credentials.sessionToken { headers.append(("X-Amz-Security-Token", token.revealed)) }

        let uri = Self.canonicalURI(request.path)
        let query = Self.canonicalQuery(request.query)
        let (canonicalHeaders, signedHeaders) = Self.canonicalHeaders(headers)
        let canonicalRequest = [request.method.uppercased(), uri, query, canonicalHeaders, signedHeaders, request.payloadHash]
            .joined(separator: "\n")
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = ["AWS4-HMAC-SHA256", timestamp, scope, Hex.encode(Digest.sha256(canonicalRequest))]
            .joined(separator: "\n")
        let signature = Hex.encode(Digest.hmacSHA256(key: signingKey(day: day), Array(stringToSign.utf8)))
        let authorization =
            "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), "
            + "SignedHeaders=\(signedHeaders), Signature=\(signature)"
        headers.append(("Authorization", authorization))
        return Signed(
            headers: headers, canonicalURI: uri, canonicalQuery: query, canonicalRequest: canonicalRequest,
            stringToSign: stringToSign, signature: signature)
    }

    /// HMAC chain from `AWS4` + secret over the day, region, service and `aws4_request`.
    func signingKey(day: String) -> [UInt8] {
        var key = Array(("AWS4" + credentials.secretKey.revealed).utf8)
        for part in [day, region, service, "aws4_request"] {
            key = Digest.hmacSHA256(key: key, Array(part.utf8))
        }
        return key
    }

    /// Each path segment percent-encoded once; `/` kept; no normalisation.
    public static func canonicalURI(_ path: String) -> String {
        let encoded = PercentEncoding.encode(path, keeping: [UInt8(ascii: "/")])
        return encoded.hasPrefix("/") ? encoded : "/" + encoded
    }

    /// Names and values encoded (`/` too), sorted by name then value, `name=` when valueless.
    public static func canonicalQuery(_ query: [(name: String, value: String?)]) -> String {
        query.map { (PercentEncoding.encode($0.name), PercentEncoding.encode($0.value ?? "")) }
            .sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    /// Lower-case names, sorted; values trimmed with inner whitespace runs collapsed;
    /// repeated names joined with commas. Returns the block (with its final newline) and
    /// the signed-headers list.
    static func canonicalHeaders(_ headers: [(name: String, value: String)]) -> (String, String) {
        var values: [String: [String]] = [:]
        for (name, value) in headers {
            values[name.lowercased().trimmingSpaces, default: []].append(collapse(value))
        }
        let names = values.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        let block = names.map { "\($0):\(values[$0]!.joined(separator: ","))\n" }.joined()
        return (block, names.joined(separator: ";"))
    }

    static func collapse(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).joined(separator: " ")
    }

    /// `YYYYMMDDTHHMMSSZ`.
    public static func amzDate(epochSeconds: Int64) -> String {
        let iso = Timestamp.iso8601(epochMs: epochSeconds * 1000, plain: true)  // 2013-05-24T00:00:00
        return iso.filter { $0 != "-" && $0 != ":" } + "Z"
    }
}
