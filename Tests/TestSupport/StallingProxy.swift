import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A TCP proxy in front of a local HTTP server that passes every request through, byte for
/// byte (a signed request stays valid), except the ones `stalls` picks: those it reads and
/// never answers, as a step of an exchange that hangs. It decides on the first request of
/// each connection (envcheck's transport sends one per connection).
public final class StallingProxy: @unchecked Sendable {
    private let listener: TCPListener
    private let lock = NSLock()
    private var held: [(request: String, fd: Int32)] = []
    public var port: Int { listener.port }
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// `stalls(method, path)`: whether to hold that request unanswered.
    public init(upstreamPort: Int, stalls: @escaping @Sendable (_ method: String, _ path: String) -> Bool) throws {
        listener = try TCPListener()
        listener.acceptLoop { [weak self] client in
            guard let (head, buffered) = Self.readHead(client) else {
                Glibc.close(client)
                return
            }
            let parts = head.split(separator: " ", maxSplits: 2)
            let method = parts.first.map(String.init) ?? ""
            let path = parts.count > 1 ? String(parts[1]) : ""
            if stalls(method, path) {
                guard let self else {
                    Glibc.close(client)
                    return
                }
                self.lock.withLock { self.held.append(("\(method) \(path)", client)) }
                return
            }
            Self.forward(client, buffered, to: upstreamPort)
        }
    }

    /// The requests held so far, as `METHOD path`.
    public var stalled: [String] { lock.withLock { held.map(\.request) } }

    deinit {
        listener.close()
        for (_, fd) in held { Glibc.close(fd) }
    }

    /// Reads up to the end of the request head; returns the request line and every byte read.
    private static func readHead(_ fd: Int32) -> (String, [UInt8])? {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 8192)
        while HTTPStubServer.find(Array("\r\n\r\n".utf8), in: data) == nil {
            let n = Glibc.read(fd, &buffer, buffer.count)
            if n <= 0 { return nil }
            data.append(contentsOf: buffer[0..<n])
        }
        let line = data.prefix { $0 != UInt8(ascii: "\r") }
        return (String(decoding: line, as: UTF8.self), data)
    }

    /// Connects to the upstream, sends what was read, then copies both ways until either
    /// side closes.
    private static func forward(_ client: Int32, _ buffered: [UInt8], to upstreamPort: Int) {
        guard let upstream = connectLoopback(port: upstreamPort) else {
            Glibc.close(client)
            return
        }
        guard writeAll(upstream, buffered[...]) else {
            Glibc.close(client)
            Glibc.close(upstream)
            return
        }
        relay(client, upstream)
    }
}
