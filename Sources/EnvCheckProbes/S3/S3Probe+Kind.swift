import EnvCheckCore

extension S3Probe {
    static let pathStyle = ProbeOption.bool("path_style", "true: path-style requests (host/bucket); false: virtual-hosted (bucket.host)")

    /// The probe's I/O: HTTP, and the clock requests are signed with.
    struct Dependencies: Sendable {
        var transport: any HTTPTransport = CurlTransport()
        var now: @Sendable () -> Int64 = { Timestamp.nowEpochMs() }

        static let live = Dependencies()
    }

    /// The registry entry, over libcurl.
    public static let kind = kind(.live)

    /// The registry entry over `dependencies` (tests pass a recording or fake transport).
    /// The bucket at its endpoint (every AWS endpoint is one: bucket names are global there).
    static func resource(_ settings: ProbeSettings) -> ProbeResource? {
        guard case .ready(let config) = S3Config.resolve(settings) else { return nil }
        let host = config.endpoint.isAWSDefault ? "s3.amazonaws.com" : config.endpoint.host
        return ProbeResource(
            what: "bucket", host: host, port: config.endpoint.isAWSDefault ? nil : config.endpoint.port, name: config.bucket,
            key: config.bucketSource)
    }

    static func kind(_ dependencies: Dependencies) -> ProbeKind {
        ProbeKind(
            kind: "s3",
            summary: "S3/MinIO credentials and bucket work: a SigV4-signed ListObjectsV2",
            critical: true,
            inputs: S3Config.Inputs.all,
            options: [pathStyle],
            codes: codes, resource: resource,
            setup: { settings in
                switch S3Config.resolve(settings) {
                case .ready(let config): .ready(S3Probe(config: config, dependencies: dependencies))
                case .notConfigured(let message): .notConfigured(message)
                case .invalid(let failure): .invalid(failure)
                }
            })
    }

    static let wrongRegionHint = HintTemplate("<region key>") { (key: String) in "set \(key: key) to the bucket's region" }

    /// S3's error `<Code>`s as S3FailureClassifier maps them (docs/protocols.md §4).
    static let codes: [ProbeCode] = [
        ProbeCode(.invalidAccessKey, .fail, meaning: "the server does not know the access key ID").permanent,
        ProbeCode(.signatureMismatch, .fail, meaning: "the secret key does not match the access key (the signature was rejected)").permanent,
        ProbeCode(.accessDenied, .fail, meaning: "the credentials work, but their policy does not allow listing the bucket").permanent,
        ProbeCode(.noSuchBucket, .fail, meaning: "the bucket does not exist at the endpoint").permanent,
        ProbeCode(
            .clockSkew, .fail, meaning: "this machine's clock is more than 15 minutes off the server's (the message gives the offset)",
            hint: "sync the clock with NTP (timedatectl, chrony)"),
        ProbeCode(
            .wrongRegion, .fail, meaning: "the bucket is in another region than the one configured (the message names it)",
            hint: wrongRegionHint),
        ProbeCode(.invalidToken, .fail, meaning: "the server rejected the session token").permanent,
        ProbeCode(
            .expiredToken, .fail, meaning: "the session token has expired",
            hint: "issue fresh temporary credentials (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN)"),
        ProbeCode(.writeCheckFailed, .fail, meaning: "--write-check: the object read back differs from what was written"),
        ProbeCode.upstreamError.with(meaning: "an S3 error no other code covers, a 5xx, or an answer from something that is not S3"),
        ProbeCode.invalidURL.with(meaning: "the endpoint is not an http(s) URL, or has credentials, a query or a fragment"),
        .cleanupFailed, .tlsVerifyDisabled, .certExpiring, .dns, .connectionRefused, .tls, .network, .protocolError,
    ]
}
