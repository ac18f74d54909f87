import EnvCheckCore
import Testing

@testable import EnvCheckProbes

@Suite struct S3ConfigTests {
    static let base = ["S3_BUCKET": "data", "S3_ACCESS_KEY": "AKIA1", "S3_SECRET_KEY": "s3secret"]

    func resolve(_ values: [String: String], bindings: [String: String] = [:], options: JSONObject = JSONObject()) -> S3Config.Resolution {
        S3Config.resolve(ProbeSettings(id: "s3", config: ResolvedConfig(values), bindings: bindings, options: options))
    }

    func ready(_ values: [String: String], bindings: [String: String] = [:], options: JSONObject = JSONObject()) throws -> S3Config {
        guard case .ready(let config) = resolve(values, bindings: bindings, options: options) else {
            throw S3TestFailure("expected a ready config, got \(resolve(values, bindings: bindings, options: options))")
        }
        return config
    }

    func invalid(_ values: [String: String]) throws -> ProbeFailure {
        guard case .invalid(let failure) = resolve(values) else { throw S3TestFailure("expected invalid, got \(resolve(values))") }
        #expect(failure.status == .error)
        return failure
    }

    @Test func noBucketIsNotConfigured() {
        guard case .notConfigured(let message) = resolve(["S3_ACCESS_KEY": "a", "S3_SECRET_KEY": "b"]) else {
            Issue.record("expected not configured")
            return
        }
        #expect(message == "S3_BUCKET is not set")
    }

    @Test func defaultsToAWSVirtualHostedInUSEast1() throws {
        let config = try ready(Self.base)
        #expect(config.endpoint == S3Endpoint.aws(region: "us-east-1"))
        #expect(config.endpoint.display == "https://s3.us-east-1.amazonaws.com")
        #expect(config.region == "us-east-1" && config.regionSource == nil)
        #expect(config.addressing == .virtualHosted)
        #expect(config.credentials.accessKeyID == "AKIA1" && config.credentials.secretKey.revealed == "s3secret")
        #expect(config.credentials.sessionToken == nil)
        let target = S3Target(endpoint: config.endpoint, addressing: config.addressing, bucket: "data", key: nil)
        #expect(target.host == "data.s3.us-east-1.amazonaws.com" && target.path == "/")
    }

    @Test func dottedBucketOnAWSUsesPathStyle() throws {
        #expect(try ready(Self.base.merging(["S3_BUCKET": "my.data"]) { $1 }).addressing == .path)
    }

    @Test func s3PairWinsOverAWSPair() throws {
        let config = try ready(
            Self.base.merging([
                "AWS_ACCESS_KEY_ID": "AKIA2", "AWS_SECRET_ACCESS_KEY": "awssecret",
                "AWS_SESSION_TOKEN": "tok",
            ]) { $1 })
        #expect(config.credentials.accessKeyID == "AKIA1")
        #expect(config.credentials.sessionToken == nil)  // the token belongs to the AWS pair
        #expect(config.accessKeySource == "S3_ACCESS_KEY" && config.secretKeySource == "S3_SECRET_KEY")
    }

    @Test func awsPairWithSessionToken() throws {
        let config = try ready([
            "S3_BUCKET": "data", "AWS_ACCESS_KEY_ID": "ASIA2", "AWS_SECRET_ACCESS_KEY": "awssecret",
            "AWS_SESSION_TOKEN": "tok",
        ])
        #expect(config.credentials.accessKeyID == "ASIA2" && config.credentials.secretKey.revealed == "awssecret")
        #expect(config.credentials.sessionToken?.revealed == "tok")
        #expect(config.accessKeySource == "AWS_ACCESS_KEY_ID")
    }

    @Test func halfPairsAreErrorsNamingTheMissingHalf() throws {
        // Never one of each: S3_ACCESS_KEY alone does not borrow AWS_SECRET_ACCESS_KEY.
        let mixed = try invalid(["S3_BUCKET": "b", "S3_ACCESS_KEY": "a", "AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "y"])
        #expect(mixed.code == .invalidConfig)
        #expect(mixed.message.hasPrefix("S3_SECRET_KEY is not set, but S3_ACCESS_KEY is"))
        let awsHalf = try invalid(["S3_BUCKET": "b", "AWS_SECRET_ACCESS_KEY": "y"])
        #expect(awsHalf.message.hasPrefix("AWS_ACCESS_KEY_ID is not set, but AWS_SECRET_ACCESS_KEY is"))
        let s3Half = try invalid(["S3_BUCKET": "b", "S3_SECRET_KEY": "y", "AWS_ACCESS_KEY_ID": "x"])
        #expect(s3Half.message.hasPrefix("S3_ACCESS_KEY is not set"))
        let none = try invalid(["S3_BUCKET": "b"])
        #expect(none.message == "no S3 credentials are set")
    }

    @Test func endpointPrecedenceAndPathStyle() throws {
        var values = Self.base
        values["AWS_ENDPOINT_URL"] = "http://general:1"
        #expect(try ready(values).endpoint.host == "general")
        values["AWS_ENDPOINT_URL_S3"] = "http://s3only:2"
        #expect(try ready(values).endpoint.host == "s3only")
        values["S3_ENDPOINT"] = "http://minio:9000/"
        let config = try ready(values)
        #expect(config.endpoint == S3Endpoint(scheme: "http", host: "minio", port: 9000))
        #expect(config.addressing == .path)
        let target = S3Target(endpoint: config.endpoint, addressing: .path, bucket: "data", key: "a/b c")
        #expect(target.host == "minio:9000" && target.path == "/data/a/b c")
        values["S3_FORCE_PATH_STYLE"] = "false"
        #expect(try ready(values).addressing == .virtualHosted)
        // The manifest option wins over the variable.
        #expect(try ready(values, options: ["path_style": true]).addressing == .path)
        values["S3_FORCE_PATH_STYLE"] = "maybe"
        guard case .invalid(let failure) = resolve(values) else { throw S3TestFailure("expected invalid") }
        #expect(failure.code == .invalidConfig && failure.message.contains("S3_FORCE_PATH_STYLE"))
    }

    @Test func regionPrecedence() throws {
        var values = Self.base
        values["AWS_DEFAULT_REGION"] = "eu-west-3"
        #expect(try ready(values).region == "eu-west-3")
        values["AWS_REGION"] = "eu-west-2"
        #expect(try ready(values).region == "eu-west-2")
        values["S3_REGION"] = "eu-west-1"
        let config = try ready(values)
        #expect(config.region == "eu-west-1" && config.regionSource == "S3_REGION")
        #expect(config.endpoint.host == "s3.eu-west-1.amazonaws.com")
    }

    @Test func badEndpointAndBucketAreErrors() throws {
        let endpoint = try invalid(Self.base.merging(["S3_ENDPOINT": "minio:9000"]) { $1 })
        #expect(endpoint.code == .invalidURL && endpoint.message.hasPrefix("S3_ENDPOINT is not an http(s) URL"))
        let withPassword = try invalid(Self.base.merging(["S3_ENDPOINT": "https://u:hunter22@host"]) { $1 })
        #expect(!withPassword.message.contains("hunter22"))
        let bucket = try invalid(Self.base.merging(["S3_BUCKET": "s3://data/prefix"]) { $1 })
        #expect(bucket.code == .invalidConfig && bucket.message.contains("bare bucket name"))
    }

    @Test func manifestBindingsFormTheirOwnPair() throws {
        let config = try ready(
            ["B": "bkt", "K": "kid", "S": "sec", "S3_ACCESS_KEY": "ignored", "S3_SECRET_KEY": "ignored"],
            bindings: ["bucket": "${B}", "access_key": "${K}", "secret_key": "${S}"])
        #expect(config.bucket == "bkt" && config.credentials.accessKeyID == "kid" && config.credentials.secretKey.revealed == "sec")
        guard case .invalid(let half) = resolve(["B": "bkt", "K": "kid"], bindings: ["bucket": "${B}", "access_key": "${K}", "secret_key": "${S}"]) else {
            throw S3TestFailure("expected invalid")
        }
        #expect(half.message.hasPrefix("${S} is not set"))
    }

    @Test func endpointParsing() {
        #expect(S3Endpoint.parse("https://[::1]:9000/base/") == S3Endpoint(scheme: "https", host: "[::1]", port: 9000, basePath: "/base"))
        #expect(S3Endpoint.parse("HTTPS://r2.example.com")?.authority == "r2.example.com")
        #expect(S3Endpoint.parse("https://h:443")?.authority == "h")
        #expect(S3Endpoint.parse("http://h:8080")?.authority == "h:8080")
        #expect(S3Endpoint.parse("ftp://h") == nil)
        #expect(S3Endpoint.parse("http://h:0") == nil)
        #expect(S3Endpoint.parse("http://h?x=1") == nil)
        #expect(S3Endpoint.parse("http://") == nil)
        // The shared HostPort rule: hosts lowercased, IPv6 only in brackets, an empty port is none.
        #expect(S3Endpoint.parse("http://MinIO.Local:9000")?.host == "minio.local")
        #expect(S3Endpoint.parse("http://::1:9000") == nil)
        #expect(S3Endpoint.parse("http://h:+80") == nil)
        #expect(S3Endpoint.parse("http://h:") == S3Endpoint(scheme: "http", host: "h"))
    }
}

struct S3TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
