#if canImport(Glibc)
import Glibc
#endif

/// Host-name resolution for the probe, done before libpq runs so that DNS stays inside the
/// deadline (libpq's own lookup is a blocking `getaddrinfo`, protocol-notes.md §10).
enum HostResolver {
    /// The numeric addresses of `name` in the resolver's order, without duplicates; empty
    /// when it does not resolve (libpq then looks it up itself and reports the error).
    /// Blocks: call it on a `Blocking` thread.
    /// Whether `name` is already an IPv4 or IPv6 address (then there is nothing to resolve).
    static func isNumeric(_ name: String) -> Bool {
        var buffer = in6_addr()
        return inet_pton(AF_INET, name, &buffer) == 1 || inet_pton(AF_INET6, name, &buffer) == 1
    }

    static func addresses(of name: String) -> [String] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(name, nil, &hints, &list) == 0, let list else { return [] }
        defer { freeaddrinfo(list) }
        var addresses: [String] = []
        var entry: UnsafeMutablePointer<addrinfo>? = list
        while let info = entry {
            var buffer = [CChar](repeating: 0, count: 1025)  // NI_MAXHOST
            if getnameinfo(info.pointee.ai_addr, info.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0 {
                let address = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                if !addresses.contains(address) { addresses.append(address) }
            }
            entry = info.pointee.ai_next
        }
        return addresses
    }
}
