import CLibPQ
import EnvCheckCore

#if canImport(Glibc)
    import Glibc
#endif

/// The one file that calls libpq. It owns the `PGconn` (freed in `deinit`, whatever path
/// led there), connects without blocking past the deadline (`PQconnectStart` +
/// `PQconnectPoll` + `poll`, docs/protocols.md §6) and runs queries in nonblocking mode.
/// libpq's texts become classified ``PostgresError``s here, through ``PostgresErrorMapping``.
final class LibPQSession: PostgresSession {
    private var conn: OpaquePointer?
    /// libpq's text as it stood before the last poll: on success libpq clears it, and it
    /// is the only record of the addresses that failed before the one that connected.
    private var textBeforeLastPoll = ""
    private(set) var earlierAttempts: [PostgresAttempt] = []

    init() {}
    deinit { if let conn { PQfinish(conn) } }

    func connect(_ keywords: [(String, String)], deadline: Deadline) throws(PostgresError) {
        let started = ContinuousClock.now
        // A conninfo string, not PQconnectStartParams: the arrays form treats an empty value
        // as unset and falls back to the PG* variable (verified), a string keeps it empty.
        guard let c = PQconnectStart(Self.conninfo(keywords)) else {
            throw PostgresError(.internalError, "libpq could not allocate a connection")
        }
        conn = c
        var status = PQstatus(c) == CONNECTION_BAD ? PGRES_POLLING_FAILED : PGRES_POLLING_WRITING
        while true {
            switch status {
            case PGRES_POLLING_OK:
                _ = PQsetnonblocking(c, 1)
                earlierAttempts = Self.attempts(in: textBeforeLastPoll).filter { $0.address != connectedAddress }
                return
            case PGRES_POLLING_FAILED:
                let raw = Self.rawErrorText(c)
                let text = Self.oneLine(raw)
                throw PostgresError(PostgresErrorMapping.classifyConnectFailure(text), text, attempts: Self.attempts(in: raw))
            default:
                let events = status == PGRES_POLLING_READING ? POLLIN : POLLOUT
                try wait(Int16(events), deadline: deadline, started: started) { Self.phase(PQstatus(c)) }
            }
            textBeforeLastPoll = Self.rawErrorText(c)
            status = PQconnectPoll(c)
        }
    }

    func query(_ sql: String, deadline: Deadline) throws(PostgresError) -> [[String?]] {
        guard let c = conn else { throw PostgresError(.internalError, "query before connect") }
        let started = ContinuousClock.now
        guard PQsendQuery(c, sql) == 1 else { throw lost(c) }
        var flushed = PQflush(c)
        while flushed == 1 {
            try wait(Int16(POLLIN | POLLOUT), deadline: deadline, started: started) { "sending the query" }
            guard PQconsumeInput(c) == 1 else { throw lost(c) }
            flushed = PQflush(c)
        }
        guard flushed == 0 else { throw lost(c) }
        var rows: [[String?]] = []
        var failure: PostgresError?
        while true {
            while PQisBusy(c) == 1 {
                try wait(Int16(POLLIN), deadline: deadline, started: started) { "waiting for the query's result" }
                guard PQconsumeInput(c) == 1 else { throw lost(c) }
            }
            guard let result = PQgetResult(c) else { break }
            defer { PQclear(result) }
            switch PQresultStatus(result) {
            case PGRES_TUPLES_OK: rows += Self.rows(result)
            case PGRES_COMMAND_OK, PGRES_EMPTY_QUERY: break
            default: failure = failure ?? Self.serverError(result)
            }
        }
        if let failure { throw failure }
        return rows
    }

    func parameter(_ name: String) -> String? {
        conn.flatMap { PQparameterStatus($0, name) }.map { String(cString: $0) }
    }

    var tls: PostgresTLSInfo? {
        guard let c = conn, PQsslInUse(c) == 1 else { return nil }
        let attribute = { (name: String) in PQsslAttribute(c, name).map { String(cString: $0) } }
        return PostgresTLSInfo(
            protocolVersion: attribute("protocol"), cipher: attribute("cipher"),
            certificate: PQsslStruct(c, "OpenSSL").flatMap { PeerCertificate(ssl: $0) })
    }

    var user: String? { conn.flatMap { PQuser($0) }.map { String(cString: $0) } }
    var database: String? { conn.flatMap { PQdb($0) }.map { String(cString: $0) } }
    var host: String? { conn.flatMap { PQhost($0) }.map { String(cString: $0) } }
    var port: String? { conn.flatMap { PQport($0) }.map { String(cString: $0) } }

    /// `127.0.0.1:5432`: the address libpq is connected (or connecting) to, named as
    /// libpq's error text names it; nil over a Unix socket.
    var connectedAddress: String? {
        guard let c = conn, let ip = PQhostaddr(c).map({ String(cString: $0) }), !ip.isEmpty else { return nil }
        return HostPort(host: ip, port: port.flatMap { Int($0) }).description
    }

    /// The addresses in libpq's text; one still in progress when the deadline cut it
    /// short is a `timeout` with `timedOut` as its text.
    private static func attempts(in raw: String, timedOut: String? = nil) -> [PostgresAttempt] {
        PostgresErrorMapping.attempts(in: raw).compactMap { address, code, message in
            if let code { return PostgresAttempt(address: address, code: code, message: message) }
            return timedOut.map { PostgresAttempt(address: address, code: .timeout, message: $0) }
        }
    }

    /// Waits for the socket until `deadline`; past it, a `timeout` naming the phase.
    private func wait(
        _ events: Int16, deadline: Deadline, started: ContinuousClock.Instant,
        phase: () -> String
    ) throws(PostgresError) {
        let result = conn.map { deadline.wait(for: events, on: PQsocket($0)) } ?? .timedOut
        switch result {
        case .ready:
            return
        case .timedOut:
            let at = conn.map { Self.endpoint($0) } ?? ""
            let message = "timed out during \(phase())\(at) after \((ContinuousClock.now - started).milliseconds)ms"
            let attempts = conn.map { Self.attempts(in: Self.rawErrorText($0), timedOut: message) } ?? []
            throw PostgresError(.timeout, message, attempts: attempts)
        case .failed(let reason):
            throw PostgresError(.network, "poll failed: \(reason)")
        }
    }

    private func lost(_ c: OpaquePointer) -> PostgresError {
        let text = Self.errorText(c)
        return PostgresError(PostgresErrorMapping.classifyConnectFailure(text), text)
    }

    /// Where libpq is connecting right now, for timeout messages.
    private static func endpoint(_ c: OpaquePointer) -> String {
        guard let host = PQhost(c).map({ String(cString: $0) }), !host.isEmpty else { return "" }
        let port = PQport(c).map { String(cString: $0) } ?? ""
        let ip = PQhostaddr(c).map { String(cString: $0) } ?? ""
        return " with \(host)" + (port.isEmpty ? "" : ":\(port)") + (ip.isEmpty || ip == host ? "" : " (\(ip))")
    }

    static func phase(_ status: ConnStatusType) -> String {
        switch status {
        case CONNECTION_SSL_STARTUP: "the TLS handshake"
        case CONNECTION_GSS_STARTUP: "GSSAPI negotiation"
        case CONNECTION_MADE: "the start-up exchange"
        case CONNECTION_AWAITING_RESPONSE: "authentication"
        case CONNECTION_AUTH_OK: "the server's session start-up"
        case CONNECTION_CHECK_WRITABLE, CONNECTION_CHECK_TARGET, CONNECTION_CHECK_STANDBY, CONNECTION_CONSUME:
            "the session checks (target_session_attrs)"
        default: "the TCP connect"
        }
    }

    /// libpq's error text on one line: lines trimmed, duplicates and its generic
    /// "Is the server running...?" advice dropped.
    static func oneLine(_ text: String) -> String {
        var seen = Set<String>()
        let lines = text.split(whereSeparator: \.isNewline).map { String($0).trimmingSpaces }
            .filter { !$0.isEmpty && !$0.hasPrefix("Is the server running") && seen.insert($0).inserted }
        return lines.joined(separator: "; ")
    }

    private static func errorText(_ c: OpaquePointer) -> String { oneLine(rawErrorText(c)) }

    private static func rawErrorText(_ c: OpaquePointer) -> String {
        PQerrorMessage(c).map { String(cString: $0) } ?? "unknown libpq error"
    }

    private static func serverError(_ result: OpaquePointer) -> PostgresError {
        let field = { (code: UInt8) in PQresultErrorField(result, Int32(code)).map { String(cString: $0) } }
        let sqlstate = field(UInt8(ascii: "C"))  // PG_DIAG_SQLSTATE
        let message = field(UInt8(ascii: "M")) ?? oneLine(PQresultErrorMessage(result).map { String(cString: $0) } ?? "")
        return PostgresError(PostgresErrorMapping.classify(sqlstate: sqlstate), message, sqlstate: sqlstate)
    }

    private static func rows(_ result: OpaquePointer) -> [[String?]] {
        (0..<PQntuples(result)).map { row in
            (0..<PQnfields(result)).map { column in
                PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column))
            }
        }
    }

    /// `keyword='value'` pairs, quoted as libpq's conninfo syntax wants.
    static func conninfo(_ keywords: [(String, String)]) -> String {
        keywords.map { keyword, value in
            let escaped = value.replacing("\\", with: "\\\\").replacing("'", with: "\\'")
            return "\(keyword)='\(escaped)'"
        }.joined(separator: " ")
    }
}

/// libpq's own connection-string parser: no connection, no environment, no defaults.
enum LibPQ {
    /// libpq's parse error. Its text may quote pieces of the string (the password among
    /// them): show it only through ``PostgresURL/safeParseError(_:raw:)``.
    struct ParseError: Error, CustomStringConvertible {
        let text: String
        var description: String { "libpq parse error" }
    }

    /// Every option libpq knows, with the value `conninfo` gives it (nil when unset).
    static func parse(_ conninfo: String) -> Result<[LibPQOption], ParseError> {
        var message: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(conninfo, &message) else {
            defer { if let message { PQfreemem(message) } }
            return .failure(ParseError(text: message.map { String(cString: $0) } ?? "libpq ran out of memory"))
        }
        defer { PQconninfoFree(options) }
        var parsed: [LibPQOption] = []
        var option = options
        while let keyword = option.pointee.keyword {
            let text = { (p: UnsafeMutablePointer<CChar>?) in p.map { String(cString: $0) } }
            parsed.append(
                LibPQOption(
                    keyword: String(cString: keyword), envVar: text(option.pointee.envvar),
                    compiled: text(option.pointee.compiled), value: text(option.pointee.val)))
            option += 1
        }
        return .success(parsed)
    }

    /// The keywords this libpq accepts (as URL query parameters too).
    static let keywords: Set<String> = {
        guard case .success(let options) = parse("") else { return [] }
        return Set(options.map(\.keyword))
    }()
}
