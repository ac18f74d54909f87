import EnvCheckCore
import Foundation
import TestSupport
import Testing

@testable import EnvCheckProbes

/// What moto never checks (docs/protocols.md §11): the bucket's region and the clock.
/// A local HTTP stub answers with S3's own XML errors, over the real libcurl transport.
@Suite struct S3StubIntegrationTests {
    static func values(_ server: HTTPStubServer, region: String = "us-east-1") -> [String: String] {
        [
            "S3_ENDPOINT": server.baseURL, "S3_ACCESS_KEY": "AKIASTUB", "S3_SECRET_KEY": "stubsecretvalue",
            "S3_BUCKET": "data", "S3_REGION": region,
        ]
    }

    static func s3Error(_ status: Int, _ code: String, _ extra: String, headers: [(String, String)] = []) -> HTTPStubServer.Response {
        HTTPStubServer.Response(
            status: status, headers: [("Content-Type", "application/xml"), ("Server", "AmazonS3")] + headers,
            body: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>\(code)</Code><Message>m</Message>\(extra)<RequestId>R</RequestId></Error>")
    }

    static func rfc1123(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }

    @Test func wrongRegionFromAuthorizationHeaderMalformed() async throws {
        let server = try HTTPStubServer { _ in
            Self.s3Error(400, "AuthorizationHeaderMalformed", "<Region>eu-west-1</Region>")
        }
        let outcome = try await S3Run.outcome(Self.values(server))
        #expect(outcome.status == .fail && outcome.code == .wrongRegion, "\(outcome.message)")
        #expect(outcome.message == "bucket data is in region eu-west-1, not us-east-1")
        #expect(outcome.hint == "set S3_REGION=eu-west-1")
        // The request the stub saw was the signed ListObjectsV2, path style.
        let request = try #require(server.requests.first)
        #expect(request.method == "GET" && request.path == "/data?list-type=2&max-keys=1")
        #expect(request.header("authorization")?.contains("/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date,") == true)
        #expect(request.header("x-amz-content-sha256") == SigV4Signer.emptyPayloadHash)
        #expect(request.header("host") == "127.0.0.1:\(server.port)")
    }

    @Test func wrongRegionFromPermanentRedirect() async throws {
        let server = try HTTPStubServer { _ in
            Self.s3Error(
                301, "PermanentRedirect", "<Endpoint>data.s3.ap-south-1.amazonaws.com</Endpoint><Bucket>data</Bucket>",
                headers: [("x-amz-bucket-region", "ap-south-1")])
        }
        let outcome = try await S3Run.outcome(Self.values(server, region: "eu-west-1"))
        #expect(outcome.code == .wrongRegion, "\(outcome.message)")
        #expect(outcome.message == "bucket data is in region ap-south-1, not eu-west-1")
        #expect(outcome.details["bucket_region"] == "ap-south-1")
        #expect(outcome.details["suggested_endpoint"] == "data.s3.ap-south-1.amazonaws.com")
    }

    @Test func clockSkewReportsTheOffset() async throws {
        // The server's clock runs 20 minutes ahead of ours.
        let server = try HTTPStubServer { _ in
            Self.s3Error(
                403, "RequestTimeTooSkewed", "<RequestTime>x</RequestTime><MaxAllowedSkewMilliseconds>900000</MaxAllowedSkewMilliseconds>",
                headers: [("Date", Self.rfc1123(Date().addingTimeInterval(1200)))])
        }
        let outcome = try await S3Run.outcome(Self.values(server))
        #expect(outcome.status == .fail && outcome.code == .clockSkew, "\(outcome.message)")
        let offset = try #require(outcome.details["clock_offset_s"]?.doubleValue)
        #expect(abs(offset + 1200) <= 2, "offset \(offset)")
        #expect(outcome.message.hasPrefix("this machine's clock is 20m") && outcome.message.contains("behind the server's"))
    }

    @Test(.requires(.serialRun)) func hungStubEndsAtTheDeadlineWithItsOwnMessage() async throws {
        let server = try HTTPStubServer { _ in nil }  // reads the request, never answers
        let start = ContinuousClock.now
        let outcome = try await S3Run.outcome(Self.values(server), timeout: .milliseconds(800))
        #expect(outcome.code == .timeout && outcome.message.contains("waiting for a response"), "\(outcome.message)")
        #expect(ContinuousClock.now - start < .milliseconds(1300))
    }
}
