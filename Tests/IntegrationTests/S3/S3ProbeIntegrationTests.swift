import EnvCheckCore
import Foundation
import TestSupport
import Testing

@testable import EnvCheckProbes

/// The s3 probe over libcurl against moto_server, which checks SigV4 signatures
/// (scripts/services/moto.sh), and against hung, refused and stub servers.
@Suite struct S3ProbeIntegrationTests {
    struct Moto {
        let endpoint, accessKey, secretKey, bucket, region: String

        init() throws {
            endpoint = try TestEnvironment.require("ENVCHECK_TEST_S3_ENDPOINT")
            accessKey = try TestEnvironment.require("ENVCHECK_TEST_S3_ACCESS_KEY")
            secretKey = try TestEnvironment.require("ENVCHECK_TEST_S3_SECRET_KEY")
            bucket = try TestEnvironment.require("ENVCHECK_TEST_S3_BUCKET")
            region = try TestEnvironment.require("ENVCHECK_TEST_S3_REGION")
        }

        var values: [String: String] {
            ["S3_ENDPOINT": endpoint, "S3_ACCESS_KEY": accessKey, "S3_SECRET_KEY": secretKey, "S3_BUCKET": bucket, "S3_REGION": region]
        }
    }

    @Test(.requires(.s3)) func listsTheBucket() async throws {
        let moto = try Moto()
        let outcome = try await S3Run.outcome(moto.values)
        #expect(outcome.status == .pass, "\(outcome.message)")
        #expect(outcome.message.hasPrefix("listed bucket \(moto.bucket) at \(moto.endpoint) (path style, other, "))
        #expect(outcome.details["addressing"] == "path" && outcome.details["region"] == .string(moto.region))
        #expect(outcome.details["credentials"] == "S3_ACCESS_KEY/S3_SECRET_KEY")
        #expect((outcome.details["latency_ms"]?.doubleValue ?? -1) >= 0)
        #expect(outcome.details["timings_ms"]?.objectValue?["total"] != nil)
    }

    @Test(.requires(.s3)) func wrongSecretIsSignatureMismatch() async throws {
        let moto = try Moto()
        let outcome = try await S3Run.outcome(moto.values.merging(["S3_SECRET_KEY": moto.secretKey + "x"]) { $1 })
        #expect(outcome.status == .fail && outcome.code == .signatureMismatch, "\(outcome.message)")
        #expect(outcome.details["http_status"] == 403 && outcome.details["s3_code"] == "SignatureDoesNotMatch")
    }

    @Test(.requires(.s3)) func unknownKeyIsInvalidAccessKey() async throws {
        let moto = try Moto()
        let outcome = try await S3Run.outcome(moto.values.merging(["S3_ACCESS_KEY": "AKIAENVCHECKUNKNOWN1"]) { $1 })
        #expect(outcome.code == .invalidAccessKey, "\(outcome.message)")
        #expect(outcome.message == "the server does not know the access key ID in S3_ACCESS_KEY")
    }

    @Test(.requires(.s3)) func missingBucketIsNoSuchBucket() async throws {
        let moto = try Moto()
        let outcome = try await S3Run.outcome(moto.values.merging(["S3_BUCKET": "envcheck-missing-bucket"]) { $1 })
        #expect(outcome.code == .noSuchBucket, "\(outcome.message)")
        #expect(outcome.message.hasPrefix("bucket envcheck-missing-bucket does not exist"))
    }

    @Test(.requires(.s3)) func stsSessionCredentialsWithTheirToken() async throws {
        let moto = try Moto()
        let values = [
            "AWS_ENDPOINT_URL": moto.endpoint, "AWS_REGION": moto.region, "S3_BUCKET": moto.bucket,
            "AWS_ACCESS_KEY_ID": try TestEnvironment.require("ENVCHECK_TEST_S3_SESSION_ACCESS_KEY"),
            "AWS_SECRET_ACCESS_KEY": try TestEnvironment.require("ENVCHECK_TEST_S3_SESSION_SECRET_KEY"),
            "AWS_SESSION_TOKEN": try TestEnvironment.require("ENVCHECK_TEST_S3_SESSION_TOKEN"),
        ]
        let outcome = try await S3Run.outcome(values)
        #expect(outcome.status == .pass, "\(outcome.message)")
        #expect(outcome.details["session_token"] == true)
        #expect(outcome.details["credentials"] == "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY")
        // The same session key with a wrong secret is refused: the token path is really signed.
        let wrong = try await S3Run.outcome(values.merging(["AWS_SECRET_ACCESS_KEY": "wrong-session-secret"]) { $1 })
        #expect(wrong.code == .signatureMismatch, "\(wrong.message)")
        // A token that is not the one issued with the key.
        let badToken = try await S3Run.outcome(values.merging(["AWS_SESSION_TOKEN": "FQoGZXIvYXdzEnvcheckBogus"]) { $1 })
        #expect(badToken.code == .invalidToken, "\(badToken.message)")
    }

    @Test(.requires(.s3, .venv)) func writeCheckLeavesNoObjectBehind() async throws {
        let moto = try Moto()
        let recorder = RecordingTransport(CurlTransport())
        let outcome = try await S3Run.outcome(moto.values, transport: recorder, writeCheck: true)
        #expect(outcome.status == .pass, "\(outcome.message)")
        let details = try #require(outcome.details["write_check"]?.objectValue)
        let key = try #require(details["key"]?.stringValue)
        #expect(key.hasPrefix("envcheck-probe/") && details["verified"] == true)
        // What went over the wire: list, PUT, GET, DELETE, then HEAD saying it is gone.
        #expect(recorder.exchanges.map(\.method) == ["GET", "PUT", "GET", "DELETE", "HEAD"])
        #expect(recorder.exchanges.map(\.status) == [200, 200, 200, 204, 404])
        // And independently, with boto3: nothing left under the prefix.
        let left = try await BotoS3.keys(moto: moto, prefix: S3WriteCheck.prefix)
        #expect(left.isEmpty, "objects left behind: \(left)")
    }

    @Test(.requires(.serialRun)) func hungServerEndsAtTheDeadline() async throws {
        let hung = try HungListener()
        let values = [
            "S3_ENDPOINT": "http://127.0.0.1:\(hung.port)", "S3_ACCESS_KEY": "AKIAHUNG", "S3_SECRET_KEY": "hungsecret",
            "S3_BUCKET": "data",
        ]
        let start = ContinuousClock.now
        let outcome = try await S3Run.outcome(values, timeout: .seconds(1))
        let elapsed = ContinuousClock.now - start
        #expect(outcome.status == .fail && outcome.code == .timeout, "\(outcome.message)")
        #expect(outcome.message.contains("127.0.0.1:\(hung.port)"))
        #expect(elapsed >= .milliseconds(900) && elapsed < .milliseconds(1500), "took \(elapsed)")
        #expect(hung.acceptedCount >= 1)
    }

    @Test func refusedPortIsConnectionRefused() async throws {
        let values = [
            "S3_ENDPOINT": "http://127.0.0.1:\(try refusedPort())", "S3_ACCESS_KEY": "AKIAX", "S3_SECRET_KEY": "secretx",
            "S3_BUCKET": "data",
        ]
        let outcome = try await S3Run.outcome(values)
        #expect(outcome.code == .connectionRefused, "\(outcome.message)")
    }

    @Test(.requires(.s3)) func canarySecretsNeverAppear() async throws {
        let moto = try Moto()
        let secret = Canary.make("secret")
        let token = Canary.make("token")
        let runs: [[String: String]] = [
            moto.values.merging(["S3_SECRET_KEY": secret]) { $1 },
            [
                "AWS_ENDPOINT_URL": moto.endpoint, "S3_BUCKET": moto.bucket, "AWS_ACCESS_KEY_ID": moto.accessKey,
                "AWS_SECRET_ACCESS_KEY": secret, "AWS_SESSION_TOKEN": token,
            ],
            [
                "AWS_ENDPOINT_URL": moto.endpoint, "S3_BUCKET": "envcheck-missing-bucket", "AWS_ACCESS_KEY_ID": "AKIAX",
                "AWS_SECRET_ACCESS_KEY": secret, "AWS_SESSION_TOKEN": token,
            ],
        ]
        for values in runs {
            for writeCheck in [false, true] {
                let outcome = try await S3Run.outcome(values, writeCheck: writeCheck)
                #expect(outcome.status == .fail)
                let text = [outcome.message.text, outcome.hint?.text ?? "", JSONWriter.write(.object(outcome.details))].joined(separator: "\n")
                #expect(Canary.leaks([secret, token], in: text).isEmpty, "leaked: \(text)")
            }
        }
    }
}

/// Set-up and one run of the s3 probe from plain config values.
enum S3Run {
    static func outcome(
        _ values: [String: String], transport: any HTTPTransport = CurlTransport(), timeout: Duration = .seconds(5),
        writeCheck: Bool = false, options: JSONObject = JSONObject()
    ) async throws -> ProbeOutcome {
        let settings = ProbeSettings(id: "s3", config: ResolvedConfig(values), options: options)
        guard case .ready(let probe) = S3Probe.kind(.init(transport: transport)).setup(settings) else {
            throw TestServerError("the s3 probe is not ready with \(values.keys.sorted())")
        }
        return await Runner.outcome(of: probe, ProbeContext(id: "s3", deadline: .after(timeout), timeout: timeout, writeCheck: writeCheck))
    }
}

/// Wraps a transport and records method and status of each exchange.
final class RecordingTransport: HTTPTransport, @unchecked Sendable {
    struct Exchange {
        let method: String
        let status: Int
    }
    private let inner: any HTTPTransport
    private let lock = NSLock()
    private var recorded: [Exchange] = []

    init(_ inner: any HTTPTransport) { self.inner = inner }

    var exchanges: [Exchange] { lock.withLock { recorded } }

    func send(_ request: HTTPRequest, deadline: Deadline) async throws(ProbeFailure) -> HTTPResponse {
        let response = try await inner.send(request, deadline: deadline)
        lock.withLock { recorded.append(Exchange(method: request.method, status: response.status)) }
        return response
    }
}

/// boto3, as an independent S3 client.
enum BotoS3 {
    static func keys(moto: S3ProbeIntegrationTests.Moto, prefix: String) async throws -> [String] {
        let script = """
            import sys, boto3
            from botocore.config import Config
            s3 = boto3.client("s3", endpoint_url=sys.argv[1], region_name=sys.argv[2], aws_access_key_id=sys.argv[3],
                              aws_secret_access_key=sys.argv[4], config=Config(s3={"addressing_style": "path"}))
            # No Prefix parameter: moto 5.2.1 verifies a signed query value holding "/" wrongly.
            for page in s3.get_paginator("list_objects_v2").paginate(Bucket=sys.argv[5]):
                for o in page.get("Contents", []):
                    if o["Key"].startswith(sys.argv[6]):
                        print(o["Key"])
            """
        let arguments = ["-c", script, moto.endpoint, moto.region, moto.accessKey, moto.secretKey, moto.bucket, prefix]
        let result = try await runProgram(try Botocore.python(), arguments)
        guard result.status == 0 else { throw TestServerError("boto3 listing failed (\(result.status)): \(result.stderr.suffix(2000))") }
        return result.stdout.split(separator: "\n").map(String.init)
    }
}
