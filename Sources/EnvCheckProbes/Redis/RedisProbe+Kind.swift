import EnvCheckCore

extension RedisProbe {
    static let urlInput = ProbeInput("url", keys: ["REDIS_URL"], secret: .credentials)

    /// The registry entry: `REDIS_URL`, not critical by default.
    public static let kind = ProbeKind(
        kind: "redis",
        summary: "REDIS_URL authenticates and answers PING with PONG",
        critical: false,
        inputs: [urlInput]
    ) { settings in setup(settings) }

    /// Builds the probe from the settings. The CA bundle is the probe's `ca_file`, else the
    /// URL's `ssl_ca_certs`, else `--ca-file`; verification is off when the URL says
    /// `ssl_cert_reqs=none` or the probe `tls_verify: false`.
    static func setup(_ settings: ProbeSettings, connector: any RedisConnector = SocketRedisConnector()) -> ProbeSetup {
        guard let value = settings.value(urlInput) else { return .notConfigured("\(settings.describe(urlInput)) is not set") }
        let url: RedisURL
        do {
            url = try RedisURL.parse(value.value)
        } catch {
            return .invalid(.misconfigured(
                .invalidURL, "\(value.key) is not a valid Redis URL: \(error.reason)",
                hint: "use redis://HOST[:PORT][/DB], rediss://... for TLS, or unix:///path/to/redis.sock?db=N, with USER:PASSWORD@ "
                    + "or :PASSWORD@ before the host; percent-encode special characters in the password (@ as %40, / as %2F)"))
        }
        var target = RedisTarget(address: url.address)
        if url.tls {
            target.tls = RedisTarget.TLS(verify: url.verifyCertificate && settings.tlsVerify,
                                         checkHostname: url.checkHostname,
                                         caFile: settings.stringOption("ca_file") ?? url.caCerts ?? settings.global.caFile)
        }
        return .ready(RedisProbe(url: url, target: target, connector: connector))
    }
}
