import EnvCheckCore

#if canImport(Glibc)
    import Glibc
#endif

/// A connected, nonblocking stream socket (TCP or Unix) that owns its file descriptor.
/// Every call polls under the caller's deadline, so a silent peer ends at the deadline;
/// writes use `MSG_NOSIGNAL`, so a peer that went away is an error, not a SIGPIPE.
public final class Socket: ByteStream {
    private let fd: Int32

    private init(fd: Int32) { self.fd = fd }
    deinit { Glibc.close(fd) }

    /// Connects to the first of `addresses` that accepts, trying them in order, each with an
    /// equal share of the time left before `deadline` (the last one gets all that remains),
    /// so that an address that never answers cannot hide the ones after it. `failures` gets
    /// the error at each address tried before one connected, or at every address tried when
    /// none did (addresses the deadline left no time for are not tried), and when it ended.
    public static func connect(
        to addresses: [SocketAddress], deadline: Deadline,
        failures: inout [(error: NetError, at: ContinuousClock.Instant)]
    ) -> Socket? {
        for (i, address) in addresses.enumerated() {
            guard !deadline.hasPassed else { break }
            let share = Deadline(.now + deadline.remaining / (addresses.count - i)).capped(by: deadline)
            switch Result(catching: { () throws(NetError) -> Socket in try connect(to: address, deadline: share) }) {
            case .success(let socket): return socket
            case .failure(let error): failures.append((error, .now))
            }
        }
        return nil
    }

    /// Connects to one address by `deadline`.
    public static func connect(to address: SocketAddress, deadline: Deadline) throws(NetError) -> Socket {
        try address.bytes.withUnsafeBytes { raw in
            Result { () throws(NetError) -> Socket in
                try connect(
                    family: address.family, raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(raw.count), deadline: deadline)
            }
        }.get()
    }

    /// Connects to a Unix-domain socket at `path`.
    public static func connect(unixPath path: String, deadline: Deadline) throws(NetError) -> Socket {
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: addr.sun_path)
        guard pathBytes.count < capacity else { throw .system("the socket path is longer than \(capacity - 1) bytes") }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            raw.copyBytes(from: pathBytes)
            raw[pathBytes.count] = 0
        }
        let attempt = withUnsafePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                Result { () throws(NetError) -> Socket in
                    try connect(family: AF_UNIX, sa, socklen_t(MemoryLayout<sockaddr_un>.size), deadline: deadline)
                }
            }
        }
        return try attempt.get()
    }

    private static func connect(
        family: Int32, _ address: UnsafePointer<sockaddr>, _ length: socklen_t,
        deadline: Deadline
    ) throws(NetError) -> Socket {
        let fd = Glibc.socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .system(String(cString: strerror(errno))) }
        let socket = Socket(fd: fd)  // owns fd from here on, on every path
        if family != AF_UNIX {
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        }
        if Glibc.connect(fd, address, length) == 0 { return socket }
        guard errno == EINPROGRESS || errno == EAGAIN || errno == EINTR else { throw connectError(errno) }
        try socket.wait(for: Int16(POLLOUT), deadline: deadline)
        var code: Int32 = 0
        var size = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &size) == 0 else { throw .system(String(cString: strerror(errno))) }
        if code != 0 { throw connectError(code) }
        return socket
    }

    private static func connectError(_ code: Int32) -> NetError {
        let reason = String(cString: strerror(code))
        switch code {
        case ECONNREFUSED, ENOENT: return .refused(reason)
        case ETIMEDOUT: return .timeout
        default: return .system(reason)
        }
    }

    public func write(_ bytes: [UInt8], deadline: Deadline) throws(NetError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n > 0 {
                offset += n
                continue
            }
            switch errno {
            case EAGAIN, EWOULDBLOCK: try wait(for: Int16(POLLOUT), deadline: deadline)
            case EINTR: continue
            case EPIPE, ECONNRESET: throw .closed
            default: throw .system(String(cString: strerror(errno)))
            }
        }
    }

    public func read(maximum: Int, deadline: Deadline) throws(NetError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: maximum)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n >= 0 { return Array(buffer[0..<n]) }
            switch errno {
            case EAGAIN, EWOULDBLOCK: try wait(for: Int16(POLLIN), deadline: deadline)
            case EINTR: continue
            case ECONNRESET: throw .closed
            default: throw .system(String(cString: strerror(errno)))
            }
        }
    }

    /// Polls until the socket is ready for `events` or the deadline passes.
    private func wait(for events: Int16, deadline: Deadline) throws(NetError) {
        switch deadline.wait(for: events, on: fd) {
        case .ready: return  // ready, or an error the next call reports
        case .timedOut: throw .timeout
        case .failed(let reason): throw .system(reason)
        }
    }
}
