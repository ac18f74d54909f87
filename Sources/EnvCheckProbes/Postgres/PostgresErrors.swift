import EnvCheckCore

extension ErrorCode {
    /// The database named in the URL does not exist (SQLSTATE 3D000).
    static let databaseMissing = ErrorCode("database_missing")
    /// The server is starting up, shutting down or recovering (57P03).
    static let startingUp = ErrorCode("starting_up")
    /// A connection failure whose text matched no known cause.
    static let connectionFailed = ErrorCode("connection_failed")
    /// A query failed with a server error no other code covers.
    static let queryFailed = ErrorCode("query_failed")
}

/// A failure as the libpq wrapper reports it: already classified, with the driver's text
/// (never a password: libpq's connect and query errors do not carry it).
struct PostgresError: Error, Sendable, Equatable, CustomStringConvertible {
    var code: ErrorCode
    /// libpq's or the server's text, on one line.
    var message: String
    var sqlstate: String?
    /// For a failed connect: what happened at each address libpq tried, in its order
    /// (empty when libpq's text names none, e.g. an option it rejected).
    var attempts: [PostgresAttempt] = []

    init(_ code: ErrorCode, _ message: String, sqlstate: String? = nil, attempts: [PostgresAttempt] = []) {
        self.code = code
        self.message = message
        self.sqlstate = sqlstate
        self.attempts = attempts
    }

    var description: String { "postgres error (\(code.rawValue))" }
}

/// What one address libpq tried came to: `address` as `details.addresses` names it
/// (`127.0.0.1:5432`, `[::1]:5432`, a socket path, or a host name that did not resolve),
/// the classified code, and libpq's text for that address, on one line.
struct PostgresAttempt: Sendable, Equatable {
    var address: String
    var code: ErrorCode
    var message: String
}

/// Maps libpq's failure texts and SQLSTATEs to error codes, and codes to hints: the one
/// place this happens (the libpq wrapper calls it).
enum PostgresErrorMapping {
    /// A failed connect has no SQLSTATE (docs/protocols.md §11): classify the message,
    /// which the server writes in its `lc_messages` language (English by default). Anything
    /// unrecognised is `connection_failed`, never a guess.
    static func classifyConnectFailure(_ text: String) -> ErrorCode {
        let t = text.lowercased()
        // libpq rejects option values (port, sslmode, ...) before any network I/O.
        // ("invalid port number" too: a password with an unencoded '/' ends up as the port.)
        if t.contains(/invalid [a-z_]+ value/) || t.contains(/invalid [a-z_ ]*number/) || t.contains("could not match")
            || t.contains("invalid ssl protocol version range")
        {
            return .invalidURL
        }
        if t.contains("no pg_hba.conf entry") {
            // The server accepts this login only with TLS, and the client did not use it.
            return t.contains("no encryption") && !t.contains("ssl encryption") ? .tls : .authFailed
        }
        if t.contains("database \"") && t.contains("does not exist") { return .databaseMissing }
        let rules: [(ErrorCode, [String])] = [
            (.dns, ["could not translate host name", "could not parse network address"]),
            (.connectionRefused, ["connection refused", "no such file or directory"]),
            (
                .authFailed,
                [
                    "password authentication failed", "no password supplied", "authentication failed",
                    "role \"", "scram", "password is required",
                ]
            ),
            (.tooManyConnections, ["too many clients", "remaining connection slots are reserved", "too many connections"]),
            (
                .startingUp,
                [
                    "is starting up", "is shutting down", "in recovery mode", "not yet accepting connections",
                    "not accepting connections",
                ]
            ),
            (.connectionFailed, ["is not in hot standby mode", "session is not read-only"]),
            (.readOnly, ["is in hot standby mode", "session is read-only"]),
            (.tls, ["ssl", "certificate", "tls"]),
            (.timeout, ["timeout expired", "connection timed out"]),
            (
                .network,
                [
                    "network is unreachable", "no route to host", "connection reset", "closed the connection",
                    "broken pipe", "host is down",
                ]
            ),
        ]
        for (code, needles) in rules where needles.contains(where: { t.contains($0) }) {
            return code
        }
        return .connectionFailed
    }

    /// libpq's error text for a connection, split by address. libpq starts the part of
    /// each address it tries with `connection to server at "HOST" (IP), port P failed: `
    /// (the `(IP)` only when it differs from HOST; with `hostaddr`, HOST is the address) or
    /// `connection to server on socket "PATH" failed: `, and reports a name that does not
    /// resolve as `could not translate host name "NAME" to address: `. Each part is
    /// classified on its own words, after the header (a host name may contain "ssl").
    /// A part with no words yet is an attempt still in progress: nil code.
    static func attempts(in text: String) -> [(address: String, code: ErrorCode?, message: String)] {
        let header =
            /connection to server (?:at "([^"]*)"(?: \(([^)]*)\))?, port (\d+)|on socket "([^"]*)") failed:|could not translate host name "([^"]*)" to address:/
        let matches = text.matches(of: header)
        return matches.indices.map { i in
            let match = matches[i]
            let end = i + 1 < matches.count ? matches[i + 1].range.lowerBound : text.endIndex
            let body = LibPQSession.oneLine(String(text[match.range.upperBound..<end]))
            let address: String
            if let path = match.output.4 {
                address = String(path)
            } else if let name = match.output.5 {
                address = String(name)
            } else {
                address = HostPort(host: String(match.output.2 ?? match.output.1 ?? ""), port: match.output.3.flatMap { Int($0) }).description
            }
            let code: ErrorCode? = body.isEmpty ? nil : match.output.5 != nil ? .dns : classifyConnectFailure(body)
            return (address, code, LibPQSession.oneLine(String(text[match.range.lowerBound..<end])))
        }
    }

    /// A server error on a query carries its SQLSTATE.
    static func classify(sqlstate: String?) -> ErrorCode {
        guard let state = sqlstate else { return .network }
        switch state {
        case "25006": return .readOnly
        case "57P03": return .startingUp
        case "53300": return .tooManyConnections
        case "3D000": return .databaseMissing
        default: return state.hasPrefix("28") ? .authFailed : .queryFailed
        }
    }

    /// What to do about a failure with this code: the hint its declaration gives
    /// (``PostgresProbe/codes``).
    static func hint(for code: ErrorCode) -> String? {
        (PostgresProbe.codes[code]?.hint ?? fallbackHint).text
    }

    /// For a code without advice of its own.
    static let fallbackHint: Message = "check DATABASE_URL and the server's logs"
}
