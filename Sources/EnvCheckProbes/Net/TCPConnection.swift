import EnvCheckCore

/// A TCP connection to one of a host name's addresses, and what happened at each of them.
public struct TCPConnection {
    public let socket: Socket
    /// Every address the name resolved to, the connected one marked `connected`: a failure
    /// later on this connection (TLS, authentication, a command) goes through
    /// ``AddressAttempts/failure(after:)``, so that it is ranked with the others.
    public let attempts: AddressAttempts

    /// Looks a host name up; the default is ``Resolver/resolve(host:port:deadline:)``.
    /// Tests inject one to give a name several addresses.
    public typealias Resolve = @Sendable (_ host: String, _ port: Int, _ deadline: Deadline) throws(NetError) -> [SocketAddress]

    /// Resolves `host` and connects to its addresses in the resolver's order
    /// (``Socket/connect(to:deadline:failures:)``). When none accepts, the failure is the
    /// most informative of theirs, listing each address (``AddressAttempts``). `peer`
    /// (`host:port`) names the target in messages.
    public static func open(
        host: String, port: Int, peer: String, deadline: Deadline,
        resolve: Resolve = { host, port, deadline throws(NetError) in
            try Resolver.resolve(host: host, port: port, deadline: deadline)
        }
    ) throws(ProbeFailure) -> TCPConnection {
        let started = ContinuousClock.now
        let addresses: [SocketAddress]
        do throws(NetError) {
            addresses = try resolve(host, port, deadline)
        } catch {
            throw error.failure(while: "connecting to \(peer)", elapsed: .now - started)
        }
        var failures: [(error: NetError, at: ContinuousClock.Instant)] = []
        let socket = Socket.connect(to: addresses, deadline: deadline, failures: &failures)
        var attempts = AddressAttempts(addresses.map(\.label))
        for (address, failure) in zip(addresses, failures) {
            // One address keeps the plain wording; with several, each message names its own.
            let doing = addresses.count == 1 ? "connecting to \(peer)" : "connecting to \(peer) at \(address.label)"
            attempts.failed(address.label, failure.error.failure(while: doing, elapsed: failure.at - started))
        }
        guard let socket else {
            throw attempts.failure() ?? NetError.timeout.failure(while: "connecting to \(peer)", elapsed: .now - started)
        }
        attempts.record(addresses[failures.count].label, .connected)
        return TCPConnection(socket: socket, attempts: attempts)
    }
}
