import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A blocking HTTP/1.1 client for `envcheck serve` in tests: one request per connection
/// (`Connection: close`), read to the end, over TCP (IPv4 or IPv6) or a Unix socket.
public enum ServeClient {
    public struct Response: Sendable, CustomStringConvertible {
        public let status: Int
        /// Lower-cased names.
        public let headers: [String: String]
        public let body: String
        public var description: String { "\(status) \(body)" }
    }

    public enum Address: Sendable {
        case tcp(host: String, port: Int)
        case unix(String)
    }

    public static func get(
        _ target: String, port: Int, method: String = "GET", headers: [String: String] = [:], timeoutSeconds: Int = 5
    ) throws -> Response {
        try request(target, at: .tcp(host: "127.0.0.1", port: port), method: method, headers: headers, timeoutSeconds: timeoutSeconds)
    }

    public static func request(
        _ target: String, at address: Address, method: String = "GET", headers: [String: String] = [:], timeoutSeconds: Int = 5
    ) throws -> Response {
        var text = "\(method) \(target) HTTP/1.1\r\nHost: envcheck\r\nConnection: close\r\n"
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { text += "\(name): \(value)\r\n" }
        text += "\r\n"
        let raw = try exchange(Array(text.utf8), at: address, timeoutSeconds: timeoutSeconds)
        return try parse(raw)
    }

    /// Connects, writes `bytes`, reads until the server closes.
    public static func exchange(_ bytes: [UInt8], at address: Address, timeoutSeconds: Int = 5) throws -> [UInt8] {
        let fd = try connect(address, timeoutSeconds: timeoutSeconds)
        defer { close(fd) }
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { break }  // the server may close early (a refused request): read its answer
            sent += n
        }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16384)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EAGAIN { throw TestServerError("no answer within \(timeoutSeconds)s") }
            if n <= 0 { break }
            out += buffer[0..<n]
        }
        return out
    }

    /// A connected socket with a receive timeout.
    public static func connect(_ address: Address, timeoutSeconds: Int = 5) throws -> Int32 {
        let family: Int32
        switch address {
        case .unix: family = AF_UNIX
        case .tcp(let host, _): family = host.contains(":") ? AF_INET6 : AF_INET
        }
        let fd = socket(family, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestServerError("socket: \(String(cString: strerror(errno)))") }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var rc: Int32
        switch address {
        case .unix(let path):
            var sa = sockaddr_un()
            sa.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &sa.sun_path) { raw in for (i, b) in path.utf8.enumerated() where i < raw.count - 1 { raw[i] = b } }
            rc = withUnsafePointer(to: &sa) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
        case .tcp(let host, let port) where family == AF_INET6:
            var sa = sockaddr_in6()
            sa.sin6_family = sa_family_t(AF_INET6)
            sa.sin6_port = in_port_t(UInt16(port).bigEndian)
            inet_pton(AF_INET6, host, &sa.sin6_addr)
            rc = withUnsafePointer(to: &sa) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        case .tcp(let host, let port):
            var sa = sockaddr_in()
            sa.sin_family = sa_family_t(AF_INET)
            sa.sin_port = in_port_t(UInt16(port).bigEndian)
            sa.sin_addr.s_addr = inet_addr(host)
            rc = withUnsafePointer(to: &sa) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        guard rc == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw TestServerError("connect \(address): \(reason)")
        }
        return fd
    }

    public static func parse(_ raw: [UInt8]) throws -> Response {
        let text = String(decoding: raw, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else { throw TestServerError("not an HTTP response: \(text.prefix(200))") }
        let lines = text[..<split.lowerBound].components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw TestServerError("bad status line: \(lines[0])") }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return Response(status: status, headers: headers, body: String(text[split.upperBound...]))
    }

    /// Polls `target` until `accept` holds for its answer (or `limit` passes).
    public static func poll(
        _ target: String, at address: Address, limit: Duration = .seconds(15), headers: [String: String] = [:],
        until accept: (Response) -> Bool
    ) async throws -> Response {
        let end = ContinuousClock.now + limit
        var last: String = "no answer"
        while ContinuousClock.now < end {
            if let r = try? request(target, at: address, headers: headers, timeoutSeconds: 2) {
                if accept(r) { return r }
                last = r.description
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestServerError("\(target) never gave the expected answer within \(limit); last: \(last)")
    }

    /// The `round` of a verbose answer.
    public static func round(_ r: Response) -> Int? {
        ((try? JSONSerialization.jsonObject(with: Data(r.body.utf8))) as? [String: Any])?["round"] as? Int
    }

    /// Every endpoint and variant of a serve that has finished a round: what a leak test
    /// searches.
    public static func everything(at address: Address) async throws -> String {
        _ = try await poll("/readyz?verbose", at: address) { (round($0) ?? 0) >= 1 }
        var out = ""
        for (target, headers) in [
            ("/livez", [:]), ("/readyz", [:]), ("/healthz", [:]), ("/readyz?verbose", [:]), ("/healthz?verbose=1", [:]),
            ("/healthz", ["Accept": "application/json"]), ("/metrics", [:]), ("/", [:]), ("/missing", [:]),
        ] as [(String, [String: String])] {
            let r = try request(target, at: address, headers: headers)
            out += "GET \(target)\n\(r.status)\n" + r.headers.map { "\($0.key): \($0.value)" }.sorted().joined(separator: "\n") + "\n\(r.body)\n"
        }
        return out
    }
}
