import EnvCheckCore

/// A Redis URL, read the way redis-py's `parse_url` reads it (docs/protocols.md §5), so
/// that envcheck connects where the application will: `redis://`, `rediss://` (TLS) and
/// `unix://`; `user:pass@` and `:pass@`, percent-decoded; the db from `/N` or `?db=N`
/// (which wins; a non-integer path is ignored); and the query parameters the probe honours.
struct RedisURL: Sendable, Equatable {
    enum Address: Sendable, Equatable {
        case tcp(host: String, port: Int)
        case unix(path: String)
    }

    /// Why a URL was rejected: never quotes the URL, which may hold a password.
    struct ParseError: Error, Equatable {
        let reason: String
    }

    var address: Address
    var tls = false
    var username: String?
    var password: Secret?
    /// Nil when the URL names none (db 0).
    var db: Int?
    /// `ssl_ca_certs`: a CA bundle for `rediss://`.
    var caCerts: String?
    /// False for `ssl_cert_reqs=none`.
    var verifyCertificate = true
    /// False for `ssl_check_hostname=false`.
    var checkHostname = true
    /// `socket_connect_timeout` and `socket_timeout` (seconds): caps under the probe's deadline.
    var connectTimeout: Duration?
    var socketTimeout: Duration?

    static func parse(_ text: String) throws(ParseError) -> RedisURL {
        let scheme: String
        if text.hasPrefix("redis://") {
            scheme = "redis"
        } else if text.hasPrefix("rediss://") {
            scheme = "rediss"
        } else if text.hasPrefix("unix://") {
            scheme = "unix"
        } else {
            throw ParseError(reason: "it must start with redis://, rediss:// or unix://")
        }
        var rest = Substring(text.dropFirst(scheme.count + 3))
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        let pathAndQuery = rest[authorityEnd...]
        let path = pathAndQuery.prefix { $0 != "?" }
        let queryText = pathAndQuery.dropFirst(path.count).dropFirst()

        var url = RedisURL(address: .tcp(host: "localhost", port: 6379))
        let hostPart: Substring
        if let at = authority.lastIndex(of: "@") {
            url.readCredentials(authority[..<at])
            hostPart = authority[authority.index(after: at)...]
        } else {
            hostPart = authority
        }
        let query = Self.query(queryText)
        try url.readQuery(query)
        if scheme == "unix" {
            let socketPath = PercentEncoding.decode(String(path))
            guard !socketPath.isEmpty else {
                throw ParseError(reason: "a unix:// URL needs the socket path, as in unix:///run/redis/redis.sock")
            }
            url.address = .unix(path: socketPath)
        } else {
            url.tls = scheme == "rediss"
            url.address = try Self.hostAndPort(hostPart)
            // A non-integer path is ignored, as redis-py does; `?db=` wins over the path.
            if query["db"] == nil, let db = Int(PercentEncoding.decode(String(path)).replacing("/", with: "")) {
                url.db = db
            }
        }
        return url
    }

    /// `user:password`, each percent-decoded; empty parts count as absent.
    private mutating func readCredentials(_ userinfo: Substring) {
        let colon = userinfo.firstIndex(of: ":")
        let user = PercentEncoding.decode(String(userinfo[..<(colon ?? userinfo.endIndex)]))
        if !user.isEmpty { username = user }
        if let colon {
            let pass = PercentEncoding.decode(String(userinfo[userinfo.index(after: colon)...]))
            if !pass.isEmpty { password = Secret(pass) }
        }
    }

    private mutating func readQuery(_ query: [String: String]) throws(ParseError) {
        // redis-py passes ?username= and ?password= to the connection; the userinfo wins.
        if username == nil, let user = query["username"], !user.isEmpty { username = user }
        if password == nil, let pass = query["password"], !pass.isEmpty { password = Secret(pass) }
        if let value = query["db"] {
            guard let db = Int(value.trimmingSpaces) else { throw ParseError(reason: "the db query parameter is not an integer") }
            self.db = db
        }
        caCerts = query["ssl_ca_certs"]
        if let value = query["ssl_cert_reqs"] {
            switch value.lowercased() {
            case "none", "cert_none": verifyCertificate = false
            case "optional", "required", "cert_optional", "cert_required": verifyCertificate = true
            default: throw ParseError(reason: "the ssl_cert_reqs query parameter must be none, optional or required")
            }
        }
        if let value = query["ssl_check_hostname"] {
            checkHostname = !["0", "F", "FALSE", "N", "NO"].contains(value.uppercased())
        }
        connectTimeout = try Self.seconds(query, "socket_connect_timeout")
        socketTimeout = try Self.seconds(query, "socket_timeout")
    }

    private static func seconds(_ query: [String: String], _ name: String) throws(ParseError) -> Duration? {
        guard let value = query[name] else { return nil }
        guard let seconds = Double(value.trimmingSpaces), seconds.isFinite, seconds > 0, seconds <= 86_400 else {
            throw ParseError(reason: "the \(name) query parameter is not a number of seconds between 0 and 86400")
        }
        return .milliseconds(Int64((seconds * 1000).rounded(.up)))
    }

    /// The first non-empty value of each name, decoded like Python's `parse_qs` + `unquote`.
    private static func query(_ text: Substring) -> [String: String] {
        var values: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[1].isEmpty else { continue }
            let name = PercentEncoding.decode(String(parts[0]).replacing("+", with: " "))
            if values[name] == nil { values[name] = PercentEncoding.decode(String(parts[1]).replacing("+", with: " ")) }
        }
        return values
    }

    /// `host`, `host:port`, `[v6]:port` by the shared rule (``HostPort``); the host
    /// percent-decoded as redis-py does, defaults localhost:6379.
    private static func hostAndPort(_ text: Substring) throws(ParseError) -> Address {
        let parsed: HostPort
        do { parsed = try HostPort.parse(text, allowEmptyHost: true) } catch { throw ParseError(reason: error.reason) }
        let name = PercentEncoding.decode(parsed.host)
        return .tcp(host: name.isEmpty ? "localhost" : name, port: parsed.port ?? 6379)
    }
}
