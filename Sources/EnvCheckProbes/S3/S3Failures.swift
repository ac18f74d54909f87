import EnvCheckCore

extension ErrorCode {
    public static let invalidAccessKey = ErrorCode("invalid_access_key")
    public static let signatureMismatch = ErrorCode("signature_mismatch")
    public static let accessDenied = ErrorCode("access_denied")
    public static let noSuchBucket = ErrorCode("no_such_bucket")
    public static let clockSkew = ErrorCode("clock_skew")
    public static let wrongRegion = ErrorCode("wrong_region")
    public static let invalidToken = ErrorCode("invalid_token")
    public static let expiredToken = ErrorCode("expired_token")
    public static let writeCheckFailed = ErrorCode("write_check_failed")
}

/// Turns an S3 error response into a ``ProbeFailure``: the named code from the XML body's
/// `<Code>` (or, for bodiless HEAD answers, the status), a message that says what is wrong
/// with which setting, and a hint. The server's `<Message>` is the only free text taken
/// from the body (see ``S3ErrorBody``).
struct S3FailureClassifier {
    let config: S3Config
    /// When the request was signed (ms since the epoch), for clock-skew offsets.
    let signedAtEpochMs: Int64

    func failure(_ response: HTTPResponse, operation: String) -> ProbeFailure {
        let body = S3ErrorBody(xml: response.bodyText)
        let code = body?.code ?? ""
        var details = JSONObject()
        details["http_status"] = .int(response.status)
        if !code.isEmpty { details["s3_code"] = .string(code) }
        var failure = classify(code: code, response: response, body: body, operation: operation)
        for (key, value) in failure.details.entries { details[key] = value }
        failure.details = details
        return failure
    }

    private var keys: Message { "\(key: config.accessKeySource)/\(key: config.secretKeySource)" }
    private var bucket: String { config.bucket }

    private func classify(code: String, response: HTTPResponse, body: S3ErrorBody?, operation: String) -> ProbeFailure {
        let bucketRegion = response.header("x-amz-bucket-region") ?? body?.region
        switch code {
        case "InvalidAccessKeyId":
            return ProbeFailure(
                .invalidAccessKey, "the server does not know the access key ID in \(key: config.accessKeySource)",
                hint:
                    "check \(key: config.accessKeySource) and that the key was not deleted or deactivated, and that it belongs to this endpoint (\(label: config.endpoint.display))"
            )
        case "SignatureDoesNotMatch":
            return ProbeFailure(
                .signatureMismatch, "the server rejected the request signature: \(key: config.secretKeySource) does not match \(key: config.accessKeySource)",
                hint: "check that \(keys) are the same pair (stray quotes or whitespace in the value cause this too)")
        case "AccessDenied", "AllAccessDisabled", "AccountProblem":
            return ProbeFailure(
                .accessDenied, "access denied for \(label: operation) on bucket \(label: bucket)\(serverMessage(body))",
                hint: "the credentials work but their policy does not allow \(label: operation) on arn:aws:s3:::\(label: bucket)")
        case "NoSuchBucket":
            return ProbeFailure(
                .noSuchBucket, "bucket \(label: bucket) does not exist at \(label: config.endpoint.display)",
                hint: "check \(key: config.bucketSource) (and the endpoint); bucket names are case-sensitive")
        case "RequestTimeTooSkewed":
            return clockSkew(response, body)
        case "AuthorizationHeaderMalformed", "PermanentRedirect", "IllegalLocationConstraintException", "TemporaryRedirect":
            return wrongRegion(bucketRegion, endpoint: body?.endpoint, code: code)
        case "InvalidToken", "InvalidClientTokenId", "InvalidSecurity":
            return ProbeFailure(
                .invalidToken, "the server rejected the session token (\(code))",
                hint: "check AWS_SESSION_TOKEN: it must be the token issued with \(key: config.accessKeySource)")
        case "ExpiredToken", "TokenRefreshRequired":
            return ProbeFailure(
                .expiredToken, "the session token has expired",
                hint: S3Probe.codes[.expiredToken]?.hint)
        default:
            return fallback(code: code, response: response, body: body, operation: operation, bucketRegion: bucketRegion)
        }
    }

    private func fallback(
        code: String, response: HTTPResponse, body: S3ErrorBody?, operation: String,
        bucketRegion: String?
    ) -> ProbeFailure {
        let status = response.status
        if status == 301 || status == 307 || (status == 400 && bucketRegion != nil && bucketRegion != config.region) {
            return wrongRegion(bucketRegion, endpoint: body?.endpoint, code: code)
        }
        if code.isEmpty {  // HEAD answers and proxies carry no S3 body
            switch status {
            case 404 where operation == "ListObjectsV2":
                return ProbeFailure(
                    .noSuchBucket, "bucket \(label: bucket) was not found at \(label: config.endpoint.display) (HTTP 404)",
                    hint: "check \(key: config.bucketSource) and the endpoint")
            case 403:
                return ProbeFailure(
                    .accessDenied, "\(label: operation) on bucket \(label: bucket) was refused (HTTP 403, no error body)",
                    hint: "check \(keys) and the bucket policy")
            default: break
            }
        }
        let what = code.isEmpty ? "HTTP \(status)" : "HTTP \(status) \(code)"
        return ProbeFailure(
            .upstreamError, "\(label: operation) failed: the server answered \(what)\(serverMessage(body))",
            hint: status >= 500
                ? "the storage service is failing; retry later or check its status"
                : "check the S3 settings (\(key: config.bucketSource), the endpoint and \(keys))")
    }

    private func wrongRegion(_ bucketRegion: String?, endpoint: String?, code: String) -> ProbeFailure {
        let source = config.regionSource ?? "S3_REGION"
        var details = JSONObject()
        details["configured_region"] = .string(config.region)
        if let bucketRegion { details["bucket_region"] = .string(bucketRegion) }
        if let endpoint { details["suggested_endpoint"] = .string(endpoint) }
        guard let bucketRegion, !bucketRegion.isEmpty else {
            let message: Message = "bucket \(label: bucket) is not in region \(label: config.region) (\(code.isEmpty ? "redirect" : code))"
            return ProbeFailure(
                .wrongRegion, message + (endpoint.map { "; the server points to \($0)" } ?? ""),
                hint: S3Probe.wrongRegionHint(source), details: details)
        }
        return ProbeFailure(
            .wrongRegion, "bucket \(label: bucket) is in region \(bucketRegion), not \(label: config.region)",
            hint: "set \(key: source)=\(bucketRegion)", details: details)
    }

    private func clockSkew(_ response: HTTPResponse, _ body: S3ErrorBody?) -> ProbeFailure {
        let serverSeconds =
            response.header("Date").flatMap(HTTPDate.parseRFC1123)
            ?? body?.serverTime.flatMap(HTTPDate.parseISO8601)
        guard let serverSeconds else {
            return ProbeFailure(
                .clockSkew, "the server says this machine's clock is too far off (over 15 minutes)",
                hint: S3Probe.codes[.clockSkew]?.hint)
        }
        let offset = signedAtEpochMs / 1000 - serverSeconds
        let direction = offset > 0 ? "ahead of" : "behind"
        var details = JSONObject()
        details["clock_offset_s"] = .int(Int(offset))
        return ProbeFailure(
            .clockSkew, "this machine's clock is \(HTTPDate.describe(seconds: offset)) \(direction) the server's; S3 allows 15 minutes",
            hint: S3Probe.codes[.clockSkew]?.hint, details: details)
    }

    /// `: <Message>` from the body, quoted without any credential
    /// (``TerminalText/quote(_:hiding:limit:)``); "" when there is none.
    private func serverMessage(_ body: S3ErrorBody?) -> String {
        var secrets = [config.secretKey, config.credentials.accessKeyID]
        if let token = config.credentials.sessionToken?.revealed { secrets.append(token) }
        let text = TerminalText.quote(body?.message ?? "", hiding: secrets)
        return text.isEmpty ? "" : ": " + text
    }
}

extension S3Config {
    var secretKey: String { credentials.secretKey.revealed }
}
