#if canImport(Glibc)
    import Glibc
#endif

/// Where `envcheck serve` listens (`--listen`, docs/serve.md): `IPv4:PORT`, `[IPv6]:PORT`,
/// `localhost:PORT` (both loopback addresses) or `unix:/path`. A bare `:PORT` and other
/// host names are refused: which interfaces a name binds is not something to guess.
public enum ListenAddress: Sendable, Equatable, CustomStringConvertible {
    /// An IP literal and a port. `optional`: `localhost`'s `::1`, left out where the
    /// machine has no IPv6 loopback.
    case tcp(host: String, port: Int, optional: Bool)
    case unix(path: String)

    public static let defaultText = "127.0.0.1:9850"

    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public let description: String
        init(_ text: String) { description = text }
    }

    /// The sockets `text` names, in binding order.
    public static func parse(_ text: String) throws(Failure) -> [ListenAddress] {
        let usage = "give IPv4:PORT, [IPv6]:PORT, localhost:PORT or unix:/path"
        guard !text.isEmpty, text.utf8.count <= 256, !text.contains(where: { $0.isWhitespace || $0.asciiValue.map { $0 < 32 } ?? false }) else {
            throw Failure("--listen '\(TerminalText.oneLine(String(text.prefix(64))))' is not an address: \(usage)")
        }
        if text.hasPrefix("unix:") {
            let path = String(text.dropFirst(5))
            guard path.hasPrefix("/") else { throw Failure("--listen \(text): a Unix socket path must be absolute (unix:/run/envcheck.sock)") }
            // sockaddr_un.sun_path holds 108 bytes, the terminating NUL included.
            guard path.utf8.count <= 107 else { throw Failure("--listen \(text): a Unix socket path is at most 107 bytes") }
            return [.unix(path: path)]
        }
        let host: String
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                throw Failure("--listen \(text): an IPv6 address is written [ADDRESS]:PORT")
            }
            host = String(text[text.index(after: text.startIndex)..<close])
            portText = text[text.index(close, offsetBy: 2)...]
            guard isIP(host, family: AF_INET6) else { throw Failure("--listen \(text): \(host) is not an IPv6 address") }
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw Failure("--listen \(text) has no port: \(usage)") }
            host = String(text[..<colon])
            portText = text[text.index(after: colon)...]
            if host.isEmpty {
                throw Failure("--listen \(text) has no address: give 127.0.0.1\(text) for this machine only, or 0.0.0.0\(text) for every interface")
            }
            if host.contains(":") { throw Failure("--listen \(text): write an IPv6 address in brackets, [\(host)]:PORT") }
            if host.lowercased() != "localhost" && !isIP(host, family: AF_INET) {
                throw Failure("--listen \(text): \(host) is neither an IP address nor localhost (\(usage))")
            }
        }
        guard let port = Int(portText), portText.allSatisfy(\.isASCII), (1...65535).contains(port) else {
            throw Failure("--listen \(text): the port must be a number from 1 to 65535")
        }
        if host.lowercased() == "localhost" {
            return [.tcp(host: "127.0.0.1", port: port, optional: false), .tcp(host: "::1", port: port, optional: true)]
        }
        return [.tcp(host: host, port: port, optional: false)]
    }

    /// Reachable only from this machine: 127.0.0.0/8, ::1, or a Unix socket.
    public var isLoopback: Bool {
        switch self {
        case .unix: return true
        case .tcp(let host, _, _): return host == "::1" || host.hasPrefix("127.")
        }
    }

    /// As URLs name it: `127.0.0.1:9850`, `[::1]:9850`, `unix:/run/envcheck.sock`.
    public var description: String {
        switch self {
        case .unix(let path): return "unix:" + path
        case .tcp(let host, let port, _): return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        }
    }

    static func isIP(_ text: String, family: Int32) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 16)
        return inet_pton(family, text, &buffer) == 1
    }
}
