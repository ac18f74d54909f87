import EnvCheckCore
import Testing

@testable import EnvCheckProbes

/// The published AWS vectors (docs/protocols.md §4): the four S3 examples from the S3 API
/// guide and the generic suite's get-vanilla.
@Suite struct SigV4SignerTests {
    static let s3Signer = SigV4Signer(
        credentials: SigV4Credentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretKey: Secret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")),
        region: "us-east-1")
    static let may24: Int64 = 1_369_353_600  // 20130524T000000Z
    static let host = "examplebucket.s3.amazonaws.com"

    @Test func getObjectWithRange() {
        let signed = Self.s3Signer.sign(
            SigV4Request(
                method: "GET", host: Self.host, path: "/test.txt",
                headers: [("Range", "bytes=0-9")]), epochSeconds: Self.may24)
        #expect(signed.signature == "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
        #expect(
            signed.authorization == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
                + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
        #expect(
            signed.canonicalRequest == """
                GET
                /test.txt

                host:examplebucket.s3.amazonaws.com
                range:bytes=0-9
                x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                x-amz-date:20130524T000000Z

                host;range;x-amz-content-sha256;x-amz-date
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                """)
    }

    @Test func putObjectWithSpecialCharacterInKey() {
        let body = Array("Welcome to Amazon S3.".utf8)
        let signed = Self.s3Signer.sign(
            SigV4Request(
                method: "PUT", host: Self.host, path: "/test$file.text",
                headers: [("Date", "Fri, 24 May 2013 00:00:00 GMT"), ("x-amz-storage-class", "REDUCED_REDUNDANCY")],
                payloadHash: Hex.encode(Digest.sha256(body))), epochSeconds: Self.may24)
        #expect(signed.canonicalURI == "/test%24file.text")
        #expect(signed.signature == "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd")
        #expect(signed.authorization?.contains("SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class,") == true)
    }

    @Test func valuelessQueryParameter() {
        let signed = Self.s3Signer.sign(
            SigV4Request(method: "GET", host: Self.host, path: "/", query: [("lifecycle", nil)]),
            epochSeconds: Self.may24)
        #expect(signed.canonicalQuery == "lifecycle=")
        #expect(signed.signature == "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543")
    }

    @Test func listObjectsQueryIsSorted() {
        let signed = Self.s3Signer.sign(
            SigV4Request(
                method: "GET", host: Self.host, path: "/",
                query: [("prefix", "J"), ("max-keys", "2")]), epochSeconds: Self.may24)
        #expect(signed.canonicalQuery == "max-keys=2&prefix=J")
        #expect(signed.signature == "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")
    }

    @Test func genericSuiteGetVanilla() {
        let signer = SigV4Signer(
            credentials: SigV4Credentials(accessKeyID: "AKIDEXAMPLE", secretKey: Secret("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")),
            region: "us-east-1", service: "service", sendsContentHash: false)
        let signed = signer.sign(SigV4Request(method: "GET", host: "example.amazonaws.com", path: "/"), epochSeconds: 1_440_938_160)
        #expect(signed.signature == "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
        #expect(
            signed.authorization == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
    }

    @Test func sessionTokenIsSentAndSigned() {
        var signer = Self.s3Signer
        signer.credentials.sessionToken = Secret("FQoGZXIvYXdzEXAMPLETOKEN")
        let signed = signer.sign(SigV4Request(method: "GET", host: Self.host, path: "/"), epochSeconds: Self.may24)
        #expect(signed.headers.contains { $0.name == "X-Amz-Security-Token" && $0.value == "FQoGZXIvYXdzEXAMPLETOKEN" })
        #expect(signed.authorization?.contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,") == true)
        #expect(signed.signature != Self.s3Signer.sign(SigV4Request(method: "GET", host: Self.host, path: "/"), epochSeconds: Self.may24).signature)
    }

    @Test func pathIsEncodedOnceAndNeverNormalised() {
        #expect(SigV4Signer.canonicalURI("/a b/ü/./../x~y+z%") == "/a%20b/%C3%BC/./../x~y%2Bz%25")
        #expect(SigV4Signer.canonicalURI("//double//slash") == "//double//slash")
        #expect(SigV4Signer.canonicalQuery([("b", "x/y"), ("a", "2"), ("a", "1"), ("c d", nil)]) == "a=1&a=2&b=x%2Fy&c%20d=")
    }

    @Test func headerValuesAreTrimmedAndCollapsed() {
        let (block, signed) = SigV4Signer.canonicalHeaders([("X-Amz-Meta-A", "  one   two\tthree "), ("host", "h"), ("x-amz-meta-a", "b")])
        #expect(block == "host:h\nx-amz-meta-a:one two three,b\n")
        #expect(signed == "host;x-amz-meta-a")
    }

    @Test func amzDateFormat() {
        #expect(SigV4Signer.amzDate(epochSeconds: 1_440_938_160) == "20150830T123600Z")
        #expect(SigV4Signer.amzDate(epochSeconds: 0) == "19700101T000000Z")
    }
}
