import EnvCheckCore

extension ErrorCode {
    /// Redis answered `LOADING`: it is still loading its dataset.
    static let loading = ErrorCode("loading")
    /// `SELECT` rejected the database index.
    static let invalidDB = ErrorCode("invalid_db")
    /// An ACL user may not run a command the probe needs (`NOPERM`).
    static let permissionDenied = ErrorCode("permission_denied")
}

/// Maps a Redis error reply to the probe's failure: the one place server error texts
/// become codes. The server's text is quoted only up to its first line, without the
/// arguments an `unknown command` error echoes, and with `secret` removed.
enum RedisServerError {
    static func failure(_ text: String, command: String, secret: String?) -> ProbeFailure {
        let quoted = quote(text, secret: secret)
        let prefix = text.prefix { $0 != " " }.uppercased()
        let lower = text.lowercased()
        if prefix == "WRONGPASS" || lower.contains("invalid password") || lower.contains("invalid username-password pair") {
            return ProbeFailure(
                .authFailed, "the server rejected the credentials: \(quoted)",
                hint: "check the user name and password in the URL (percent-encode special characters such as @ as %40); "
                    + "an unknown ACL user gets the same answer as a wrong password")
        }
        if prefix == "NOAUTH" {
            return ProbeFailure(
                .authFailed, "the server requires a password, and the URL has none (\(label: command): \(quoted))",
                hint: "add the password to the URL as :PASSWORD@ before the host (USER:PASSWORD@ for an ACL user)")
        }
        if command == "AUTH" && (lower.contains("without any password configured") || lower.contains("no password is set")) {
            return ProbeFailure(
                .authFailed, "the URL has a password, but the server has none configured",
                hint: "remove the password from the URL, or configure requirepass (or an ACL user) on the server")
        }
        if command == "AUTH" && lower.contains("wrong number of arguments") {
            return ProbeFailure(
                .authFailed, "the server does not accept a user name with AUTH (Redis before 6)",
                hint: "give only the password (:PASSWORD@ before the host, no user name) for a server without ACLs")
        }
        if prefix == "DENIED" {
            return ProbeFailure(
                .authFailed, "the server denied the connection: \(quoted)",
                hint: "the server runs in protected mode: give it a password (requirepass) or bind it explicitly")
        }
        if prefix == "LOADING" {
            return ProbeFailure(
                .loading, "the server is still loading its dataset into memory",
                hint: RedisProbe.codes[.loading]?.hint)
        }
        if command == "SELECT" {
            let hint: Message =
                lower.contains("cluster")
                ? "Redis Cluster has only database 0: remove /N or ?db=N from the URL"
                : "the server has `databases` databases (16 by default), numbered from 0: fix /N or ?db=N in the URL"
            return ProbeFailure(.invalidDB, "the server rejected the database index: \(quoted)", hint: hint)
        }
        if prefix == "NOPERM" {
            return ProbeFailure(
                .permissionDenied, "the ACL user may not run \(label: command): \(quoted)",
                hint: "grant the user the command (ACL SETUSER name +\(label: command.lowercased())) or use a user that has it")
        }
        if prefix == "READONLY" {
            return ProbeFailure(
                .readOnly, "the server is a read-only replica: \(label: command) was refused",
                hint: RedisProbe.codes[.readOnly]?.hint)
        }
        if lower.contains("max number of clients reached") {
            return ProbeFailure(
                .tooManyConnections, "the server has no room for another client: \(quoted)",
                hint: RedisProbe.codes[.tooManyConnections]?.hint)
        }
        return ProbeFailure(
            .upstreamError, "the server answered \(label: command) with an error: \(quoted)",
            hint: "see the server's message; MASTERDOWN or BUSY mean the server is not ready to serve")
    }

    /// The error's first line without the arguments Redis echoes, then quoted the shared
    /// way (``TerminalText/quote(_:hiding:limit:)``: no secret, one line, 200 characters).
    static func quote(_ text: String, secret: String?) -> String {
        var line = String(text.prefix { $0 != "\r" && $0 != "\n" })
        if let echo = line.firstRange(of: ", with args beginning with") { line = String(line[..<echo.lowerBound]) }
        return TerminalText.quote(line, hiding: secret.map { [$0] } ?? [])
    }
}
