import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A small HTTP/1.1 server for tests: each request goes to `handler`, which returns the
/// response (or nil to never answer). Plain HTTP on 127.0.0.1; one request per connection.
public final class HTTPStubServer: @unchecked Sendable {
    public struct Request: Sendable {
        public let method: String
        public let path: String
        public let headers: [String: String]
        public let body: [UInt8]
        public func header(_ name: String) -> String? { headers[name.lowercased()] }
    }

    public struct Response: Sendable {
        public var status: Int
        public var headers: [(String, String)]
        public var body: [UInt8]

        public init(status: Int, headers: [(String, String)] = [], body: String = "") {
            self.status = status
            self.headers = headers
            self.body = Array(body.utf8)
        }

        public static func json(_ status: Int, _ body: String, headers: [(String, String)] = []) -> Response {
            Response(status: status, headers: [("Content-Type", "application/json")] + headers, body: body)
        }
    }

    private let listener: TCPListener
    private let lock = NSLock()
    private var received: [Request] = []
    public var port: Int { listener.port }
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    public init(port: Int = 0, _ handler: @escaping @Sendable (Request) -> Response?) throws {
        listener = try TCPListener(port: port)
        listener.acceptLoop { [weak self] client in
            guard let request = Self.read(client) else {
                Glibc.close(client)
                return
            }
            self?.record(request)
            guard let response = handler(request) else { return }  // hang: keep the socket open
            Self.write(response, to: client, head: request.method == "HEAD")
            Glibc.close(client)
        }
    }

    /// Requests seen so far.
    public var requests: [Request] {
        lock.lock()
        defer { lock.unlock() }
        return received
    }

    private func record(_ r: Request) {
        lock.lock()
        received.append(r)
        lock.unlock()
    }

    static func read(_ fd: Int32) -> Request? {
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 8192)
        var headerEnd: Int?
        while headerEnd == nil {
            let n = Glibc.read(fd, &buffer, buffer.count)
            if n <= 0 { return nil }
            data.append(contentsOf: buffer[0..<n])
            headerEnd = find(Array("\r\n\r\n".utf8), in: data)
        }
        let head = String(decoding: data[0..<headerEnd!], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Array(data[(headerEnd! + 4)...])
        let length = Int(headers["content-length"] ?? "0") ?? 0
        while body.count < length {
            let n = Glibc.read(fd, &buffer, buffer.count)
            if n <= 0 { break }
            body.append(contentsOf: buffer[0..<n])
        }
        return Request(method: String(requestLine[0]), path: String(requestLine[1]), headers: headers, body: body)
    }

    static func write(_ response: Response, to fd: Int32, head: Bool) {
        var text = "HTTP/1.1 \(response.status) \(reason(response.status))\r\n"
        for (k, v) in response.headers { text += "\(k): \(v)\r\n" }
        text += "Content-Length: \(response.body.count)\r\nConnection: close\r\n\r\n"
        var bytes = Array(text.utf8)
        if !head { bytes += response.body }
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n <= 0 { return }
            offset += n
        }
    }

    static func find(_ needle: [UInt8], in hay: [UInt8]) -> Int? {
        guard hay.count >= needle.count else { return nil }
        for i in 0...(hay.count - needle.count) where hay[i] == needle[0] && Array(hay[i..<i + needle.count]) == needle {
            return i
        }
        return nil
    }

    static func reason(_ status: Int) -> String {
        [
            200: "OK", 204: "No Content", 301: "Moved Permanently", 400: "Bad Request", 401: "Unauthorized",
            402: "Payment Required", 403: "Forbidden", 404: "Not Found", 429: "Too Many Requests",
            500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
        ][status] ?? "Status"
    }
}
