import EnvCheckCore

/// Where an `http` probe sends its request: an http(s) URL, or `http+unix://` with the
/// socket's path percent-encoded as the host (`http+unix://%2Frun%2Fapp.sock/healthz`), or
/// an http URL with the `unix_socket` option.
struct HTTPTarget: Sendable, Equatable {
    /// The URL libcurl gets (`http://localhost/healthz` over a socket).
    let url: String
    let unixSocket: String?

    init(url: String, unixSocket: String?) {
        self.url = url
        self.unixSocket = unixSocket
    }

    init(_ text: String, key: String, unixSocket option: String?) throws(ProbeFailure) {
        let trimmed = text.trimmingSpaces
        let unixScheme = "http+unix://"
        if trimmed.lowercased().hasPrefix(unixScheme) {
            let rest = trimmed.dropFirst(unixScheme.count)
            let hostEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
            let socket = PercentEncoding.decode(String(rest[..<hostEnd]))
            guard socket.hasPrefix("/"), option == nil else {
                throw .misconfigured(
                    .invalidURL,
                    option == nil
                        ? "\(key: key) is http+unix:// without an absolute socket path (percent-encode it: http+unix://%2Frun%2Fapp.sock/health)"
                        : "\(key: key) names a socket and so does unix_socket: give one")
            }
            let path = rest[hostEnd...]
            self.init(url: "http://localhost" + (path.hasPrefix("/") ? path : "/" + path), unixSocket: socket)
        } else {
            guard let parts = CurlURL.components(trimmed), parts.scheme == "http" || parts.scheme == "https" else {
                throw .misconfigured(.invalidURL, "\(key: key) is not an http(s) URL")
            }
            if let option, !option.hasPrefix("/") { throw .misconfigured(.invalidConfig, "unix_socket must be an absolute path") }
            self.init(url: trimmed, unixSocket: option.flatMap { $0.isEmpty ? nil : $0 })
        }
    }

    var isHTTPS: Bool { url.lowercased().hasPrefix("https://") }

    /// `app.internal:8080`, or `unix:/run/app.sock`: what messages name (never the path,
    /// query string or userinfo).
    var display: String {
        if let unixSocket { return "unix:" + unixSocket }
        return CurlURL.components(url).map { "\($0.host):\($0.port)" } ?? "?"
    }
}

/// One entry of `expect_status`: a code (`204`) or a class (`2xx`).
enum StatusPattern: Sendable, Equatable, CustomStringConvertible {
    case code(Int)
    case `class`(Int)

    init(_ text: String) throws(ProbeFailure) {
        let t = text.trimmingSpaces.lowercased()
        if t.count == 3, t.hasSuffix("xx"), let digit = Int(t.prefix(1)), (1...5).contains(digit) {
            self = .class(digit)
        } else if let code = Int(t), (100...599).contains(code) {
            self = .code(code)
        } else {
            throw .misconfigured(.invalidConfig, "expect_status: \(label: TerminalText.oneLine(String(text.prefix(20)))) is not a status (200) or class (2xx)")
        }
    }

    func matches(_ status: Int) -> Bool {
        switch self {
        case .code(let code): status == code
        case .class(let digit): status / 100 == digit
        }
    }

    var description: String {
        switch self {
        case .code(let code): String(code)
        case .class(let digit): "\(digit)xx"
        }
    }
}
