import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A TCP listener on 127.0.0.1 and a free port, for test servers.
public final class TCPListener: @unchecked Sendable {
    public let fd: Int32
    public let port: Int

    /// Listens on `port`, or on a free port when it is 0, queueing up to `backlog`
    /// connections not yet accepted.
    public init(port requested: Int = 0, backlog: Int32 = 64) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        guard fd >= 0 else { throw TestServerError("socket: \(String(cString: strerror(errno)))") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = UInt16(requested).bigEndian
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, backlog) == 0 else { throw TestServerError("bind/listen: \(String(cString: strerror(errno)))") }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        self.port = Int(UInt16(bigEndian: addr.sin_port))
    }

    /// Shared with the accept thread (which must not keep the listener alive).
    private final class State: @unchecked Sendable {
        let lock = NSLock()
        var looping = false
        var closed = false
    }
    private let state = State()

    /// Accepts connections on a background thread until closed. The thread owns the
    /// descriptor from then on and closes it when `accept` fails after ``close()``, so its
    /// number cannot be reused by another socket (another test's listener) while this loop
    /// may still call `accept` on it.
    public func acceptLoop(_ handle: @escaping @Sendable (Int32) -> Void) {
        let fd = self.fd
        let state = self.state
        state.lock.withLock { state.looping = true }
        Thread.detachNewThread {
            while true {
                let client = accept(fd, nil, nil)
                if client < 0 {
                    let error = errno
                    // Only close() ends the loop (its shutdown wakes accept); any other
                    // error (EINTR, ECONNABORTED, EMFILE) is retried, after a pause.
                    if state.lock.withLock({ state.closed }) {
                        Glibc.close(fd)
                        return
                    }
                    if error != EINTR { usleep(10_000) }
                    continue
                }
                Thread.detachNewThread { handle(client) }
            }
        }
    }

    /// Stops listening: `shutdown` wakes an accept loop, which then closes the descriptor.
    public func close() {
        let (alreadyClosed, loopOwnsFD) = state.lock.withLock { () -> (Bool, Bool) in
            defer { state.closed = true }
            return (state.closed, state.looping)
        }
        guard !alreadyClosed else { return }
        shutdown(fd, Int32(SHUT_RDWR))
        if !loopOwnsFD { Glibc.close(fd) }
    }
    deinit { close() }
}

public struct TestServerError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A server that accepts connections and never reads or writes: the hung dependency every
/// probe must give up on at its deadline (docs/protocols.md §9).
public final class HungListener: @unchecked Sendable {
    private let listener: TCPListener
    private let lock = NSLock()
    private var clients: [Int32] = []
    public var port: Int { listener.port }

    public init() throws {
        listener = try TCPListener()
        listener.acceptLoop { [weak self] client in
            guard let self else { return }
            self.lock.lock()
            self.clients.append(client)
            self.lock.unlock()
        }
    }

    /// Connections accepted so far.
    public var acceptedCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return clients.count
    }

    deinit {
        for c in clients { Glibc.close(c) }
    }
}

/// A port with nothing listening on it (connection refused), which a test that starts
/// its own server there later (redis-server with TLS, nginx) has to itself until then: never one handed out before in this process (two
/// calls in a row could otherwise get the same port from the kernel), and from below the
/// kernel's ephemeral range where there is room, so that no `bind(0)` and no outgoing
/// connection of any process is given it meanwhile.
public func refusedPort() throws -> Int {
    for _ in 0..<500 {
        let candidate: Int
        if let range = unassignedPorts {
            candidate = Int.random(in: range)
        } else {
            let listener = try TCPListener()
            candidate = listener.port
            listener.close()
        }
        guard handedOutPorts.withLock({ $0.insert(candidate).inserted }) else { continue }
        // Free now: nothing of this machine listens there.
        guard let listener = try? TCPListener(port: candidate) else { continue }
        listener.close()
        return candidate
    }
    throw TestServerError("no free port found for a server to start on")
}

private let handedOutPorts = Mutex<Set<Int>>([])

/// Ports the kernel never picks by itself: from 10000 to below
/// `net.ipv4.ip_local_port_range` (nil when that range starts too low to leave room).
private let unassignedPorts: ClosedRange<Int>? = {
    let text = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)) ?? ""
    guard let low = text.split(whereSeparator: \.isWhitespace).first.flatMap({ Int($0) }), low > 12_000 else { return nil }
    return 10_000...(low - 1)
}()

/// A blocking TCP connection to 127.0.0.1:`port`, or nil when it cannot be made. The one
/// client-side connect of the test servers and stand-ins.
public func connectLoopback(port: Int, receiveTimeoutSeconds: Int? = nil) -> Int32? {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return nil }
    if let receiveTimeoutSeconds {
        var timeout = timeval(tv_sec: receiveTimeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = in_port_t(UInt16(port).bigEndian)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else {
        close(fd)
        return nil
    }
    return fd
}

/// A blocking client that writes everything and reads until the server closes (5 s limit
/// per read).
public enum RawSocket {
    public static func exchange(port: Int, _ text: String) throws -> String { try exchange(port: port, bytes: Array(text.utf8)) }

    public static func exchange(port: Int, bytes: [UInt8]) throws -> String {
        guard let fd = connectLoopback(port: port, receiveTimeoutSeconds: 5) else { throw TestServerError("connect to port \(port) failed") }
        defer { close(fd) }
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, 4096) }
            if n <= 0 { break }
            out += buffer[0..<n]
        }
        return String(decoding: out, as: UTF8.self)
    }
}
