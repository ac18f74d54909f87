import EnvCheckCore

/// Everything the S3 probe needs, resolved from the configuration with docs/design.md's
/// precedence: credentials as a pair (`S3_ACCESS_KEY`+`S3_SECRET_KEY`, else
/// `AWS_ACCESS_KEY_ID`+`AWS_SECRET_ACCESS_KEY`+`AWS_SESSION_TOKEN`, never one of each),
/// endpoint `S3_ENDPOINT` > `AWS_ENDPOINT_URL_S3` > `AWS_ENDPOINT_URL` (none: AWS), region
/// `S3_REGION` > `AWS_REGION` > `AWS_DEFAULT_REGION` > `us-east-1`, path style from the
/// manifest's `path_style` or `S3_FORCE_PATH_STYLE` (default: virtual-hosted on AWS, path
/// style on a custom endpoint).
public struct S3Config: Sendable {
    public var endpoint: S3Endpoint
    public var bucket: String
    public var region: String
    public var credentials: SigV4Credentials
    public var addressing: S3Addressing
    public var tls: TLSOptions
    /// The keys the credentials came from, for messages (`S3_ACCESS_KEY`, `S3_SECRET_KEY`).
    public var accessKeySource: String
    public var secretKeySource: String
    /// The key the bucket came from (`S3_BUCKET`).
    public var bucketSource: String
    /// The key the region came from; nil when it is the default.
    public var regionSource: String?

    public init(
        endpoint: S3Endpoint, bucket: String, region: String, credentials: SigV4Credentials,
        addressing: S3Addressing, tls: TLSOptions = TLSOptions(), accessKeySource: String = "S3_ACCESS_KEY",
        secretKeySource: String = "S3_SECRET_KEY", bucketSource: String = "S3_BUCKET", regionSource: String? = nil
    ) {
        self.endpoint = endpoint
        self.bucket = bucket
        self.region = region
        self.credentials = credentials
        self.addressing = addressing
        self.tls = tls
        self.accessKeySource = accessKeySource
        self.secretKeySource = secretKeySource
        self.bucketSource = bucketSource
        self.regionSource = regionSource
    }

    enum Inputs {
        static let bucket = ProbeInput("bucket", keys: ["S3_BUCKET"])
        static let endpoint = ProbeInput("endpoint", keys: ["S3_ENDPOINT", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"], secret: .credentials)
        static let region = ProbeInput("region", keys: ["S3_REGION", "AWS_REGION", "AWS_DEFAULT_REGION"])
        static let accessKey = ProbeInput("access_key", keys: ["S3_ACCESS_KEY", "AWS_ACCESS_KEY_ID"], secret: .whole)
        static let secretKey = ProbeInput("secret_key", keys: ["S3_SECRET_KEY", "AWS_SECRET_ACCESS_KEY"], secret: .whole)
        static let sessionToken = ProbeInput("session_token", keys: ["AWS_SESSION_TOKEN"], secret: .whole)
        static let pathStyle = ProbeInput("path_style", keys: ["S3_FORCE_PATH_STYLE"])
        static let all = [bucket, endpoint, region, accessKey, secretKey, sessionToken, pathStyle]
    }

    /// What resolving gave: a config, "not configured" (no bucket), or a configuration error.
    public enum Resolution: Sendable {
        case ready(S3Config)
        case notConfigured(Message)
        case invalid(ProbeFailure)
    }

    public static func resolve(_ settings: ProbeSettings) -> Resolution {
        do {
            guard let bucket = settings.value(Inputs.bucket) else {
                return .notConfigured("\(settings.describe(Inputs.bucket)) is not set")
            }
            try validateBucket(bucket)
            let credentials = try S3Credentials.resolve(settings)
            let region = settings.value(Inputs.region)
            let regionName = region?.value.trimmingSpaces ?? "us-east-1"
            let endpoint = try endpoint(settings, region: regionName)
            let addressing = try addressing(settings, endpoint: endpoint, bucket: bucket.value)
            return .ready(
                S3Config(
                    endpoint: endpoint, bucket: bucket.value.trimmingSpaces, region: regionName, credentials: credentials.value,
                    addressing: addressing, tls: TLSOptions(settings),
                    accessKeySource: credentials.accessKeySource, secretKeySource: credentials.secretKeySource,
                    bucketSource: bucket.key, regionSource: region?.key))
        } catch {
            return .invalid(error)
        }
    }

    static func validateBucket(_ bucket: ProbeSettings.Value) throws(ProbeFailure) {
        let name = bucket.value.trimmingSpaces
        if name.contains("/") || name.contains(":") || name.contains(where: { $0 == " " || $0 == "\t" }) {
            throw .misconfigured(
                .invalidConfig, "\(bucket.key) must be a bare bucket name, not a URL or a path",
                hint: "set \(bucket.key) to the bucket's name alone (e.g. my-bucket, not s3://my-bucket/prefix)")
        }
    }

    static func endpoint(_ settings: ProbeSettings, region: String) throws(ProbeFailure) -> S3Endpoint {
        guard let configured = settings.value(Inputs.endpoint) else { return .aws(region: region) }
        guard let endpoint = S3Endpoint.parse(configured.value) else {
            throw .misconfigured(
                .invalidURL, "\(configured.key) is not an http(s) URL: \(URLCredentials.redact(configured.value))",
                hint: "write it as https://host[:port] (no credentials, query or fragment)")
        }
        return endpoint
    }

    static func addressing(_ settings: ProbeSettings, endpoint: S3Endpoint, bucket: String) throws(ProbeFailure) -> S3Addressing {
        var forcePath: Bool? = settings[S3Probe.pathStyle]
        if forcePath == nil, let env = settings.value(Inputs.pathStyle) {
            switch env.value.trimmingSpaces.lowercased() {
            case "true", "1", "yes", "on": forcePath = true
            case "false", "0", "no", "off": forcePath = false
            default:
                throw .misconfigured(.invalidConfig, "\(env.key) must be true or false, not \"\(env.value.prefix(40))\"")
            }
        }
        if let forcePath { return forcePath ? .path : .virtualHosted }
        // AWS: virtual-hosted, except bucket names with dots, which the *.s3 wildcard
        // certificate cannot cover. Custom endpoints (MinIO, Ceph, moto): path style.
        return endpoint.isAWSDefault && !bucket.contains(".") ? .virtualHosted : .path
    }
}

/// The credential pair and where it came from.
struct S3Credentials {
    var value: SigV4Credentials
    var accessKeySource: String
    var secretKeySource: String

    /// Pairs only: the manifest's bindings, else `S3_*`, else `AWS_*` (+ session token).
    static func resolve(_ settings: ProbeSettings) throws(ProbeFailure) -> S3Credentials {
        typealias Inputs = S3Config.Inputs
        let bound = settings.bindings[Inputs.accessKey.name] != nil || settings.bindings[Inputs.secretKey.name] != nil
        func input(_ i: ProbeInput) -> Found? { settings.value(i).map { Found(value: $0.value, key: $0.key) } }
        let boundToken = settings.bindings[Inputs.sessionToken.name] != nil ? input(Inputs.sessionToken) : nil
        if bound {
            return try pair(
                input(Inputs.accessKey), input(Inputs.secretKey), token: boundToken,
                names: (settings.describe(Inputs.accessKey), settings.describe(Inputs.secretKey)))
        }
        let config = settings.config
        func entry(_ key: String) -> Found? { config.nonEmpty(key).map { Found(value: $0, key: key) } }
        let s3 = (entry("S3_ACCESS_KEY"), entry("S3_SECRET_KEY"))
        if s3.0 != nil || s3.1 != nil {
            return try pair(s3.0, s3.1, token: boundToken, names: ("S3_ACCESS_KEY", "S3_SECRET_KEY"))
        }
        let aws = (entry("AWS_ACCESS_KEY_ID"), entry("AWS_SECRET_ACCESS_KEY"))
        if aws.0 != nil || aws.1 != nil {
            return try pair(
                aws.0, aws.1, token: boundToken ?? entry("AWS_SESSION_TOKEN"),
                names: ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"))
        }
        throw .misconfigured(
            .invalidConfig, "no S3 credentials are set",
            hint: "set S3_ACCESS_KEY and S3_SECRET_KEY (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY); "
                + "instance-role credentials are not supported")
    }

    /// A set value and the key (or manifest expression) it came from.
    struct Found {
        var value: String
        var key: String
    }

    static func pair(
        _ access: Found?, _ secret: Found?, token: Found?,
        names: (Message, Message)
    ) throws(ProbeFailure) -> S3Credentials {
        guard let access, let secret else {
            let (missing, present) = access == nil ? (names.0, names.1) : (names.1, names.0)
            throw .misconfigured(
                .invalidConfig, "\(missing) is not set, but \(present) is: S3 credentials come as a pair",
                hint: "set \(missing) too (credentials are never mixed across S3_* and AWS_* names)")
        }
        let credentials = SigV4Credentials(
            accessKeyID: access.value.trimmingSpaces, secretKey: Secret(secret.value),
            sessionToken: token.map { Secret($0.value.trimmingSpaces) })
        return S3Credentials(value: credentials, accessKeySource: access.key, secretKeySource: secret.key)
    }
}
