import EnvCheckCore

/// The S3 service endpoint: AWS's regional endpoint when none is configured, else the
/// configured `http(s)://host[:port][/base]` (MinIO, R2, Ceph, moto...).
public struct S3Endpoint: Sendable, Equatable {
    public var scheme: String
    /// A name (lowercased), an IPv4 address or a bracketed IPv6 address.
    public var host: String
    public var port: Int?
    /// A path prefix in front of every request path ("" or "/prefix").
    public var basePath: String
    /// True for AWS's own endpoint (no endpoint configured).
    public var isAWSDefault: Bool

    public init(scheme: String, host: String, port: Int? = nil, basePath: String = "", isAWSDefault: Bool = false) {
        self.scheme = scheme
        self.host = host
        self.port = port
        self.basePath = basePath
        self.isAWSDefault = isAWSDefault
    }

    /// `https://s3.<region>.amazonaws.com` (`.com.cn` for the China regions).
    public static func aws(region: String) -> S3Endpoint {
        let domain = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
        return S3Endpoint(scheme: "https", host: "s3.\(region).\(domain)", isAWSDefault: true)
    }

    /// Parses `http(s)://host[:port][/base]`; nil for anything else (no user info, query or
    /// fragment: S3 credentials never go in the endpoint).
    public static func parse(_ text: String) -> S3Endpoint? {
        let trimmed = text.trimmingSpaces
        guard let separator = trimmed.firstRange(of: "://") else { return nil }
        let scheme = trimmed[..<separator.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { return nil }
        let rest = trimmed[separator.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var path = String(rest[authorityEnd...])
        guard !authority.isEmpty, !authority.contains("@"), !path.contains("?"), !path.contains("#"),
            !authority.contains(where: { $0 == " " || $0 == "\t" })
        else { return nil }
        while path.hasSuffix("/") { path.removeLast() }
        guard let hostPort = try? HostPort.parse(authority) else { return nil }
        return S3Endpoint(scheme: scheme, host: hostPort.uriHost, port: hostPort.port, basePath: path)
    }

    public var isHTTPS: Bool { scheme == "https" }

    /// `host[:port]`, the port only when it is not the scheme's default (what the `Host`
    /// header carries and the signature covers).
    public var authority: String {
        guard let port, port != (isHTTPS ? 443 : 80) else { return host }
        return "\(host):\(port)"
    }

    /// The endpoint as shown in reports: `scheme://host[:port]`.
    public var display: String { "\(scheme)://\(authority)\(basePath)" }
}

/// How the bucket goes into the request: in the host name (`bucket.s3.<region>.amazonaws.com`)
/// or in the path (`host/bucket`).
public enum S3Addressing: String, Sendable {
    case virtualHosted = "virtual-hosted"
    case path
}

/// Where one request goes: host for the `Host` header, the raw (unencoded) path, and the
/// URL prefix (`scheme://host`).
struct S3Target: Sendable, Equatable {
    var host: String
    var path: String
    var scheme: String

    init(endpoint: S3Endpoint, addressing: S3Addressing, bucket: String, key: String?) {
        scheme = endpoint.scheme
        switch addressing {
        case .virtualHosted:
            host = "\(bucket).\(endpoint.authority)"
            path = endpoint.basePath + "/" + (key ?? "")
        case .path:
            host = endpoint.authority
            path = endpoint.basePath + "/" + bucket + (key.map { "/" + $0 } ?? "")
        }
    }

    /// The URL libcurl requests: the same encoded path and query that were signed.
    func url(canonicalURI: String, canonicalQuery: String) -> String {
        "\(scheme)://\(host)\(canonicalURI)" + (canonicalQuery.isEmpty ? "" : "?" + canonicalQuery)
    }
}
