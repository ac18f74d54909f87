import Dispatch
import EnvCheckCore

#if canImport(Glibc)
    import Glibc
#endif

/// One resolved socket address (IPv4 or IPv6), copied out of `getaddrinfo`'s list.
public struct SocketAddress: Sendable {
    public let family: Int32
    let bytes: [UInt8]

    /// `127.0.0.1` or `::1`, for messages.
    public var ip: String {
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        bytes.withUnsafeBytes { raw in
            if family == AF_INET6 {
                var a = raw.loadUnaligned(as: sockaddr_in6.self).sin6_addr
                _ = inet_ntop(AF_INET6, &a, &text, socklen_t(text.count))
            } else {
                var a = raw.loadUnaligned(as: sockaddr_in.self).sin_addr
                _ = inet_ntop(AF_INET, &a, &text, socklen_t(text.count))
            }
        }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The port, from the address itself.
    public var port: Int {
        bytes.withUnsafeBytes { raw in
            Int(
                UInt16(
                    bigEndian: family == AF_INET6
                        ? raw.loadUnaligned(as: sockaddr_in6.self).sin6_port
                        : raw.loadUnaligned(as: sockaddr_in.self).sin_port))
        }
    }

    /// `127.0.0.1:6379`, `[::1]:6379`: how messages and `details.addresses` name it.
    public var label: String { HostPort(host: ip, port: port).description }
}

/// Name resolution that ends by a deadline. `getaddrinfo` cannot be interrupted, so it
/// runs on a worker of its own and is abandoned (its late answer discarded) when the
/// deadline passes first (docs/protocols.md §10).
public enum Resolver {
    /// Whether `host` is already an IPv4 or IPv6 address: then there is nothing to look up.
    public static func isNumericAddress(_ host: String) -> Bool {
        var buffer = in6_addr()
        return inet_pton(AF_INET, host, &buffer) == 1 || inet_pton(AF_INET6, host, &buffer) == 1
    }

    public static func resolve(host: String, port: Int, deadline: Deadline) throws(NetError) -> [SocketAddress] {
        // A literal address never waits for a resolver: no worker, no semaphore (the
        // deadline still holds, as for any name).
        if isNumericAddress(host) {
            guard deadline.remainingMilliseconds > 0 else { throw .timeout }
            return try lookup(host: host, port: port).get()
        }
        let box = ResultBox()
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            box.result = lookup(host: host, port: port)
            done.signal()
        }
        let ms = Int(deadline.remainingMilliseconds)
        guard ms > 0, done.wait(timeout: .now() + .milliseconds(ms)) == .success, let result = box.result else {
            throw .timeout
        }
        return try result.get()
    }

    /// Written by the worker before it signals; read only after a successful wait.
    private final class ResultBox: @unchecked Sendable {
        var result: Result<[SocketAddress], NetError>?
    }

    private static func lookup(host: String, port: Int) -> Result<[SocketAddress], NetError> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let first = list else {
            let reason = rc == EAI_SYSTEM ? String(cString: strerror(errno)) : String(cString: gai_strerror(rc))
            return .failure(.dns("\(host): \(reason)"))
        }
        defer { freeaddrinfo(first) }
        var addresses: [SocketAddress] = []
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let info = node {
            let family = info.pointee.ai_family
            if let addr = info.pointee.ai_addr, family == AF_INET || family == AF_INET6 {
                let raw = UnsafeRawBufferPointer(start: addr, count: Int(info.pointee.ai_addrlen))
                addresses.append(SocketAddress(family: family, bytes: Array(raw)))
            }
            node = info.pointee.ai_next
        }
        return addresses.isEmpty ? .failure(.dns("\(host): no IPv4 or IPv6 address")) : .success(addresses)
    }
}
