import EnvCheckCore
import HTTPTypes
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypes
import NIOPosix

#if canImport(Glibc)
    import Glibc
#endif

/// `serve`'s HTTP server: HummingbirdCore's HTTP/1.1 server (SwiftNIO underneath) answering
/// every request with ``ServeRoutes``. This is the only file that knows HTTP is served by a
/// library (docs/serve.md): one server per listen address, a deadline per connection
/// (``RequestDeadline``), header limits in the decoder, a connection cap, and a bounded
/// drain after SIGTERM.
public struct HTTPServeHost: ServeHost {
    public init() {}

    public func serve(
        _ addresses: [ListenAddress], routes: ServeRoutes, limits: ServeLimits, interruption: Interruption,
        listening: @escaping @Sendable ([ListenAddress]) -> Void
    ) async throws(ServeHostFailure) {
        var bound: [ListenAddress] = []
        for address in addresses where try Self.prepare(address) { bound.append(address) }
        let started = Started()
        let logger = Logger(label: "envcheck-serve", factory: { _ in SwiftLogNoOpLogHandler() })
        let addresses = bound
        let servers = addresses.map { address in
            Server(
                childChannelSetup: HTTP1Channel(
                    responder: Self.responder(routes, limits: limits),
                    configuration: .init(
                        additionalChannelHandlers: [RequestDeadline(read: limits.readTimeout, write: limits.writeTimeout)],
                        httpDecoderConfiguration: .init(
                            maxHeaderFieldSize: limits.maxHeaderBytes, maxHeaderListSize: limits.maxHeaderBytes,
                            maxHeaderFieldCount: limits.maxHeaderCount))),
                configuration: ServerConfiguration(
                    address: Self.bindAddress(address), serverName: nil, backlog: 256, reuseAddress: true,
                    availableConnectionsDelegate: MaximumAvailableConnections(limits.maxConnections)),
                onServerRunning: { _ in await started.arrive(total: addresses.count) { listening(addresses) } },
                eventLoopGroup: MultiThreadedEventLoopGroup.singleton, logger: logger)
        }
        // Every listener stops accepting at once (one after another, a second listener would
        // keep taking connections while the first drains).
        @Sendable func shutdownAll() async {
            await withTaskGroup(of: Void.self) { group in
                for server in servers { group.addTask { try? await server.shutdownGracefully() } }
            }
        }
        let token = interruption.observe { _ in Task { await shutdownAll() } }
        defer { interruption.stopObserving(token) }
        enum Ended: Sendable {
            case server(ServeHostFailure?)
            case drained
        }
        let failure: ServeHostFailure? = await withTaskGroup(of: Ended.self) { group in
            for (server, address) in zip(servers, addresses) {
                group.addTask {
                    do {
                        try await server.run()
                        return .server(nil)
                    } catch {
                        // A signal during start-up shuts a server down before it runs: that
                        // is the clean end, not a failure to listen.
                        if interruption.cause != nil { return .server(nil) }
                        return .server(ServeHostFailure("cannot listen on \(address): \(Self.reason(error))"))
                    }
                }
            }
            // After the signal the servers drain; whatever is still in flight at the end of
            // `drain` is cut off (the process exits).
            group.addTask {
                // Cancelled when a server fails first: then it ends at once.
                while interruption.cause == nil && !Task.isCancelled { try? await Task.sleep(for: .milliseconds(20)) }
                if !Task.isCancelled { try? await Task.sleep(for: limits.drain) }
                return .drained
            }
            var first: ServeHostFailure?
            var ended = 0
            loop: for await result in group {
                switch result {
                case .drained:
                    break loop
                case .server(let failure?) where first == nil && interruption.cause == nil:
                    first = failure
                    await shutdownAll()
                    break loop
                case .server:
                    // After the signal, every listener drains until it is done or the drain
                    // budget ends, whichever is first.
                    ended += 1
                    if ended == servers.count { break loop }
                }
            }
            group.cancelAll()
            return first
        }
        if let failure { throw failure }
    }

    /// Each request: read its head, answer from the routes, within the write deadline.
    static func responder(_ routes: ServeRoutes, limits: ServeLimits) -> HTTPChannelHandler.Responder {
        { request, writer, channel in
            let head = request.head
            let hasBody = head.headerFields[.contentLength].map { $0 != "0" } ?? false || head.headerFields[.transferEncoding] != nil
            let answer = await routes.respond(
                method: head.method.rawValue, target: head.path ?? "/", accept: head.headerFields[.accept], hasBody: hasBody)
            var fields = HTTPFields()
            fields[.contentType] = answer.contentType
            fields[.contentLength] = String(answer.body.utf8.count)
            fields[.cacheControl] = "no-store"
            if let allow = answer.allow { fields[.allow] = allow }
            if answer.close { fields[.connection] = "close" }
            let response = HTTPResponse(status: .init(code: answer.status), headerFields: fields)
            let body = head.method == .head ? ResponseBody() : ResponseBody(byteBuffer: ByteBuffer(string: answer.body))
            try await writer.write(response: response, body: body)
            if answer.close { try? await channel.close() }
        }
    }

    static func bindAddress(_ address: ListenAddress) -> BindAddress {
        switch address {
        case .unix(let path): return .unixDomainSocket(path: path)
        case .tcp(let host, let port, _): return .hostname(host, port: port)
        }
    }

    /// Whether to bind `address`: `localhost`'s `::1` only where the machine has an IPv6
    /// loopback; a Unix socket left behind by a server that is gone is removed (one that
    /// still answers is not: binding fails, naming it).
    static func prepare(_ address: ListenAddress) throws(ServeHostFailure) -> Bool {
        switch address {
        case .tcp(let host, _, let optional):
            guard optional, host == "::1" else { return true }
            let fd = socket(AF_INET6, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { return false }
            defer { close(fd) }
            var sa = sockaddr_in6()
            sa.sin6_family = sa_family_t(AF_INET6)
            sa.sin6_addr = in6addr_loopback
            return withUnsafePointer(to: &sa) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) == 0 }
            }
        case .unix(let path):
            var st = stat()
            guard lstat(path, &st) == 0 else { return true }
            guard st.st_mode & S_IFMT == S_IFSOCK else { throw ServeHostFailure("cannot listen on unix:\(path): a file that is not a socket is there") }
            let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { return true }
            defer { close(fd) }
            var sa = sockaddr_un()
            sa.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &sa.sun_path) { raw in
                for (i, byte) in path.utf8.enumerated() where i < raw.count - 1 { raw[i] = byte }
            }
            let answered = withUnsafePointer(to: &sa) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) == 0 }
            }
            if answered { throw ServeHostFailure("cannot listen on unix:\(path): another server answers there") }
            unlink(path)
            return true
        }
    }

    static func reason(_ error: any Error) -> String {
        if let io = error as? IOError { return String(cString: strerror(io.errnoCode)) }
        return String(describing: error)
    }
}

/// Calls `body` once every server of the run is listening.
actor Started {
    var count = 0
    func arrive(total: Int, _ body: @Sendable () -> Void) {
        count += 1
        if count == total { body() }
    }
}

/// Per-connection deadlines (``ServeLimits``): a request must arrive whole within `read` of
/// the connection opening or of the previous response, and a response must be written
/// within `write`; otherwise the connection is closed. A slow or stalled client so holds
/// one connection for a bounded time and never delays the others (the event loops never
/// block on it).
final class RequestDeadline: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    let read: TimeAmount
    let write: TimeAmount
    var timer: Scheduled<Void>?

    init(read: Duration, write: Duration) {
        self.read = .milliseconds(Int64(read.milliseconds))
        self.write = .milliseconds(Int64(write.milliseconds))
    }

    func handlerAdded(context: ChannelHandlerContext) { arm(context, read) }
    func handlerRemoved(context: ChannelHandlerContext) { disarm() }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .end = unwrapInboundIn(data) { disarm() }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let part = unwrapOutboundIn(data)
        if case .head = part { arm(context, write) }
        guard case .end = part else {
            context.write(data, promise: promise)
            return
        }
        // The response is out once its end is flushed: the next request's time starts.
        let written = promise ?? context.eventLoop.makePromise()
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        written.futureResult.assumeIsolated().whenSuccess {
            let (handler, context) = loopBound.value
            handler.arm(context, handler.read)
        }
        context.write(data, promise: written)
    }

    func arm(_ context: ChannelHandlerContext, _ after: TimeAmount) {
        disarm()
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: after) { loopBound.value.close(promise: nil) }
    }

    func disarm() {
        timer?.cancel()
        timer = nil
    }
}
