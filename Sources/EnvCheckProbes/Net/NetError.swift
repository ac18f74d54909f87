import EnvCheckCore

/// A transport failure of the `Net` layer (socket, name resolution, TLS), without context.
/// ``failure(while:elapsed:)`` turns it into the probe's ``ProbeFailure`` once the caller
/// knows what it was doing, so that every probe words them the same way.
public enum NetError: Error, Sendable, Equatable {
    /// The deadline passed.
    case timeout
    /// The host name did not resolve (the resolver's own words).
    case dns(String)
    /// Nothing accepts connections there (the system's words: "Connection refused", ...).
    case refused(String)
    /// The peer closed or reset the connection.
    case closed
    /// Any other system error (strerror text).
    case system(String)
    /// The TLS handshake or a TLS record failed (OpenSSL's reason, or the verify result).
    case tls(String)
    /// The CA bundle could not be loaded: a configuration problem, not a server one.
    case caFile(String)

    /// The failure a probe reports; where the shared code's declared hint says it all, the
    /// runner adds that hint (``ProbePlan/codeHints``). `doing` completes "while ...": "connecting to
    /// 127.0.0.1:6379", "waiting for the reply to PING from cache:6379".
    public func failure(while doing: String, elapsed: Duration) -> ProbeFailure {
        switch self {
        case .timeout:
            ProbeFailure(.timeout, "timed out while \(label: doing) after \(elapsed.milliseconds)ms")
        case .dns(let reason):
            ProbeFailure(.dns, "could not resolve the host name while \(label: doing): \(reason)")
        case .refused(let reason):
            ProbeFailure(.connectionRefused, "\(reason) while \(label: doing)")
        case .closed:
            ProbeFailure(
                .network, "the server closed the connection while \(label: doing)",
                hint: "the server dropped the connection: check its logs, and whether the port expects TLS (or plain TCP)")
        case .system(let reason):
            ProbeFailure(.network, "\(reason) while \(label: doing)")
        case .tls(let reason):
            ProbeFailure(
                .tls, "TLS failed while \(label: doing): \(reason)",
                hint:
                    "check that the port speaks TLS, that the certificate names this host, and the CA bundle (ca_file or --ca-file); tls_verify: false turns verification off"
            )
        case .caFile(let path):
            ProbeFailure.misconfigured(
                .invalidConfig, "the CA bundle '\(label: path)' could not be loaded",
                hint: "point ca_file (or --ca-file) at a readable PEM file of CA certificates")
        }
    }
}

/// A connected, bidirectional byte stream whose every call ends by a deadline: a plain
/// ``Socket`` or a ``TLSStream`` over one, so that protocols above share one code path.
public protocol ByteStream: AnyObject {
    /// Writes all of `bytes`.
    func write(_ bytes: [UInt8], deadline: Deadline) throws(NetError)
    /// Reads what is available (at most `maximum` bytes); empty at end of stream.
    func read(maximum: Int, deadline: Deadline) throws(NetError) -> [UInt8]
}
