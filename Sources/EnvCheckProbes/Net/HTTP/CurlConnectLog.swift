import EnvCheckCore

/// The addresses curl tried for one exchange and what became of each, read from its
/// connection log.
///
/// libcurl resolves and connects by itself (happy eyeballs: the second address family
/// starts 200 ms after the first, or as soon as it fails; proxies; its own `localhost`),
/// and its API reports only the address finally used (`CURLINFO_PRIMARY_IP`) and the last
/// errno. The per-address facts exist only as its informational lines (CURLOPT_VERBOSE,
/// `CURLINFO_TEXT`), in libcurl 7.88 exactly:
/// `  Trying [::1]:443...`, `connect to ::1 port 443 failed: Connection refused`, and
/// `Connected to host (127.0.0.1) port 443 (#0)`. They are read here and nowhere else; a
/// libcurl that words them differently only loses the address list, never the verdict.
struct CurlConnectLog {
    /// `127.0.0.1:443`, `[::1]:443`, in the order curl started them.
    private(set) var tried: [String] = []
    private var reasons: [String: String] = [:]
    private(set) var connected: String?
    private var pending = ""

    /// Feeds log text; lines may arrive whole or in pieces.
    mutating func note(_ text: String) {
        pending += text
        while let end = pending.firstIndex(of: "\n") {
            read(pending[..<end])
            pending = String(pending[pending.index(after: end)...])
        }
    }

    private mutating func read(_ line: Substring) {
        if let rest = line.wholeMatch(of: /\s*Trying (\S+):(\d+)\.\.\.\s*/) {
            let host = rest.output.1.hasPrefix("[") ? rest.output.1.dropFirst().dropLast() : rest.output.1
            let label = HostPort(host: String(host), port: Int(rest.output.2)).description
            if !tried.contains(label) { tried.append(label) }
        } else if let failed = line.wholeMatch(of: /connect to (\S+) port (\d+) failed: (.*)/) {
            reasons[HostPort(host: String(failed.output.1), port: Int(failed.output.2)).description] = String(failed.output.3)
        } else if let success = line.firstMatch(of: /^Connected to .* \(([^()]+)\) port (\d+)/) {
            connected = HostPort(host: String(success.output.1), port: Int(success.output.2)).description
        }
    }

    /// Each address's outcome. One started but never settled was dropped when another
    /// connected first (`abandoned`), or, when the exchange ran out of time before any
    /// connected, is `timeout`. `failure(reason, address)` words a connect failure.
    func attempts(timedOut: ProbeFailure?, failure: (String, String) -> ProbeFailure) -> AddressAttempts {
        var attempts = AddressAttempts(tried)
        for label in tried {
            if let reason = reasons[label] {
                attempts.failed(label, failure(reason, label))
            } else if label == connected {
                attempts.record(label, .connected)
            } else if connected == nil, let timedOut {
                attempts.failed(label, timedOut)
            } else {
                attempts.record(label, .abandoned)
            }
        }
        return attempts
    }
}
