/// A named reason a probe did not pass. A struct with `static let` values rather than an
/// enum, so that a new code added by a probe breaks no `switch` anywhere else.
public struct ErrorCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    // Shared by every probe.
    public static let timeout = ErrorCode("timeout")
    public static let notConfigured = ErrorCode("not_configured")
    public static let invalidURL = ErrorCode("invalid_url")
    public static let invalidConfig = ErrorCode("invalid_config")
    public static let connectionRefused = ErrorCode("connection_refused")
    public static let dns = ErrorCode("dns")
    public static let tls = ErrorCode("tls")
    public static let authFailed = ErrorCode("auth_failed")
    public static let network = ErrorCode("network")
    public static let protocolError = ErrorCode("protocol")
    public static let tlsVerifyDisabled = ErrorCode("tls_verify_disabled")
    public static let certExpiring = ErrorCode("cert_expiring")
    public static let internalError = ErrorCode("internal")
    /// The service answered with a server-side error (5xx and the like).
    public static let upstreamError = ErrorCode("upstream_error")
    /// Connected to a replica or read-only node where a primary was expected.
    public static let readOnly = ErrorCode("read_only")
    /// The server refused the connection for lack of free slots.
    public static let tooManyConnections = ErrorCode("too_many_connections")
    /// SIGTERM or SIGINT stopped the run before the probe finished.
    public static let interrupted = ErrorCode("interrupted")
    /// A `--write-check` object could not be removed; the message names it.
    public static let cleanupFailed = ErrorCode("cleanup_failed")
    /// A secret that works but should not be trusted (docs/security.md).
    public static let weakCredential = ErrorCode("weak_credential")
}
