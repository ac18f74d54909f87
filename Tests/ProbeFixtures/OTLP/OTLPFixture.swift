import TestSupport

/// otlp: a bearer token in `OTEL_EXPORTER_OTLP_HEADERS` (percent-encoded, as the variable
/// wants) reaches the stand-in, which quotes it back in every encoding in the error page the
/// probe quotes.
public enum OTLPFixture: ProbeFixture {
    public static let kind = "otlp"

    public static func leaking(_ s: LeakServers) throws -> CanaryInputs {
        let token = Canary.make("otlptoken")
        return CanaryInputs(
            inputs: ["endpoint": s.http.baseURL, "headers": "authorization=Bearer%20\(token),x-scope=envcheck"], canaries: [token],
            mustReach: [token], received: { s.http.requests.map { $0.header("authorization") ?? "" } })
    }

    public static func hung(port: Int, dir: TempDir) throws -> [String: String]? { ["endpoint": "http://127.0.0.1:\(port)"] }
}
