import EnvCheckCore
import TestSupport
import Testing

@testable import EnvCheckProbes

@Suite struct S3ProbeTests {
    static let now: Int64 = 1_700_000_000_000

    static func config(
        endpoint: S3Endpoint = S3Endpoint(scheme: "http", host: "minio", port: 9000), addressing: S3Addressing = .path,
        secret: String = "topsecretvalue", token: String? = nil, tls: TLSOptions = TLSOptions()
    ) -> S3Config {
        S3Config(
            endpoint: endpoint, bucket: "data", region: "us-east-1",
            credentials: SigV4Credentials(accessKeyID: "AKIAFAKE", secretKey: Secret(secret), sessionToken: token.map(Secret.init)),
            addressing: addressing, tls: tls)
    }

    func run(_ transport: FakeS3Transport, config: S3Config = S3ProbeTests.config(), writeCheck: Bool = false) async -> ProbeOutcome {
        let probe = S3Probe(config: config, dependencies: .init(transport: transport, now: { Self.now }))
        let context = ProbeContext(id: "s3", deadline: .after(.seconds(5)), timeout: .seconds(5), writeCheck: writeCheck)
        return await Self.outcome(probe, context)
    }

    /// Runs the probe as the runner does; every code it gives must be one the kind declares.
    static func outcome(_ probe: S3Probe, _ context: ProbeContext, sourceLocation: SourceLocation = #_sourceLocation) async -> ProbeOutcome {
        let outcome = await Runner.outcome(of: probe, context)
        #expect(S3Probe.kind.undeclared(outcome.code, status: outcome.status) == nil, sourceLocation: sourceLocation)
        return outcome
    }

    @Test func passSendsOneSignedListObjectsV2() async throws {
        let transport = FakeS3Transport()
        let outcome = await run(transport)
        #expect(outcome.status == .pass)
        #expect(outcome.message.hasPrefix("listed bucket data at http://minio:9000 (path style, MinIO, 7ms)"))
        let request = try #require(transport.requests.first)
        #expect(transport.requests.count == 1)
        #expect(request.method == "GET" && request.url == "http://minio:9000/data?list-type=2&max-keys=1")
        let headers = Dictionary(request.headers.map { ($0.name.lowercased(), $0.value) }) { a, _ in a }
        #expect(headers["host"] == "minio:9000")
        #expect(headers["x-amz-date"] == "20231114T221320Z")
        #expect(headers["x-amz-content-sha256"] == SigV4Signer.emptyPayloadHash)
        let authorization = try #require(headers["authorization"])
        #expect(
            authorization.hasPrefix(
                "AWS4-HMAC-SHA256 Credential=AKIAFAKE/20231114/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature="))
        #expect(outcome.details["server"] == "MinIO" && outcome.details["addressing"] == "path")
        #expect(outcome.details["bucket_region"] == "us-east-1" && outcome.details["key_count"] == 0)
        #expect(outcome.details["timings_ms"]?.objectValue?["first_byte"] == 3)
        #expect(outcome.details["credentials"] == "S3_ACCESS_KEY/S3_SECRET_KEY" && outcome.details["session_token"] == false)
    }

    @Test func virtualHostedRequestOnAWS() async throws {
        let transport = FakeS3Transport { _, _ in
            HTTPResponse(status: 200, headers: [("Server", "AmazonS3"), ("x-amz-bucket-region", "us-east-1")])
        }
        let outcome = await run(transport, config: Self.config(endpoint: .aws(region: "us-east-1"), addressing: .virtualHosted))
        #expect(outcome.status == .pass && outcome.details["server"] == "AWS")
        #expect(transport.requests.first?.url == "https://data.s3.us-east-1.amazonaws.com/?list-type=2&max-keys=1")
        #expect(transport.requests.first?.headers.contains { $0.name == "Host" && $0.value == "data.s3.us-east-1.amazonaws.com" } == true)
    }

    @Test func serverDetection() {
        #expect(S3Probe.server(HTTPResponse(status: 200, headers: [("Server", "AmazonS3")])).0 == "AWS")
        #expect(S3Probe.server(HTTPResponse(status: 200, headers: [("x-minio-error-code", "x")])).0 == "MinIO")
        #expect(S3Probe.server(HTTPResponse(status: 200, headers: [("Server", "MinIO")])).0 == "MinIO")
        let ceph = S3Probe.server(HTTPResponse(status: 200, headers: [("Server", "Ceph Object Gateway (squid)")]))
        #expect(ceph.0 == "other" && ceph.1 == "Ceph Object Gateway (squid)")
        #expect(S3Probe.server(HTTPResponse(status: 200)).0 == "other")
    }

    @Test(arguments: [
        (403, "InvalidAccessKeyId", ErrorCode.invalidAccessKey),
        (403, "SignatureDoesNotMatch", .signatureMismatch),
        (403, "AccessDenied", .accessDenied),
        (404, "NoSuchBucket", .noSuchBucket),
        (400, "InvalidToken", .invalidToken),
        (400, "ExpiredToken", .expiredToken),
        (403, "InvalidClientTokenId", .invalidToken),
        (503, "SlowDown", .upstreamError),
        (500, "InternalError", .upstreamError),
    ])
    func classifiesErrorBodies(status: Int, code: String, expected: ErrorCode) async {
        let outcome = await run(FakeS3Transport { _, _ in FakeS3Transport.error(status, code) })
        #expect(outcome.status == .fail)
        #expect(outcome.code == expected)
        #expect(outcome.details["http_status"] == .int(status) && outcome.details["s3_code"] == .string(code))
        #expect(outcome.hint != nil)
    }

    @Test func bodilessAnswersAreClassifiedByStatus() async {
        #expect(await run(FakeS3Transport { _, _ in HTTPResponse(status: 404) }).code == .noSuchBucket)
        #expect(await run(FakeS3Transport { _, _ in HTTPResponse(status: 403) }).code == .accessDenied)
        let html = await run(FakeS3Transport { _, _ in HTTPResponse(status: 502, body: Array("<html>bad gateway</html>".utf8)) })
        #expect(html.code == .upstreamError && html.message.contains("HTTP 502"))
    }

    @Test func wrongRegionNamesTheBucketsRegion() async {
        let malformed = await run(
            FakeS3Transport { _, _ in
                FakeS3Transport.error(400, "AuthorizationHeaderMalformed", extra: "<Region>eu-west-1</Region>")
            })
        #expect(malformed.code == .wrongRegion)
        #expect(malformed.message == "bucket data is in region eu-west-1, not us-east-1")
        #expect(malformed.hint == "set S3_REGION=eu-west-1")
        let redirect = await run(FakeS3Transport { _, _ in HTTPResponse(status: 301, headers: [("x-amz-bucket-region", "ap-south-1")]) })
        #expect(redirect.code == .wrongRegion && redirect.details["bucket_region"] == "ap-south-1")
        let permanent = await run(
            FakeS3Transport { _, _ in
                FakeS3Transport.error(301, "PermanentRedirect", extra: "<Endpoint>data.s3.eu-central-1.amazonaws.com</Endpoint>")
            })
        #expect(permanent.code == .wrongRegion && permanent.message.contains("data.s3.eu-central-1.amazonaws.com"))
    }

    @Test func clockSkewReportsTheOffsetFromTheDateHeader() async {
        // The server's clock is 20 minutes and 5 seconds ahead of ours.
        let serverDate = "Tue, 14 Nov 2023 22:33:25 GMT"  // now = 22:13:20
        let outcome = await run(
            FakeS3Transport { _, _ in
                FakeS3Transport.error(403, "RequestTimeTooSkewed", headers: [("Date", serverDate)])
            })
        #expect(outcome.code == .clockSkew)
        #expect(outcome.details["clock_offset_s"] == -1205)
        #expect(outcome.message == "this machine's clock is 20m 5s behind the server's; S3 allows 15 minutes")
        let fromBody = await run(
            FakeS3Transport { _, _ in
                FakeS3Transport.error(403, "RequestTimeTooSkewed", extra: "<ServerTime>2023-11-14T21:53:20Z</ServerTime>")
            })
        #expect(fromBody.details["clock_offset_s"] == 1200 && fromBody.message.contains("20m 0s ahead of"))
    }

    @Test func transportFailuresPassThrough() async {
        let outcome = await run(
            FakeS3Transport { _, _ throws(ProbeFailure) in
                throw ProbeFailure(.timeout, "timed out waiting for a response from minio:9000 after 2000ms")
            })
        #expect(outcome.status == .fail && outcome.code == .timeout)
    }

    @Test func tlsVerificationOffIsAWarning() async {
        let outcome = await run(
            FakeS3Transport(),
            config: Self.config(
                endpoint: S3Endpoint(scheme: "https", host: "minio"),
                tls: TLSOptions(verify: false)))
        #expect(outcome.status == .warn && outcome.code == .tlsVerifyDisabled)
        #expect(outcome.message.hasSuffix(", but TLS verification is off"))
        // Plain http has no certificate to distrust: the shared rule leaves the pass alone.
        let plain = await run(FakeS3Transport(), config: Self.config(tls: TLSOptions(verify: false)))
        #expect(plain.status == .pass && plain.code == nil)
    }

    @Test func sessionTokenIsSent() async {
        let transport = FakeS3Transport()
        _ = await run(transport, config: Self.config(token: "sessiontokenvalue"))
        #expect(transport.requests.first?.headers.contains { $0.name == "X-Amz-Security-Token" && $0.value == "sessiontokenvalue" } == true)
    }

    @Test func secretsNeverAppearInOutcomes() async {
        let secret = Canary.make("secret")
        let token = Canary.make("token")
        // A hostile server that echoes the secret and token everywhere it can.
        let echo = "<CanonicalRequest>x-amz-security-token:\(token)</CanonicalRequest><StringToSign>\(secret)</StringToSign>"
        for code in ["SignatureDoesNotMatch", "AccessDenied", "Whatever", "InvalidToken"] {
            let outcome = await run(
                FakeS3Transport { _, _ in FakeS3Transport.error(403, code, message: "bad \(secret) \(token)", extra: echo) },
                config: Self.config(secret: secret, token: token))
            let text = outcome.message.text + (outcome.hint?.text ?? "") + JSONWriter.write(.object(outcome.details))
            #expect(Canary.leaks([secret, token], in: text).isEmpty, "leak for \(code): \(text)")
            #expect(outcome.status == .fail)
        }
    }
}
