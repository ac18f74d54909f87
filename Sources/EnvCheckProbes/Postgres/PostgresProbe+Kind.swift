import EnvCheckCore

extension PostgresProbe {
    static let urlInput = ProbeInput("url", keys: ["DATABASE_URL"], secret: .credentials)
    static let expectPrimary = ProbeOption.bool("expect_primary", "fail (read_only) when the server is a read-only standby")

    /// The probe's I/O: a libpq session per attempt, and the host name lookup.
    struct Dependencies: Sendable {
        var session: @Sendable () -> any PostgresSession = { LibPQSession() }
        /// A host name's numeric addresses; nil when the deadline passed first.
        var resolve: @Sendable (String, Deadline) -> [String]? = PostgresProbe.addresses(of:by:)

        static let live = Dependencies()
    }

    /// The registry entry: critical by default, reads DATABASE_URL.
    public static let kind = kind(.live)

    /// The registry entry over `dependencies` (unit tests pass fakes).
    static func kind(_ dependencies: Dependencies) -> ProbeKind {
        ProbeKind(
            kind: "postgres",
            summary: "DATABASE_URL logs in for real and answers SELECT 1",
            critical: true,
            inputs: [urlInput],
            options: [expectPrimary],
            codes: codes, resource: resource,
            setup: { settings in setup(settings, dependencies) })
    }

    /// What libpq's failures map to (PostgresErrorMapping), each with the hint it gets.
    static let codes: [ProbeCode] = [
        ProbeCode.connectionRefused.with(
            hint: "nothing accepts connections at that address: check the host and port in DATABASE_URL and that PostgreSQL is running"),
        ProbeCode.dns.with(hint: "the host name in DATABASE_URL does not resolve from here: check its spelling and this network's DNS"),
        ProbeCode.timeout.with(
            hint: "the server did not answer in time: check that the host and port are right and reachable (firewall, security group), or raise --timeout"),
        ProbeCode.authFailed.with(
            hint: "the server rejected the login: check the user and password in DATABASE_URL (percent-encode special characters) and pg_hba.conf"),
        ProbeCode(
            .databaseMissing, .fail, meaning: "the database named in the URL does not exist",
            hint: "the database named in DATABASE_URL does not exist on this server: create it or fix the name"),
        ProbeCode.tls.with(hint: "TLS failed: check sslmode (the server may require or refuse TLS) and, with verify-ca/verify-full, sslrootcert or --ca-file"),
        ProbeCode.tooManyConnections.with(hint: "the server has no free connection slot: look for connection leaks, use a pooler, or raise max_connections"),
        ProbeCode(
            .startingUp, .fail, meaning: "the server is starting up, shutting down or recovering",
            hint: "the server is starting, shutting down or recovering: retry shortly (envcheck --wait)"),
        ProbeCode.readOnly.with(
            meaning: "the server is a read-only standby and expect_primary is set (or a write check ran on one)",
            hint: "this server is a read-only standby: point DATABASE_URL at the primary (or target_session_attrs=read-write)"),
        ProbeCode.invalidURL.with(hint: "fix the value libpq names in DATABASE_URL (port, sslmode, target_session_attrs, ...)"),
        ProbeCode.network.with(hint: "the connection broke: check the network path and the server's logs"),
        ProbeCode(
            .queryFailed, .fail, meaning: "the server rejected the probe's query", hint: "the server rejected the probe's query: check the role's privileges"),
        ProbeCode(
            .connectionFailed, .fail, meaning: "the connection failed for a reason libpq's text does not name",
            hint: PostgresErrorMapping.fallbackHint),
        ProbeCode.protocolError.with(meaning: "SELECT 1 did not return 1", hint: PostgresErrorMapping.fallbackHint),
        ProbeCode.tlsVerifyDisabled.with(
            meaning: "logged in over TLS without verifying the certificate (sslmode below verify-ca, or tls_verify: false)",
            hint: "use sslmode=verify-full with sslrootcert (or --ca-file) so a man in the middle cannot pose as the database"),
        .certExpiring,
    ]

    /// The database a URL names on its host (a URL without a database name names none
    /// for certain: libpq then uses the user's name).
    static func resource(_ settings: ProbeSettings) -> ProbeResource? {
        guard let url = settings.value(urlInput), let parts = URLParts(url.value), !parts.firstSegment.isEmpty else { return nil }
        return ProbeResource(what: "database", host: parts.host, port: parts.port ?? 5432, name: PercentEncoding.decode(parts.firstSegment), key: url.key)
    }

    static func setup(_ settings: ProbeSettings, _ dependencies: Dependencies) -> ProbeSetup {
        guard let url = settings.value(urlInput) else { return .notConfigured("\(settings.describe(urlInput)) is not set") }
        let tls = TLSOptions(settings)
        switch target(from: url.value, key: url.key, tls: tls) {
        case .success(let target):
            return .ready(
                PostgresProbe(
                    target: target, expectPrimary: settings[expectPrimary] ?? false,
                    tlsVerify: tls.verify, dependencies: dependencies))
        case .failure(let failure):
            return .invalid(failure)
        }
    }

    /// Normalises the URL, validates it with libpq, and pins every option (PostgresTarget).
    /// A parse failure is `invalid_url`, its libpq text shown only once made safe.
    static func target(from raw: String, key: String, tls: TLSOptions = TLSOptions()) -> Result<PostgresTarget, ProbeFailure> {
        let normalised: PostgresURL.Normalised
        do {
            normalised = try PostgresURL.normalise(raw, knownKeywords: LibPQ.keywords)
        } catch {
            return .failure(error)
        }
        switch LibPQ.parse(normalised.text) {
        case .success(let options):
            var notes = normalised.notes
            if options.first(where: { $0.keyword == "password" })?.value == nil {
                notes.append("\(key) has no password: PGPASSWORD and ~/.pgpass are deliberately not used")
            }
            return .success(PostgresTarget(parsed: options, notes: notes, tls: tls))
        case .failure(let error):
            return .failure(
                .misconfigured(
                    .invalidURL,
                    "\(key) is not a valid PostgreSQL URL or connection string: \(PostgresURL.safeParseError(error.text, raw: raw, knownKeywords: LibPQ.keywords))",
                    hint:
                        "write it as postgres://USER:PASSWORD@HOST:5432/DBNAME?sslmode=verify-full (percent-encode special characters in the password) or as key=value pairs"
                ))
        }
    }
}
