import EnvCheckCore

/// The `s3` probe: proves that the S3 credentials and the bucket work, with one request
/// signed by envcheck's own SigV4 signer: ListObjectsV2, `GET /<bucket>?list-type=2&max-keys=1`
/// (needs `s3:ListBucket`), sent over libcurl.
///
/// - pass: the bucket was listed. Details: endpoint, addressing style, region and the
///   bucket's region (`x-amz-bucket-region`), the server (AWS, MinIO or other), the
///   credential keys used, phase timings.
/// - warn: it works over https, but TLS verification is off (`tls_verify: false`; over
///   plain http there is no certificate to verify, so that stays a pass).
/// - fail: `invalid_access_key`, `signature_mismatch`, `access_denied`, `no_such_bucket`,
///   `clock_skew` (with the offset from the server's `Date`), `wrong_region` (naming the
///   bucket's region), `invalid_token`/`expired_token`, `timeout`, `tls`, `dns`,
///   `connection_refused`, `upstream_error`; with `--write-check` also
///   `write_check_failed` and `cleanup_failed`.
/// - error: a half credential pair, an unparseable endpoint, a bucket given as a URL.
///
/// Keys: `S3_BUCKET`; `S3_ACCESS_KEY`+`S3_SECRET_KEY` or `AWS_ACCESS_KEY_ID`+
/// `AWS_SECRET_ACCESS_KEY`(+`AWS_SESSION_TOKEN`); `S3_ENDPOINT`/`AWS_ENDPOINT_URL_S3`/
/// `AWS_ENDPOINT_URL`; `S3_REGION`/`AWS_REGION`/`AWS_DEFAULT_REGION`; `S3_FORCE_PATH_STYLE`.
/// With `--write-check` it also PUTs, GETs and DELETEs one object under `envcheck-probe/`.
public struct S3Probe: Probe {
    public let config: S3Config
    let client: S3Client

    init(config: S3Config, dependencies: Dependencies) {
        self.config = config
        self.client = S3Client(config: config, transport: dependencies.transport, now: dependencies.now)
    }

    public var targets: [String] { [CurlURL.target(of: config.endpoint.display)] }

    public func check(_ context: ProbeContext) async throws -> ProbeOutcome {
        let list = try await client.send("GET", query: [("list-type", "2"), ("max-keys", "1")], deadline: context.deadline)
        guard list.response.status == 200 else { throw client.failure(list, operation: "ListObjectsV2") }
        var details = describe(list.response)
        if context.writeCheck {
            details["write_check"] = .object(try await S3WriteCheck(client: client).run(deadline: context.deadline, cleanups: context.cleanups))
        }
        let server = details["server"]?.stringValue ?? "S3"
        let message: Message =
            "listed bucket \(label: config.bucket) at \(label: config.endpoint.display) (\(label: config.addressing.rawValue) style, "
            + "\(server), \(list.response.timings.totalMs)ms)" + (context.writeCheck ? "; write check passed" : "")
        return list.response.annotated(
            ProbeOutcome.pass(message, details: details)
                .cappedOverHTTP(https: config.endpoint.isHTTPS, tls: config.tls))
    }

    func describe(_ response: HTTPResponse) -> JSONObject {
        var details = JSONObject()
        details["bucket"] = .string(config.bucket)
        details["endpoint"] = .string(config.endpoint.display)
        details["addressing"] = .string(config.addressing.rawValue)
        details["region"] = .string(config.region)
        if let bucketRegion = response.header("x-amz-bucket-region") { details["bucket_region"] = .string(bucketRegion) }
        let (server, header) = Self.server(response)
        details["server"] = .string(server)
        if let header { details["server_header"] = .string(String(header.prefix(80))) }
        details["credentials"] = .string("\(config.accessKeySource)/\(config.secretKeySource)")
        details["session_token"] = .bool(config.credentials.sessionToken != nil)
        details["tls"] = .bool(config.endpoint.isHTTPS)
        if let count = S3XML.text(of: "KeyCount", in: response.bodyText).flatMap({ Int($0) }) { details["key_count"] = .int(count) }
        details["latency_ms"] = .int(response.timings.totalMs)
        details["timings_ms"] = .object(response.timings.details)
        return details
    }

    /// AWS (`Server: AmazonS3`), MinIO (`Server: MinIO` or any `x-minio-*` header) or other;
    /// with the raw `Server` header.
    static func server(_ response: HTTPResponse) -> (String, String?) {
        let header = response.header("Server")
        let lower = header?.lowercased() ?? ""
        if lower.hasPrefix("amazons3") || (lower.isEmpty && response.header("x-amz-id-2") != nil) { return ("AWS", header) }
        if lower.contains("minio") || response.headers.contains(where: { $0.name.lowercased().hasPrefix("x-minio-") }) {
            return ("MinIO", header)
        }
        return ("other", header)
    }
}
