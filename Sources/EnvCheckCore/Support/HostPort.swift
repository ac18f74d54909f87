/// The `host[:port]` part of a URL, read by one rule for every probe that parses one
/// itself (Redis and S3; libpq and libcurl read theirs): the host lowercased, an IPv6
/// address in brackets (`[::1]:6379`), the port, when given, a number from 1 to 65535.
/// An empty port (`host:`) counts as none, as RFC 3986 says.
public struct HostPort: Sendable, Equatable, CustomStringConvertible {
    /// Lowercased; an IPv6 address without its brackets.
    public var host: String
    /// Nil when the text names none.
    public var port: Int?

    public init(host: String, port: Int? = nil) {
        self.host = host
        self.port = port
    }

    /// Why the text was rejected. The reason never quotes it: the authority sits next to
    /// the password in a URL, and a mistyped one may hold part of it.
    public struct ParseError: Error, Equatable, Sendable {
        public let reason: String
    }

    /// Whether the host is an IPv6 address.
    public var isIPv6: Bool { host.contains(":") }

    /// `localhost`, `::1` or `127.x.x.x`: this machine, whichever machine that is.
    public static func isLoopback(_ host: String) -> Bool {
        let h = host.lowercased()
        return h == "localhost" || h == "::1" || h.hasPrefix("127.")
    }

    /// The host as a URL or a `Host` header writes it: an IPv6 address in brackets.
    public var uriHost: String { isIPv6 ? "[\(host)]" : host }

    /// `host:port` (`[v6]:port`), or the host alone when there is no port.
    public var description: String { port.map { "\(uriHost):\($0)" } ?? uriHost }

    /// Reads `host`, `host:port`, `[v6]` or `[v6]:port`. An empty host is an error unless
    /// `allowEmptyHost` (redis-py's `redis://` means localhost): then `host` is "".
    public static func parse(_ text: some StringProtocol, allowEmptyHost: Bool = false) throws(ParseError) -> HostPort {
        let text = Substring(text)
        var host: Substring
        var portText: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw ParseError(reason: "the IPv6 address has no closing ']'") }
            host = text[text.index(after: text.startIndex)..<close]
            guard host.contains(":") else { throw ParseError(reason: "the text in brackets is not an IPv6 address") }
            let after = text[text.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw ParseError(reason: "unexpected text after the IPv6 address") }
                portText = after.dropFirst()
            }
        } else {
            let colon = text.firstIndex(of: ":")
            host = text[..<(colon ?? text.endIndex)]
            if let colon { portText = text[text.index(after: colon)...] }
            guard !host.contains(where: { $0 == "[" || $0 == "]" }) else { throw ParseError(reason: "the host has a stray '[' or ']'") }
            if let portText, portText.contains(":") {
                throw ParseError(reason: "the host has more than one ':' (write an IPv6 address in brackets, as in [::1]:PORT)")
            }
        }
        guard allowEmptyHost || !host.isEmpty else { throw ParseError(reason: "the host is empty") }
        return HostPort(host: host.lowercased(), port: try port(portText ?? ""))
    }

    /// Nil for no port; ASCII digits only (no sign, no spaces).
    private static func port(_ text: Substring) throws(ParseError) -> Int? {
        guard !text.isEmpty else { return nil }
        guard text.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(text), (1...65_535).contains(value) else {
            throw ParseError(reason: "the port is not a number from 1 to 65535")
        }
        return value
    }
}
