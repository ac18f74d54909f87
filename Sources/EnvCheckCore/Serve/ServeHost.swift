/// The HTTP server `envcheck serve` runs over: a seam, so that the command line (and so
/// `envcheck`, which every healthcheck starts) links no HTTP library. The `envcheck-serve`
/// executable plugs one in (Sources/EnvCheckServe); `envcheck serve` execs it
/// (docs/serve.md).
public protocol ServeHost: Sendable {
    /// Listens on every address (a failure to bind one throws, except for an `optional`
    /// one), calls `listening` with those bound, and serves `routes` until `interruption`
    /// fires; then stops accepting, lets requests in flight finish within
    /// ``ServeLimits/drain``, and returns.
    func serve(
        _ addresses: [ListenAddress], routes: ServeRoutes, limits: ServeLimits, interruption: Interruption,
        listening: @escaping @Sendable ([ListenAddress]) -> Void
    ) async throws(ServeHostFailure)
}

/// A server's bounds: what one client may take of it.
public struct ServeLimits: Sendable {
    /// A request must arrive whole within this time of the connection opening or of the
    /// previous response (so also the keep-alive idle time): a client trickling bytes is
    /// closed.
    public var readTimeout = Duration.seconds(10)
    /// A response must be written within this time, or the connection is closed.
    public var writeTimeout = Duration.seconds(10)
    /// Connections open at once; more wait in the listen backlog.
    public var maxConnections = 256
    /// The request line and the headers, together.
    public var maxHeaderBytes = 16 * 1024
    public var maxHeaderCount = 64
    /// After SIGTERM: how long requests in flight may take before the server closes.
    public var drain = Duration.milliseconds(400)

    public init() {}
}

/// A server that could not start: the message names the address and the reason.
public struct ServeHostFailure: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
