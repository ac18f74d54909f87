import EnvCheckCore
import Foundation
import TestSupport
import Testing

@testable import EnvCheckProbes

/// envcheck's SigV4 signer against botocore's, a second and independent implementation,
/// on many generated requests: unicode, spaces and reserved characters in paths, random
/// (repeated, valueless) query parameters, messy header values, bodies, session tokens.
@Suite(.requires(.venv)) struct SigV4BotocoreTests {
    static let caseCount = 400

    @Test func signaturesAgreeWithBotocore() async throws {
        let seed = UInt64.random(in: 0...UInt64.max)
        var rng = SplitMix64(seed: seed)
        let cases = (0..<Self.caseCount).map { _ in SigningCase.random(using: &rng) }
        let results = try await Botocore.sign(cases.map(\.json))
        try #require(results.count == cases.count)
        var mismatches: [String] = []
        for (testCase, expected) in zip(cases, results) {
            let signed = testCase.signer.sign(testCase.request, epochSeconds: testCase.epochSeconds)
            if signed.signature != expected["signature"] || signed.canonicalRequest != expected["canonical_request"] {
                mismatches.append(
                    "path \(testCase.request.path.debugDescription) query \(testCase.request.query)\n"
                        + "ours:\n\(signed.canonicalRequest)\nbotocore:\n\(expected["canonical_request"] ?? "?")")
            }
            #expect(signed.authorization == expected["authorization"])
        }
        #expect(mismatches.isEmpty, "seed \(seed): \(mismatches.count) of \(cases.count) differ; first:\n\(mismatches.first ?? "")")
    }
}

/// One generated request and the credentials to sign it with.
struct SigningCase {
    var signer: SigV4Signer
    var request: SigV4Request
    var body: String
    var epochSeconds: Int64

    static let pathPieces = [
        "a", "Key", "file.txt", "with space", "tab\tin", "ü", "日本語", "😀", "!$&'()*+,;=:@", "%41", "?q",
        "#frag", "[x]{y}", "^`|\"<>\\", "~tilde", "-_.", ".", "..", "", "plus+sign", "a/b",
    ]
    static let queryPieces = ["prefix", "x", "", "a b", "ü", "/", "=", "&", "+", "%", "v-1_2.3~", "日本", "max-keys", "2"]
    static let valueChars = Array("abcXYZ019 -_.~!#$%&'()*+,/:;<=>?@[]^`{|}\"\\\t")

    static func random(using rng: inout SplitMix64) -> SigningCase {
        let method = ["GET", "PUT", "HEAD", "DELETE", "POST"].randomElement(using: &rng)!
        let path = "/" + (0..<Int.random(in: 0...4, using: &rng)).map { _ in pathPieces.randomElement(using: &rng)! }.joined(separator: "/")
        var query: [(name: String, value: String?)] = []
        for _ in 0..<Int.random(in: 0...4, using: &rng) {
            let name = (0..<Int.random(in: 1...2, using: &rng)).map { _ in queryPieces.randomElement(using: &rng)! }.joined()
            let value = Bool.random(using: &rng) && Bool.random(using: &rng) ? nil : queryPieces.randomElement(using: &rng)!
            query.append((name.isEmpty ? "k" : name, value))
            if Int.random(in: 0..<5, using: &rng) == 0 { query.append((name.isEmpty ? "k" : name, "dup")) }  // repeated name
        }
        var headers: [(name: String, value: String)] = []
        for i in 0..<Int.random(in: 0...3, using: &rng) {
            let name = ["x-amz-meta-\(i)k", "X-Custom-\(i)", "Content-Type", "Range", "x-amz-storage-class"][Int.random(in: 0..<5, using: &rng)]
            guard !headers.contains(where: { $0.name.lowercased() == name.lowercased() }) else { continue }
            let value = String((0..<Int.random(in: 1...12, using: &rng)).map { _ in valueChars.randomElement(using: &rng)! })
            headers.append((name, value.trimmingSpaces.isEmpty ? "v" : value))
        }
        let body =
            ["PUT", "POST"].contains(method) ? String((0..<Int.random(in: 0...40, using: &rng)).map { _ in valueChars.randomElement(using: &rng)! }) : ""
        let token = Bool.random(using: &rng) ? "FwoGZXIvYXdz" + String(UInt64.random(in: 0...UInt64.max, using: &rng), radix: 36) : nil
        let secret = "wJalr/XUtn+FEMI" + String(UInt64.random(in: 0...UInt64.max, using: &rng), radix: 36)
        let credentials = SigV4Credentials(
            accessKeyID: "AKIA" + String(UInt32.random(in: 0...UInt32.max, using: &rng), radix: 36).uppercased(),
            secretKey: Secret(secret), sessionToken: token.map(Secret.init))
        let region = ["us-east-1", "eu-west-1", "ap-southeast-2", "auto"].randomElement(using: &rng)!
        let host = ["bucket.s3.\(region).amazonaws.com", "127.0.0.1:9000", "minio.local:9000", "s3.example.com"].randomElement(using: &rng)!
        return SigningCase(
            signer: SigV4Signer(credentials: credentials, region: region),
            request: SigV4Request(
                method: method, host: host, path: path, query: query, headers: headers,
                payloadHash: Hex.encode(Digest.sha256(body))),
            body: body, epochSeconds: Int64.random(in: 946_684_800...2_051_222_400, using: &rng))
    }

    var json: [String: Any] {
        [
            "method": request.method, "host": request.host, "path": request.path,
            "query": request.query.map { [$0.name, $0.value as Any? ?? NSNull()] },
            "headers": request.headers.map { [$0.name, $0.value] }, "body": body,
            "access_key": signer.credentials.accessKeyID, "secret_key": signer.credentials.secretKey.revealed,
            "token": signer.credentials.sessionToken?.revealed as Any? ?? NSNull(), "region": signer.region,
            "timestamp": SigV4Signer.amzDate(epochSeconds: epochSeconds),
        ]
    }
}

/// Runs Tests/Python/botocore_sigv4.py with the test venv's python.
enum Botocore {
    static func python() throws -> String {
        let candidates = [ProcessInfo.processInfo.environment["ENVCHECK_VENV"].map { $0 + "/bin/python" }, "/tmp/venvtest/bin/python"]
        guard let python = candidates.compactMap({ $0 }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw TestServerError("no Python with botocore: set ENVCHECK_VENV (scripts/test.sh does)")
        }
        return python
    }

    static var script: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Python/botocore_sigv4.py").path
    }

    static func sign(_ cases: [[String: Any]]) async throws -> [[String: String]] {
        let result = try await runProgram(try python(), [script], stdin: try JSONSerialization.data(withJSONObject: cases))
        let parsed = result.status == 0 ? try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) : nil
        guard let results = parsed as? [[String: String]] else {
            throw TestServerError("botocore_sigv4.py failed (\(result.status)): \(result.stderr.suffix(2000))")
        }
        return results
    }
}
