import TestSupport

/// openrouter: the key travels as a bearer token a stand-in quotes back.
public enum OpenRouterLeakFixture: LeakFixture {
    public static let kind = "openrouter"

    public static func leaking(_ s: LeakServers) throws -> CanaryInputs {
        let key = "sk-or-v1-" + Canary.make("orkey")
        return CanaryInputs(inputs: ["api_key": key, "base_url": s.http.baseURL + "/api/v1"], canaries: [key], mustReach: [key],
                            received: { s.http.requests.map { $0.header("authorization") ?? "" } })
    }
}
