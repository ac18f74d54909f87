import EnvCheckCore

/// What one successful conversation with the server established.
struct PostgresFacts: Sendable, Equatable {
    var serverVersion: String?
    var standby = false
    var tls: PostgresTLSInfo?
    var user: String?
    var database: String?
    var host: String?
    var port: String?
    var dnsMs: Int?
    var connectMs = 0
    var queryMs = 0
    var writeCheckMs: Int?
    var notes: [String] = []
    /// Every address libpq could try, the connected one marked.
    var addresses = AddressAttempts()

    var endpoint: String { (host ?? "?") + (port.map { ":" + $0 } ?? "") }

    var details: JSONObject {
        var d = JSONObject()
        d["server_version"] = serverVersion.map(JSONValue.string)
        d["standby"] = .bool(standby)
        d["tls"] = .bool(tls != nil)
        d["tls_protocol"] = tls?.protocolVersion.map(JSONValue.string)
        d["tls_cipher"] = tls?.cipher.map(JSONValue.string)
        d["user"] = user.map(JSONValue.string)
        d["database"] = database.map(JSONValue.string)
        d["host"] = host.map(JSONValue.string)
        d["port"] = port.map(JSONValue.string)
        d["dns_ms"] = dnsMs.map(JSONValue.int)
        d["connect_ms"] = .int(connectMs)
        d["query_ms"] = .int(queryMs)
        d["write_check_ms"] = writeCheckMs.map(JSONValue.int)
        if !notes.isEmpty { d["notes"] = .array(notes.map(JSONValue.string)) }
        return d
    }
}

/// The probe's side of the exchange, on the blocking thread: connect, `SELECT 1`, standby
/// check, optional write round trip. Turns the session's classified errors into failures
/// that say which step failed.
struct PostgresConversation {
    let session: any PostgresSession
    let deadline: Deadline
    let notes: [String]
    /// The resolved addresses in the order libpq tries them (``PostgresTarget/addressLabels(addresses:)``).
    var addresses: [String] = []

    func run(_ keywords: [(String, String)], writeCheck: Bool) throws(ProbeFailure) -> PostgresFacts {
        var facts = PostgresFacts(notes: notes, addresses: AddressAttempts(addresses))
        var step = "could not connect"
        let started = ContinuousClock.now
        do throws(PostgresError) {
            try session.connect(keywords, deadline: deadline)
            facts.connectMs = (ContinuousClock.now - started).milliseconds
            for attempt in session.earlierAttempts { facts.addresses.failed(attempt.address, failure(attempt, step: step)) }
            if let address = session.connectedAddress { facts.addresses.record(address, .connected) }
            facts.serverVersion = session.parameter("server_version")
            (facts.tls, facts.user, facts.database) = (session.tls, session.user, session.database)
            (facts.host, facts.port) = (session.host, session.port)
            step = "SELECT 1 failed"
            let queryStarted = ContinuousClock.now
            let rows = try session.query("SELECT 1", deadline: deadline)
            guard rows.first?.first == "1" else {
                throw PostgresError(.protocolError, "SELECT 1 returned \(rows.first?.first.map { $0 ?? "NULL" } ?? "no row"), not 1")
            }
            facts.queryMs = (ContinuousClock.now - queryStarted).milliseconds
            step = "could not tell whether the server is a standby"
            facts.standby = try isStandby()
            if writeCheck {
                step = "the temp-table write check failed"
                let writeStarted = ContinuousClock.now
                try writeRoundTrip()
                facts.writeCheckMs = (ContinuousClock.now - writeStarted).milliseconds
            }
            return facts
        } catch  where error.code == .invalidURL {
            // A configuration problem, not an unhealthy server: `error`, its values elided.
            let text = PostgresURL.safeParseError(error.message, raw: "", knownKeywords: LibPQ.keywords)
            throw ProbeFailure.misconfigured(
                .invalidURL, "libpq rejected the connection options: \(text)",
                hint: PostgresErrorMapping.hint(for: .invalidURL).map(Message.trusted))
        } catch {
            var details = JSONObject()
            details["sqlstate"] = error.sqlstate.map(JSONValue.string)
            if facts.connectMs > 0 { details["connect_ms"] = .int(facts.connectMs) }
            if !notes.isEmpty { details["notes"] = .array(notes.map(JSONValue.string)) }
            let failure = ProbeFailure(
                error.code, "\(label: step): \(error.message)", hint: PostgresErrorMapping.hint(for: error.code).map(Message.trusted),
                details: details)
            // libpq tried several addresses: each one's own words, and the most telling wins.
            for attempt in error.attempts { facts.addresses.failed(attempt.address, self.failure(attempt, step: step, details: details)) }
            if facts.addresses.connected != nil { throw facts.addresses.failure(after: failure) }
            throw facts.addresses.failure() ?? failure
        }
    }

    private func failure(_ attempt: PostgresAttempt, step: String, details: JSONObject = JSONObject()) -> ProbeFailure {
        ProbeFailure(
            attempt.code, "\(label: step): \(attempt.message)", hint: PostgresErrorMapping.hint(for: attempt.code).map(Message.trusted), details: details)
    }

    /// `in_hot_standby` (servers 14+) without a query, else `pg_is_in_recovery()`.
    private func isStandby() throws(PostgresError) -> Bool {
        if let flag = session.parameter("in_hot_standby") { return flag == "on" }
        return try session.query("SELECT pg_is_in_recovery()", deadline: deadline).first?.first == "t"
    }

    /// A uniquely named temporary table: create, insert, read back, drop. Temporary tables
    /// vanish with the session anyway, so a failure half-way leaves nothing behind; nor does
    /// an interrupted run, which is why the table is not registered for cleanup: the session
    /// ends when the process exits, and the server drops the table with it.
    private func writeRoundTrip() throws(PostgresError) {
        let table = "envcheck_probe_" + String(UInt64.random(in: .min ... .max), radix: 16)
        let token = String(UInt64.random(in: .min ... .max), radix: 16)
        _ = try session.query("CREATE TEMP TABLE \(table) (v text)", deadline: deadline)
        _ = try session.query("INSERT INTO \(table) (v) VALUES ('\(token)')", deadline: deadline)
        let rows = try session.query("SELECT v FROM \(table)", deadline: deadline)
        _ = try session.query("DROP TABLE \(table)", deadline: deadline)
        guard rows.count == 1, rows[0].first == token else {
            throw PostgresError(.protocolError, "read back \(rows.count) row(s) that do not match the one written")
        }
    }
}
