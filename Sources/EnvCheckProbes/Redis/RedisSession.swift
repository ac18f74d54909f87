import EnvCheckCore

/// One RESP2 reply (hiredis 0.14 knows no RESP3 types; docs/protocols.md §5).
enum RedisReply: Sendable, Equatable {
    case status(String)
    case error(String)
    case string([UInt8])
    case integer(Int64)
    case null
    case array([RedisReply])

    /// The text of a status or bulk string reply.
    var text: String? {
        switch self {
        case .status(let s): s
        case .string(let bytes): String(decoding: bytes, as: UTF8.self)
        default: nil
        }
    }
}

/// Why a command got no reply.
enum RedisSessionError: Error, Equatable {
    /// The transport failed (timeout, closed, TLS).
    case net(NetError)
    /// The bytes were not RESP (hiredis's reader error).
    case protocolViolation(String)
}

/// Where to connect and how: what the connector needs from the URL and the settings.
struct RedisTarget: Sendable, Equatable {
    /// The shared TLS options, plus the URL's `ssl_check_hostname`.
    struct TLS: Sendable, Equatable {
        var options: TLSOptions
        var checkHostname = true
        var verify: Bool { options.verify }
        var caFile: String? { options.caFile }
    }

    var address: RedisURL.Address
    /// Nil: plain TCP or Unix socket.
    var tls: TLS?

    /// `host:port` or the socket path, for messages.
    var peer: String {
        switch address {
        case .tcp(let host, let port): HostPort(host: host, port: port).description
        case .unix(let path): path
        }
    }
}

/// What connecting took: the probe's connect/TLS timings and TLS facts.
struct RedisConnectionInfo: Sendable, Equatable {
    var connectMs: Int
    var tlsMs: Int?
    /// `TLSv1.3`; nil without TLS.
    var tlsVersion: String?
    /// The server's certificate, for the expiry rule; nil without TLS.
    var certificate: PeerCertificate?
    /// What happened at each address of the host name, the connected one marked (empty
    /// for a Unix socket): later failures are ranked with these.
    var addresses = AddressAttempts()
}

/// One open connection, as the probe drives it: a command in, its reply out, by a
/// deadline. Implementations never put the arguments (a password) into an error.
protocol RedisSession: AnyObject {
    var info: RedisConnectionInfo { get }
    func call(_ arguments: [String], deadline: Deadline) throws(RedisSessionError) -> RedisReply
}

/// Opens sessions. The real one resolves, connects and runs the TLS handshake by the
/// deadline and throws the finished ``ProbeFailure`` (it knows the phase); tests use fakes.
protocol RedisConnector: Sendable {
    func connect(to target: RedisTarget, deadline: Deadline) throws(ProbeFailure) -> any RedisSession
}
