import EnvCheckCore

/// TLS facts of an open connection.
struct PostgresTLSInfo: Sendable, Equatable {
    var protocolVersion: String?
    var cipher: String?
    /// The server's certificate, for the expiry rule.
    var certificate: PeerCertificate?
}

/// What the probe needs from one PostgreSQL connection. ``LibPQSession`` is the real one;
/// unit tests script fakes. Every call blocks its thread (the probe makes them inside
/// `Blocking.run`) and returns or throws by `deadline`; failures arrive classified.
protocol PostgresSession: AnyObject {
    /// Connects and authenticates with exactly these keywords.
    func connect(_ keywords: [(String, String)], deadline: Deadline) throws(PostgresError)
    /// Runs `sql` (one statement) and returns its rows, NULLs as nil.
    func query(_ sql: String, deadline: Deadline) throws(PostgresError) -> [[String?]]
    /// A parameter the server reported at start-up (`server_version`, `in_hot_standby`).
    func parameter(_ name: String) -> String?
    /// Nil when the connection does not use TLS.
    var tls: PostgresTLSInfo? { get }
    var user: String? { get }
    var database: String? { get }
    /// The host and port of the server actually reached (multi-host URLs try several).
    var host: String? { get }
    var port: String? { get }
    /// The address connected to (`127.0.0.1:5432`, `[::1]:5432`), as libpq's error text
    /// names addresses; nil over a Unix socket.
    var connectedAddress: String? { get }
    /// After a successful connect: the addresses that failed before it, in libpq's order.
    var earlierAttempts: [PostgresAttempt] { get }
}

extension PostgresSession {
    var connectedAddress: String? { nil }
    var earlierAttempts: [PostgresAttempt] { [] }
}
