import EnvCheckCore

extension RedisProbe {
    static let urlInput = ProbeInput("url", keys: ["REDIS_URL"], secret: .credentials)

    /// The probe's I/O: how a session is opened (socket, TLS, RESP).
    struct Dependencies: Sendable {
        var connector: any RedisConnector = SocketRedisConnector()

        static let live = Dependencies()
    }

    /// The registry entry: `REDIS_URL`, not critical by default.
    public static let kind = kind(.live)

    /// The registry entry over `dependencies` (unit tests pass a fake connector).
    static func kind(_ dependencies: Dependencies) -> ProbeKind {
        ProbeKind(
            kind: "redis", summary: "REDIS_URL authenticates and answers PING with PONG", critical: false, inputs: [urlInput],
            codes: codes, resource: resource
        ) { settings in setup(settings, dependencies) }
    }

    /// The database index a TCP URL names on its host (db 0 when none).
    static func resource(_ settings: ProbeSettings) -> ProbeResource? {
        guard let url = settings.value(urlInput), let parsed = try? RedisURL.parse(url.value), case .tcp(let host, let port) = parsed.address else {
            return nil
        }
        return ProbeResource(what: "redis database", host: host, port: port, name: String(parsed.db ?? 0), key: url.key)
    }

    /// Server error replies as RedisServerError maps them (docs/protocols.md §5), and the
    /// connector's failures.
    static let codes: [ProbeCode] = [
        ProbeCode.authFailed.with(meaning: "the server rejected the credentials, wants a password the URL lacks, or refuses one it has"),
        ProbeCode(.invalidDB, .fail, meaning: "SELECT rejected the database index in the URL").permanent,
        ProbeCode(
            .loading, .fail, meaning: "the server is still loading its dataset into memory",
            hint: "retry in a moment (--wait retries until it is ready); a large dataset takes a while to load"),
        ProbeCode(.permissionDenied, .fail, meaning: "the ACL user may not run a command the probe needs (NOPERM)").permanent,
        ProbeCode.readOnly.with(
            meaning: "a read-only replica refused the write check's SET",
            hint: "the URL points at a replica: point it at the primary if the application writes"),
        ProbeCode.tooManyConnections.with(hint: "raise maxclients on the server, or find what holds so many connections"),
        ProbeCode.protocolError.with(meaning: "the bytes were not RESP, or a reply was not the one expected (PING without PONG)"),
        ProbeCode.upstreamError.with(meaning: "the server answered a command with an error no other code covers (MASTERDOWN, BUSY, ...)"),
        ProbeCode.internalError.with(meaning: "a bug or no memory: the RESP reader could not be allocated"),
        .invalidURL, .cleanupFailed, .tlsVerifyDisabled, .certExpiring, .dns, .connectionRefused, .tls, .network,
    ]

    /// Builds the probe from the settings. The CA bundle is the probe's `ca_file`, else the
    /// URL's `ssl_ca_certs`, else `--ca-file`; verification is off when the URL says
    /// `ssl_cert_reqs=none` or the probe `tls_verify: false`.
    static func setup(_ settings: ProbeSettings, _ dependencies: Dependencies) -> ProbeSetup {
        guard let value = settings.value(urlInput) else { return .notConfigured("\(settings.describe(urlInput)) is not set") }
        let url: RedisURL
        do {
            url = try RedisURL.parse(value.value)
        } catch {
            return .invalid(
                .misconfigured(
                    .invalidURL, "\(value.key) is not a valid Redis URL: \(error.reason)",
                    hint: "use redis://HOST[:PORT][/DB], rediss://... for TLS, or unix:///path/to/redis.sock?db=N, with USER:PASSWORD@ "
                        + "or :PASSWORD@ before the host; percent-encode special characters in the password (@ as %40, / as %2F)"))
        }
        var target = RedisTarget(address: url.address)
        if url.tls {
            target.tls = RedisTarget.TLS(
                options: TLSOptions(
                    verify: url.verifyCertificate && settings.tlsVerify,
                    caFile: settings[ProbeOption.caFile] ?? url.caCerts ?? settings.global.caFile),
                checkHostname: url.checkHostname)
        }
        return .ready(RedisProbe(url: url, target: target, dependencies: dependencies))
    }
}
