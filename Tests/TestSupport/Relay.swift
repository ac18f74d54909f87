import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Copies bytes both ways between two connected sockets, each way on a thread of its own,
/// until either side closes; then closes both. The one relay of the test proxies.
/// `firstReplyDelay`: how long to hold the first bytes `upstream` sends before passing them on.
func relay(_ client: Int32, _ upstream: Int32, firstReplyDelay: Duration = .zero) {
    let done = DispatchGroup()
    for (from, to, delay) in [(client, upstream, Duration.zero), (upstream, client, firstReplyDelay)] {
        done.enter()
        Thread.detachNewThread {
            var buffer = [UInt8](repeating: 0, count: 16384)
            var first = true
            while true {
                let n = Glibc.read(from, &buffer, buffer.count)
                if n <= 0 { break }
                if first && delay > .zero { Thread.sleep(forTimeInterval: Double(delay.milliseconds) / 1000) }
                first = false
                if !writeAll(to, buffer[0..<n]) { break }
            }
            shutdown(to, Int32(SHUT_WR))
            done.leave()
        }
    }
    done.wait()
    Glibc.close(client)
    Glibc.close(upstream)
}

/// Writes every byte, or returns false when the peer has gone.
func writeAll(_ fd: Int32, _ bytes: ArraySlice<UInt8>) -> Bool {
    var rest = bytes
    while !rest.isEmpty {
        let n = rest.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        if n <= 0 { return false }
        rest = rest.dropFirst(n)
    }
    return true
}

/// A TCP proxy in front of a local server that holds each connection's first answer from
/// the server for `delay`, as a server far away does, and passes everything else through
/// byte for byte (TLS inside stays valid). The server sees each connection at once (a
/// PostgreSQL backend is forked and holds a connection slot); its client hears back only
/// after `delay`. So connections opened together are, by construction, open together.
public final class SlowReplyProxy: @unchecked Sendable {
    private let listener: TCPListener
    public var port: Int { listener.port }

    public init(upstreamPort: Int, delay: Duration) throws {
        listener = try TCPListener(backlog: 512)
        listener.acceptLoop { client in
            guard let upstream = connectLoopback(port: upstreamPort) else {
                Glibc.close(client)
                return
            }
            relay(client, upstream, firstReplyDelay: delay)
        }
    }

    deinit { listener.close() }
}
