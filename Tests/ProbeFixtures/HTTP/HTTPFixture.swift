import TestSupport

/// http: a bearer token in a header option, read through `${VAR}` from a key whose name says
/// nothing secret (only the option makes it one), reaches
/// the stand-in, which quotes it back in every encoding in a 403 body the probe excerpts.
public enum HTTPFixture: ProbeFixture {
    public static let kind = "http"

    public static func leaking(_ s: LeakServers) throws -> CanaryInputs {
        let token = Canary.make("httptoken")
        return CanaryInputs(
            inputs: ["url": s.http.baseURL + "/health"], extraEnvironment: ["UPSTREAM_BEARER_PART": token], canaries: [token],
            mustReach: [token], options: ["headers": "\n        Authorization: \"Bearer ${UPSTREAM_BEARER_PART}\""],
            received: { s.http.requests.map { $0.header("authorization") ?? "" } })
    }

    /// The password of the URL's userinfo, which curl sends as Basic authentication.
    public static func oddRoutes(_ s: LeakServers) throws -> [CanaryInputs] {
        let password = Canary.make("httppw")
        return [
            CanaryInputs(
                inputs: ["url": "http://probe:\(password)@127.0.0.1:\(s.http.port)/health"], canaries: [password],
                received: { s.http.requests.map { $0.header("authorization") ?? "" } })
        ]
    }

    public static func hung(port: Int, dir: TempDir) throws -> [String: String]? { ["url": "http://127.0.0.1:\(port)/health"] }
}
