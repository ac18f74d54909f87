import EnvCheckCore

/// The real ``RedisConnector``: a socket (TCP after resolving the host, or Unix) and, for
/// `rediss://`, a verified TLS handshake, all by the deadline; then a ``RESPConnection``.
/// A host name with several addresses is tried address by address (``TCPConnection``);
/// a TLS failure is the connected address's outcome, ranked with the others.
struct SocketRedisConnector: RedisConnector {
    /// The host name lookup; tests inject one to give a name several addresses.
    var resolve: TCPConnection.Resolve = { host, port, deadline throws(NetError) in
        try Resolver.resolve(host: host, port: port, deadline: deadline)
    }

    func connect(to target: RedisTarget, deadline: Deadline) throws(ProbeFailure) -> any RedisSession {
        let started = ContinuousClock.now
        let socket: Socket
        var attempts = AddressAttempts()
        switch target.address {
        case .tcp(let host, let port):
            let connection = try TCPConnection.open(host: host, port: port, peer: target.peer, deadline: deadline, resolve: resolve)
            (socket, attempts) = (connection.socket, connection.attempts)
        case .unix(let path):
            do throws(NetError) {
                socket = try Socket.connect(unixPath: path, deadline: deadline)
            } catch {
                throw error.failure(while: "connecting to \(target.peer)", elapsed: .now - started)
            }
        }
        let connected = ContinuousClock.now
        let info = RedisConnectionInfo(connectMs: (connected - started).milliseconds, addresses: attempts)
        guard let tls = target.tls, case .tcp(let host, _) = target.address else {
            return try session(over: socket, info: info)
        }
        let stream: TLSStream
        do throws(NetError) {
            stream = try TLSStream.handshake(
                over: socket, host: host, tls: tls.options, checkHostname: tls.checkHostname, deadline: deadline)
        } catch {
            var failure = error.failure(while: "negotiating TLS with \(target.peer)", elapsed: .now - started)
            if error == .timeout {
                failure.hint =
                    "the server accepted the connection but did not complete the TLS handshake: check that this port "
                    + "speaks TLS (a plain Redis port stays silent), or raise --timeout"
            } else if case .tls = error {
                failure.hint =
                    "check that the port speaks TLS (use redis:// for a plain port), that the certificate names "
                    + "this host, and the CA: ssl_ca_certs in the URL, ca_file, or --ca-file; ssl_cert_reqs=none turns verification off"
            }
            throw attempts.failure(after: failure)
        }
        var withTLS = info
        withTLS.tlsMs = (ContinuousClock.now - connected).milliseconds
        withTLS.tlsVersion = stream.version
        withTLS.certificate = stream.peerCertificate
        return try session(over: stream, info: withTLS)
    }

    private func session(over stream: any ByteStream, info: RedisConnectionInfo) throws(ProbeFailure) -> RESPConnection {
        guard let session = RESPConnection(stream: stream, info: info) else {
            throw ProbeFailure(.internalError, "could not allocate a hiredis reader", hint: "the process is out of memory")
        }
        return session
    }
}
