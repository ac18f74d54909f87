import TestSupport

/// tcp: it has no secret input (an address is not a secret), so its leak set carries no
/// canary of its own; it runs in the manifest routes beside the others (connected to the
/// hostile HTTP stand-in), so that its results are in every output searched for theirs.
public enum TCPFixture: ProbeFixture {
    public static let kind = "tcp"

    public static func leaking(_ s: LeakServers) throws -> CanaryInputs {
        CanaryInputs(inputs: ["address": "127.0.0.1:\(s.http.port)"], canaries: [])
    }

    /// A plain connect to a listener that accepts succeeds at once: the TLS handshake is
    /// what never finishes.
    public static func hung(port: Int, dir: TempDir) throws -> [String: String]? { ["address": "127.0.0.1:\(port)"] }
    public static var hungOptions: [String: String] { ["tls": "true"] }
}
