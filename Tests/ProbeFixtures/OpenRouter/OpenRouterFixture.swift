import TestSupport

/// openrouter: the key travels as a bearer token a stand-in quotes back.
public enum OpenRouterFixture: ProbeFixture {
    public static let kind = "openrouter"

    public static func leaking(_ s: LeakServers) throws -> CanaryInputs {
        let key = "sk-or-v1-" + Canary.make("orkey")
        return CanaryInputs(
            inputs: ["api_key": key, "base_url": s.http.baseURL + "/api/v1"], canaries: [key], mustReach: [key],
            received: { s.http.requests.map { $0.header("authorization") ?? "" } })
    }

    public static func hung(port: Int, dir: TempDir) throws -> [String: String]? {
        ["api_key": "sk-or-v1-hung", "base_url": "http://127.0.0.1:\(port)/api/v1"]
    }
}
