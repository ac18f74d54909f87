import EnvCheckCore

extension PostgresProbe {
    static let urlInput = ProbeInput("url", keys: ["DATABASE_URL"], secret: .credentials)

    /// The registry entry: critical by default, reads DATABASE_URL.
    public static let kind = ProbeKind(
        kind: "postgres",
        summary: "DATABASE_URL logs in for real and answers SELECT 1",
        critical: true,
        inputs: [urlInput],
        options: [ProbeOption("expect_primary", .bool, "fail (read_only) when the server is a read-only standby")],
        setup: { settings in setup(settings) }
    )

    static func setup(_ settings: ProbeSettings) -> ProbeSetup {
        guard let url = settings.value(urlInput) else { return .notConfigured("\(settings.describe(urlInput)) is not set") }
        let tls = TLSOptions(verify: settings.tlsVerify, caFile: settings.caFile)
        switch target(from: url.value, key: url.key, tls: tls) {
        case .success(let target):
            return .ready(PostgresProbe(target: target, expectPrimary: settings.boolOption("expect_primary") ?? false,
                                        tlsVerify: tls.verify))
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
            return .failure(.misconfigured(
                .invalidURL, "\(key) is not a valid PostgreSQL URL or connection string: \(PostgresURL.safeParseError(error.text, raw: raw, knownKeywords: LibPQ.keywords))",
                hint: "write it as postgres://USER:PASSWORD@HOST:5432/DBNAME?sslmode=verify-full (percent-encode special characters in the password) or as key=value pairs"))
        }
    }
}
