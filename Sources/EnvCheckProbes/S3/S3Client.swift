import EnvCheckCore

/// Signs S3 requests with ``SigV4Signer`` and sends them through an ``HTTPTransport``.
struct S3Client: Sendable {
    let config: S3Config
    let transport: any HTTPTransport
    /// Wall clock, ms since the epoch (injected by tests to exercise clock skew).
    let now: @Sendable () -> Int64

    /// One exchange, and the wall-clock time it was signed at.
    struct Exchange: Sendable {
        var response: HTTPResponse
        var signedAtEpochMs: Int64
    }

    /// `method` on the bucket (key nil) or one of its objects.
    func send(
        _ method: String, key: String? = nil, query: [(name: String, value: String?)] = [],
        body: [UInt8] = [], deadline: Deadline
    ) async throws(ProbeFailure) -> Exchange {
        let target = S3Target(endpoint: config.endpoint, addressing: config.addressing, bucket: config.bucket, key: key)
        let signer = SigV4Signer(credentials: config.credentials, region: config.region)
        let unsigned = SigV4Request(
            method: method, host: target.host, path: target.path, query: query,
            payloadHash: Hex.encode(Digest.sha256(body)))
        let signedAt = now()
        let signed = signer.sign(unsigned, epochSeconds: signedAt / 1000)
        let request = HTTPRequest(
            method: method, url: target.url(canonicalURI: signed.canonicalURI, canonicalQuery: signed.canonicalQuery),
            headers: signed.headers, body: body, tls: config.tls)
        let response = try await transport.send(request, deadline: deadline)
        return Exchange(response: response, signedAtEpochMs: signedAt)
    }

    /// The failure an S3 error answer means, ranked with what happened at the other
    /// addresses the transport tried (``AddressAttempts``).
    func failure(_ exchange: Exchange, operation: String) -> ProbeFailure {
        exchange.response.addresses.failure(
            after: S3FailureClassifier(config: config, signedAtEpochMs: exchange.signedAtEpochMs)
                .failure(exchange.response, operation: operation))
    }
}
