import Foundation
import TestSupport

/// next_public: a server secret copied into a client chunk (raw and base64) is found and
/// named, never shown.
public enum NextPublicFixture: ProbeFixture {
    public static let kind = "next_public"

    public static func leaking(_ s: LeakServers) throws -> CanaryInputs {
        let secret = Canary.make("nextsecret")
        let dir = s.dir.path + "/next-" + Canary.make("d")
        try FileManager.default.createDirectory(atPath: dir + "/static/chunks/app", withIntermediateDirectories: true)
        let chunk = "self.x=\"\(secret)\";self.y=\"\(Data(secret.utf8).base64EncodedString())\";var r=n(3454);r.env.NEXT_PUBLIC_MISSING"
        try chunk.write(toFile: dir + "/static/chunks/app/page-1.js", atomically: true, encoding: .utf8)
        return CanaryInputs(
            inputs: ["dir": dir], extraEnvironment: ["LEAKED_SERVICE_TOKEN": secret, "NEXT_PUBLIC_API_URL": "https://api.example.org"],
            canaries: [secret])
    }

    /// It reads files, not the network: its deadline is proven by NextPublicTreeTests.
    public static func hung(port: Int, dir: TempDir) throws -> [String: String]? { nil }
}
