import EnvCheckCore

/// Proves that DATABASE_URL logs in for real: resolves the host, connects (TCP, TLS,
/// authentication) under the probe's deadline with exactly what the URL says (no `PG*`
/// variables, no `~/.pgpass`), runs `SELECT 1` and checks that it returns 1. With
/// `--write-check`, also writes and reads back a row in a temporary table.
///
/// - pass: logged in and `SELECT 1` answered 1. Details: `server_version`, `standby`,
///   `tls` (+ `tls_protocol`, `tls_cipher`), `user`, `database`, `host`, `port`, `dns_ms`,
///   `connect_ms` (authentication included), `query_ms`, `write_check_ms`, `notes`.
/// - warn: `tls_verify_disabled` when the session uses TLS but the certificate was not
///   verified (the probe's `tls_verify` is false, or sslmode is below verify-ca).
/// - fail: `connection_refused`, `dns`, `timeout`, `auth_failed`, `database_missing`,
///   `tls`, `too_many_connections`, `starting_up`, `read_only` (a standby with
///   `expect_primary`, or a write check on one), `network`, `connection_failed`, `query_failed`.
/// - error: `invalid_url` when DATABASE_URL does not parse.
///
/// Reads `DATABASE_URL`; options `expect_primary`, `ca_file`, `tls_verify`.
public struct PostgresProbe: Probe {
    let target: PostgresTarget
    let expectPrimary: Bool
    let tlsVerify: Bool
    let dependencies: Dependencies

    init(target: PostgresTarget, expectPrimary: Bool = false, tlsVerify: Bool = true, dependencies: Dependencies = .live) {
        self.target = target
        self.expectPrimary = expectPrimary
        self.tlsVerify = tlsVerify
        self.dependencies = dependencies
    }

    public var targets: [String] { target.servers }

    public func check(_ context: ProbeContext) async throws -> ProbeOutcome {
        let (addresses, dnsMs) = try await resolveHosts(context.deadline)
        let keywords = target.connectionKeywords(addresses: addresses)
        let labels = target.addressLabels(addresses: addresses)
        let makeSession = dependencies.session
        var facts = try await Blocking.run { () throws(ProbeFailure) -> PostgresFacts in
            try PostgresConversation(session: makeSession(), deadline: context.deadline, notes: target.notes, addresses: labels)
                .run(keywords, writeCheck: context.writeCheck)
        }
        facts.dnsMs = dnsMs
        return try verdict(facts)
    }

    /// Resolves the URL's host names under the deadline (the shared `Resolver`), so that
    /// libpq gets `hostaddr` and does no DNS of its own.
    private func resolveHosts(_ deadline: Deadline) async throws(ProbeFailure) -> ([String: [String]], Int?) {
        let names = target.namesToResolve
        guard !names.isEmpty else { return ([:], nil) }
        // Literal addresses need no lookup: no thread, no timer (scripts/bench.sh measured
        // about a millisecond of a healthcheck's wall time for `127.0.0.1`).
        if names.allSatisfy(Resolver.isNumericAddress) {
            return (Dictionary(names.map { ($0, [$0]) }, uniquingKeysWith: { a, _ in a }), 0)
        }
        let started = ContinuousClock.now
        let resolve = dependencies.resolve
        let lookups = await Blocking.run { names.map { ($0, resolve($0, deadline)) } }
        let elapsed = (ContinuousClock.now - started).milliseconds
        var resolved: [String: [String]] = [:]
        for case (let name, let addresses?) in lookups { resolved[name] = addresses }
        guard resolved.count == lookups.count else {
            throw ProbeFailure(
                .timeout, "timed out during the DNS lookup of \(label: names.joined(separator: ", ")) after \(elapsed)ms",
                hint: "the DNS lookup did not finish in time: check this machine's resolver (/etc/resolv.conf), or raise --timeout")
        }
        return (resolved, elapsed)
    }

    /// The distinct numeric addresses of `name`, in the resolver's order: empty when it does
    /// not resolve (libpq then looks it up itself and reports the error in its own words),
    /// nil when the deadline passed first. Blocks: call it on a `Blocking` thread.
    static func addresses(of name: String, by deadline: Deadline) -> [String]? {
        do {
            var seen: [String] = []
            for address in try Resolver.resolve(host: name, port: 5432, deadline: deadline) where !seen.contains(address.ip) {
                seen.append(address.ip)
            }
            return seen
        } catch .timeout {
            return nil
        } catch {
            return []
        }
    }

    private func verdict(_ facts: PostgresFacts) throws(ProbeFailure) -> ProbeOutcome {
        let details = facts.details
        if expectPrimary && facts.standby {
            throw facts.addresses.failure(
                after: ProbeFailure(
                    .readOnly, "logged in, but the server at \(label: facts.endpoint) is a read-only standby and expect_primary is set",
                    hint: PostgresErrorMapping.hint(for: .readOnly).map(Message.trusted), details: details))
        }
        let version = facts.serverVersion.map { "PostgreSQL " + ($0.split(separator: " ").first.map(String.init) ?? $0) } ?? "PostgreSQL"
        let tls = facts.tls.map { "over \($0.protocolVersion ?? "TLS")" } ?? "without TLS"
        // The user, database and endpoint are names reports show in the clear (a password
        // equal to one of them is a weak credential); the version is the server's text.
        var message: Message =
            "logged in as \(label: facts.user ?? "?") to \(label: facts.database ?? "?") at \(label: facts.endpoint) (\(version), \(label: tls))"
            + "; SELECT 1 in \(facts.queryMs)ms"
        if facts.standby { message += "; the server is a standby" }
        if facts.writeCheckMs != nil { message += "; temp-table write check ok" }
        let (reason, hint): (Message, Message) =
            tlsVerify
            ? (
                "the server's certificate was not verified (sslmode=\(label: target.value("sslmode") ?? "prefer"))",
                .trusted(PostgresErrorMapping.hint(for: .tlsVerifyDisabled) ?? "")
            )
            : ("TLS verification is off (tls_verify: false)", "remove tls_verify: false and give the server's CA with ca_file or sslrootcert")
        return facts.addresses.annotated(
            ProbeOutcome.pass(message, details: details)
                .capped(tlsInUse: facts.tls != nil, tlsVerified: target.verifiesCertificate, reason: reason, hint: hint)
                .presenting(facts.tls?.certificate))
    }
}
