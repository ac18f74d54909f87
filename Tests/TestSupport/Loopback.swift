import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// How a plain TCP connect to `ip`:`port` ends within `timeoutMs`: 0 when it connected,
/// `ETIMEDOUT` when it neither connected nor failed in time, else its errno
/// (`ECONNREFUSED`, ...). Tests use it to prove their premise, e.g. that nothing listens
/// on `::1` at the port a server uses on 127.0.0.1. Blocks for at most `timeoutMs`.
public func tcpConnectErrno(_ ip: String, _ port: Int, timeoutMs: Int32 = 1000) -> Int32 {
    var storage = sockaddr_storage()
    let length: socklen_t
    let family: Int32
    if ip.contains(":") {
        var a = sockaddr_in6()
        a.sin6_family = sa_family_t(AF_INET6)
        a.sin6_port = UInt16(port).bigEndian
        guard inet_pton(AF_INET6, ip, &a.sin6_addr) == 1 else { return EINVAL }
        withUnsafeMutableBytes(of: &storage) { $0.copyBytes(from: withUnsafeBytes(of: a) { Array($0) }) }
        (length, family) = (socklen_t(MemoryLayout<sockaddr_in6>.size), AF_INET6)
    } else {
        var a = sockaddr_in()
        a.sin_family = sa_family_t(AF_INET)
        a.sin_port = UInt16(port).bigEndian
        guard inet_pton(AF_INET, ip, &a.sin_addr) == 1 else { return EINVAL }
        withUnsafeMutableBytes(of: &storage) { $0.copyBytes(from: withUnsafeBytes(of: a) { Array($0) }) }
        (length, family) = (socklen_t(MemoryLayout<sockaddr_in>.size), AF_INET)
    }
    let fd = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
    guard fd >= 0 else { return errno }
    defer { close(fd) }
    let rc = withUnsafePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, length) } }
    if rc == 0 { return 0 }
    guard errno == EINPROGRESS else { return errno }
    var descriptor = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
    guard poll(&descriptor, 1, timeoutMs) == 1 else { return ETIMEDOUT }
    var code: Int32 = 0
    var size = socklen_t(MemoryLayout<Int32>.size)
    getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &size)
    return code
}

/// A port on `::1` that never answers a connect: a listener whose accept queue (one slot)
/// is already taken by a connection of its own, so the kernel drops every further SYN and
/// connects neither succeed nor fail until their own timeout — the blackholed IPv6 address
/// that broken dual-stack networks have. `isSilent` proves it for the test's premise.
public final class UnansweredIPv6Port: @unchecked Sendable {
    public let port: Int
    private let listener: Int32
    private let filler: Int32

    /// On `port` (the one a server uses on 127.0.0.1), or a free one when 0.
    public init(port requested: Int = 0) throws {
        let listener = socket(AF_INET6, Int32(SOCK_STREAM.rawValue), 0)
        var a = sockaddr_in6()
        a.sin6_family = sa_family_t(AF_INET6)
        a.sin6_port = UInt16(requested).bigEndian
        a.sin6_addr = in6addr_loopback
        let size = socklen_t(MemoryLayout<sockaddr_in6>.size)
        let bound = withUnsafePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, size) } }
        guard listener >= 0, bound == 0, listen(listener, 0) == 0 else {
            close(listener)
            throw TestServerError("bind/listen on [::1]:\(requested): \(String(cString: strerror(errno)))")
        }
        var len = size
        _ = withUnsafeMutablePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &len) } }
        let filler = socket(AF_INET6, Int32(SOCK_STREAM.rawValue), 0)
        let connected = withUnsafePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(filler, $0, size) } }
        guard connected == 0 else {
            close(filler)
            close(listener)
            throw TestServerError("could not fill the accept queue: \(String(cString: strerror(errno)))")
        }
        (self.listener, self.filler, port) = (listener, filler, Int(UInt16(bigEndian: a.sin6_port)))
    }

    /// Whether a connect to it really hangs (for `timeoutMs`).
    public func isSilent(timeoutMs: Int32 = 300) -> Bool { tcpConnectErrno("::1", port, timeoutMs: timeoutMs) == ETIMEDOUT }

    deinit {
        close(filler)
        close(listener)
    }
}

/// Runs `arguments` under `unshare -m` with `hosts` bind-mounted over `/etc/hosts` in a
/// mount namespace of its own, so that host names resolve as that file says (stock
/// Debian's dual-stack `localhost`, which a test machine may lack) without touching the
/// machine's file. See ``runWithMount(_:over:_:environment:)``; run `getent ahosts NAME`
/// through it first.
public func runWithPrivateHosts(_ hosts: String, _ arguments: [String], environment: [String: String]) async throws -> ProgramOutput {
    try await runWithMount(hosts, over: "/etc/hosts", arguments, environment: environment)
}

/// Runs `arguments` under `unshare -m` with `source` bind-mounted over `target` (a file or a
/// directory, such as `/etc/ssl/certs`) in a mount namespace of its own: the machine's
/// `target` is never touched. Needs root (or CAP_SYS_ADMIN). The command runs only if the
/// mount worked: a failed `unshare` exits 1, a failed mount 97, each with the reason on
/// stderr, and the caller must fail on that, never skip.
public func runWithMount(_ source: String, over target: String, _ arguments: [String], environment: [String: String]) async throws
    -> ProgramOutput
{
    let script = "mount --bind \"$0\" \"$1\" || exit 97; shift; exec \"$@\""
    var environment = environment
    environment["PATH"] = environment["PATH"] ?? "/usr/sbin:/usr/bin:/sbin:/bin"
    return try await runProgram("/usr/bin/unshare", ["-m", "/bin/sh", "-c", script, source, target] + arguments, environment: environment)
}
