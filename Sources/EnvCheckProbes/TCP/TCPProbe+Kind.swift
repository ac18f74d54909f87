import EnvCheckCore

extension TCPProbe {
    /// `host:port`: manifest-only, so no key is read by default.
    static let addressInput = ProbeInput("address", keys: [])

    static let tlsOption = ProbeOption.bool("tls", "run a TLS handshake after connecting (verified unless tls_verify: false)")
    static let serverName = ProbeOption.string("server_name", "the name sent as SNI and verified in the certificate (default: the host)")

    /// The TLS facts of one handshake.
    struct TLSSession: Sendable, Equatable {
        var version: String
        var certificate: PeerCertificate?
    }

    /// The probe's I/O: resolving, connecting to one address, and a TLS handshake over the
    /// connection (unit tests pass fakes).
    struct Dependencies: Sendable {
        var resolve: TCPConnection.Resolve = { host, port, deadline throws(NetError) in
            try Resolver.resolve(host: host, port: port, deadline: deadline)
        }
        var connect: @Sendable (SocketAddress, Deadline) throws(NetError) -> any ByteStream = { address, deadline throws(NetError) in
            try Socket.connect(to: address, deadline: deadline)
        }
        var handshake: @Sendable (any ByteStream, _ serverName: String, TLSOptions, Deadline) throws(NetError) -> TLSSession = {
            stream, serverName, tls, deadline throws(NetError) in
            guard let socket = stream as? Socket else { throw .tls("not a socket") }
            let session = try TLSStream.handshake(over: socket, host: serverName, tls: tls, deadline: deadline)
            return TLSSession(version: session.version, certificate: session.peerCertificate)
        }

        static let live = Dependencies()
    }

    /// The registry entry: manifest-only, not critical.
    public static let kind = kind(.live)

    /// The registry entry over `dependencies`.
    static func kind(_ dependencies: Dependencies) -> ProbeKind {
        ProbeKind(
            kind: "tcp", summary: "address accepts TCP connections at every address its name resolves to (and a TLS handshake with tls)",
            critical: false, inDefault: false, inputs: [addressInput], options: [tlsOption, serverName], codes: codes
        ) { settings in setup(settings, dependencies) }
    }

    static let codes: [ProbeCode] = [
        .dns, .connectionRefused, .network,
        ProbeCode.tls.with(hint: "check that the port speaks TLS, the certificate names server_name (or the host), and ca_file"),
        .tlsVerifyDisabled, .certExpiring,
    ]

    static func setup(_ settings: ProbeSettings, _ dependencies: Dependencies) -> ProbeSetup {
        guard let address = settings.value(addressInput) else { return .notConfigured("\(settings.describe(addressInput)) is not set") }
        let target: HostPort
        do throws(HostPort.ParseError) {
            target = try HostPort.parse(address.value)
        } catch {
            return .invalid(.misconfigured(.invalidConfig, "\(key: address.key) is not host:port: \(label: error.reason)"))
        }
        guard let port = target.port, !target.host.isEmpty else {
            return .invalid(.misconfigured(.invalidConfig, "\(key: address.key) must be host:port (the port is missing)"))
        }
        let tls = settings[tlsOption] == true ? TLSOptions(settings) : nil
        return .ready(
            TCPProbe(
                host: target.host, port: port, tls: tls, serverName: settings[serverName].flatMap { $0.isEmpty ? nil : $0 },
                dependencies: dependencies))
    }
}
