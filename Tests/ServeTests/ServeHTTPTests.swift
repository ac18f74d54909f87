import EnvCheckCore
import EnvCheckServe
import Foundation
import Synchronization
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The HTTP server in this process, over a state the test fills: what each endpoint
/// answers, and that no client can take the server from the others.
@Suite("serve's HTTP server", .serialized)
struct ServeHTTPTests {
    static func result(_ id: String, _ status: ProbeStatus, critical: Bool = true, code: String? = nil) -> ProbeResult {
        ProbeResult(id: id, kind: "postgres", critical: critical, status: status, durationMs: 12, attempts: 1, message: "m", code: code.map { ErrorCode($0) })
    }

    /// Serves `state` on `addresses` (default: a free loopback port) while `body` runs, then
    /// interrupts and checks the server ended within `ServeLimits.drain` plus a margin.
    func serving(
        _ state: ServeState, on addresses: [ListenAddress]? = nil, limits: ServeLimits = ServeLimits(),
        _ body: (ServeClient.Address, [ListenAddress]) async throws -> Void
    ) async throws {
        let port = try refusedPort()
        let addresses = addresses ?? [.tcp(host: "127.0.0.1", port: port, optional: false)]
        let interruption = Interruption()
        let bound = Mutex<[ListenAddress]?>(nil)
        let server = Task {
            try await HTTPServeHost().serve(addresses, routes: ServeRoutes(state: state), limits: limits, interruption: interruption) { list in
                bound.withLock { $0 = list }
            }
        }
        let address: ServeClient.Address
        switch addresses[0] {
        case .unix(let path): address = .unix(path)
        case .tcp(let host, let port, _): address = .tcp(host: host, port: port)
        }
        do {
            let started = ContinuousClock.now
            while bound.withLock({ $0 }) == nil {
                if ContinuousClock.now - started > .seconds(10) { throw TestServerError("the server never listened") }
                try await Task.sleep(for: .milliseconds(10))
            }
            try await body(address, bound.withLock { $0 } ?? [])
        } catch {
            _ = interruption.interrupt(signal: SIGTERM)
            _ = try? await server.value
            throw error
        }
        let signalled = ContinuousClock.now
        _ = interruption.interrupt(signal: SIGTERM)
        try await server.value
        #expect(ContinuousClock.now - signalled < limits.drain + .milliseconds(500))
    }

    func recorded(_ results: [ProbeResult], interval: Duration = .seconds(30)) async -> ServeState {
        let state = ServeState(interval: interval)
        await state.record(results, required: [:], at: Timestamp.nowEpochMs())
        return state
    }

    @Test func endpointsAnswerFromTheState() async throws {
        let state = await recorded([Self.result("db", .fail, code: "connection_refused"), Self.result("cache", .pass, critical: false)])
        try await serving(state) { address, _ in
            let live = try ServeClient.request("/livez", at: address)
            #expect(live.status == 200 && live.body == "alive\n")
            let ready = try ServeClient.request("/readyz", at: address)
            #expect(ready.status == 503 && ready.body == "not ready: db connection_refused\n")
            #expect(ready.headers["content-type"] == "text/plain; charset=utf-8" && ready.headers["cache-control"] == "no-store")
            #expect(try ServeClient.request("/healthz", at: address).status == 503)
            let verbose = try ServeClient.request("/readyz?verbose", at: address)
            #expect(verbose.status == 503 && verbose.headers["content-type"] == "application/json")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(verbose.body.utf8)) as? [String: Any])
            #expect(json["mode"] as? String == "serve" && json["endpoint"] as? String == "/readyz" && json["http_status"] as? Int == 503)
            let accepted = try ServeClient.request("/healthz", at: address, headers: ["Accept": "application/json, text/plain"])
            #expect(accepted.headers["content-type"] == "application/json" && accepted.body.contains("\"endpoint\": \"/healthz\""))
            let metrics = try ServeClient.request("/metrics", at: address)
            #expect(metrics.status == 200 && metrics.headers["content-type"] == ServeRoutes.metricsContentType)
            #expect(metrics.body.contains("envcheck_probe_up{probe=\"db\",kind=\"postgres\",critical=\"true\"} 0\n"))
            #expect(try ServeClient.request("/nowhere", at: address).status == 404)
        }
    }

    /// The verbose answers are report documents in mode serve: before the first round
    /// (started_at null, 503 "starting") and after one, for both endpoints.
    @Test(.requires(.jsonSchemaValidator)) func verboseAnswersFollowTheReportSchema() async throws {
        try await serving(ServeState(interval: .seconds(30))) { address, _ in
            let starting = try ServeClient.request("/readyz?verbose", at: address)
            let document = try #require(try JSONSerialization.jsonObject(with: Data(starting.body.utf8)) as? [String: Any])
            #expect(starting.status == 503 && document["started_at"] is NSNull && document["mode"] as? String == "serve")
            try await SchemaValidator.validateJSON(starting.body)
        }
        let state = await recorded([Self.result("db", .fail, code: "connection_refused"), Self.result("cache", .warn, critical: false)])
        try await serving(state) { address, _ in
            for (target, headers) in [("/readyz?verbose", [:]), ("/healthz", ["Accept": "application/json"])] as [(String, [String: String])] {
                let r = try ServeClient.request(target, at: address, headers: headers)
                #expect(r.status == 503 && r.headers["content-type"]?.hasPrefix("application/json") == true)
                try await SchemaValidator.validateJSON(r.body)
            }
        }
        // Check's own report is not allowed serve's fields: the schema tells the modes apart.
        await #expect(throws: (any Error).self) {
            try await SchemaValidator.validateJSON(
                #"{"schema_version":1,"tool":"envcheck","mode":"check","status":"pass","started_at":null,"duration_ms":0,"probes":[]}"#)
        }
        await #expect(throws: (any Error).self) {
            try await SchemaValidator.validateJSON(
                #"{"schema_version":1,"tool":"envcheck","mode":"serve","status":"pass","started_at":null,"duration_ms":0,"probes":[]}"#)
        }
    }

    @Test func headKeepsTheLengthAndSendsNoBody() async throws {
        try await serving(await recorded([Self.result("db", .pass)])) { address, _ in
            let head = try ServeClient.request("/readyz", at: address, method: "HEAD")
            let get = try ServeClient.request("/readyz", at: address)
            #expect(head.status == 200 && head.body.isEmpty)
            #expect(head.headers["content-length"] == String(get.body.utf8.count))
        }
    }

    @Test func otherMethodsAndBodiesAreRefused() async throws {
        try await serving(await recorded([Self.result("db", .pass)])) { address, _ in
            let post = try ServeClient.request("/readyz", at: address, method: "POST", headers: ["Content-Length": "0"])
            #expect(post.status == 405 && post.headers["allow"] == "GET, HEAD")
            // A body is refused as soon as the head says so, and the connection closed: the
            // server never reads the megabyte.
            let text = "GET /readyz HTTP/1.1\r\nHost: x\r\nContent-Length: 1048576\r\n\r\n"
            let raw = try ServeClient.exchange(Array(text.utf8) + [UInt8](repeating: 65, count: 65536), at: address)
            let refused = try ServeClient.parse(raw)
            #expect(refused.status == 413 && refused.headers["connection"] == "close")
            let postWithBody = "POST /readyz HTTP/1.1\r\nHost: x\r\nContent-Length: 1048576\r\n\r\n"
            let raw405 = try ServeClient.exchange(Array(postWithBody.utf8) + [UInt8](repeating: 65, count: 65536), at: address)
            let refused405 = try ServeClient.parse(raw405)
            #expect(refused405.status == 405 && refused405.headers["connection"] == "close")
            #expect(try ServeClient.request("/livez", at: address).status == 200)
        }
    }

    @Test func oversizedHeadersAreRefusedAndTheServerGoesOn() async throws {
        try await serving(await recorded([Self.result("db", .pass)])) { address, _ in
            let big = String(repeating: "a", count: 32 * 1024)
            let raw = try ServeClient.exchange(Array("GET /livez HTTP/1.1\r\nHost: x\r\nX-Big: \(big)\r\n\r\n".utf8), at: address)
            let text = String(decoding: raw, as: UTF8.self)
            #expect(!text.hasPrefix("HTTP/1.1 200"), "a 32 KiB header must not be served: \(text.prefix(80))")
            let manyHeaders = (0..<200).map { "X-H\($0): v\r\n" }.joined()
            let raw2 = try ServeClient.exchange(Array("GET /livez HTTP/1.1\r\nHost: x\r\n\(manyHeaders)\r\n".utf8), at: address)
            #expect(!String(decoding: raw2, as: UTF8.self).hasPrefix("HTTP/1.1 200"), "200 headers must not be served")
            let longTarget = "/livez?" + String(repeating: "q", count: 64 * 1024)
            let raw3 = try ServeClient.exchange(Array("GET \(longTarget) HTTP/1.1\r\nHost: x\r\n\r\n".utf8), at: address)
            #expect(!String(decoding: raw3, as: UTF8.self).hasPrefix("HTTP/1.1 200"), "a 64 KiB request line must not be served")
            #expect(try ServeClient.request("/livez", at: address).status == 200)
        }
    }

    /// A client that sends half a request and stalls holds one connection until the read
    /// deadline, and the others are served meanwhile.
    @Test func aStalledClientDelaysNobodyAndIsClosedAtTheDeadline() async throws {
        var limits = ServeLimits()
        limits.readTimeout = .milliseconds(600)
        try await serving(await recorded([Self.result("db", .pass)]), limits: limits) { address, _ in
            let stalled = try ServeClient.connect(address, timeoutSeconds: 5)
            defer { close(stalled) }
            let partial = Array("GET /readyz HTTP/1.1\r\nHost: x\r\nX-Slow: ".utf8)
            _ = partial.withUnsafeBytes { send(stalled, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            let idle = try ServeClient.connect(address, timeoutSeconds: 5)  // connects and says nothing
            defer { close(idle) }
            let start = ContinuousClock.now
            for _ in 0..<20 { #expect(try ServeClient.request("/readyz", at: address, timeoutSeconds: 2).status == 200) }
            #expect(ContinuousClock.now - start < .seconds(2), "the others waited on the stalled client")
            // Trickling a byte now and then does not extend the deadline.
            var closedAt: ContinuousClock.Instant?
            var buffer = [UInt8](repeating: 0, count: 64)
            for _ in 0..<40 {
                var byte: UInt8 = 120
                if send(stalled, &byte, 1, Int32(MSG_NOSIGNAL)) < 0 {
                    closedAt = .now
                    break
                }
                var poll = pollfd(fd: stalled, events: Int16(POLLIN), revents: 0)
                if Glibc.poll(&poll, 1, 100) > 0 && read(stalled, &buffer, 64) <= 0 {
                    closedAt = .now
                    break
                }
            }
            let closed = try #require(closedAt, "the trickling client was never closed")
            #expect(closed - start < .seconds(3))
            #expect(read(idle, &buffer, 64) <= 0, "the silent client was not closed")
        }
    }

    @Test func aKeptAliveConnectionServesSeveralRequestsThenIdlesOut() async throws {
        var limits = ServeLimits()
        limits.readTimeout = .milliseconds(500)
        try await serving(await recorded([Self.result("db", .pass)]), limits: limits) { address, _ in
            let fd = try ServeClient.connect(address, timeoutSeconds: 3)
            defer { close(fd) }
            let request = Array("GET /livez HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
            var buffer = [UInt8](repeating: 0, count: 4096)
            for _ in 0..<3 {
                _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                let n = read(fd, &buffer, buffer.count)
                #expect(n > 0 && String(decoding: buffer[0..<max(n, 0)], as: UTF8.self).hasPrefix("HTTP/1.1 200"))
            }
            let start = ContinuousClock.now
            #expect(read(fd, &buffer, buffer.count) == 0, "the idle connection was not closed")
            #expect(ContinuousClock.now - start < .seconds(2))
        }
    }

    @Test func manyConcurrentClients() async throws {
        try await serving(await recorded([Self.result("db", .pass)])) { address, _ in
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for i in 0..<64 {
                    group.addTask { try await offPool { try ServeClient.request(i % 2 == 0 ? "/metrics" : "/readyz", at: address).status } }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.count == 64 && statuses.allSatisfy { $0 == 200 })
        }
    }

    /// `localhost` is both loopback addresses where the machine has both (a stock Debian
    /// does); where it has no `::1`, only 127.0.0.1.
    @Test func localhostListensOnBothLoopbacks() async throws {
        let port = try refusedPort()
        let addresses = try ListenAddress.parse("localhost:\(port)")
        let hasIPv6 = tcpConnectErrno("::1", try refusedPort()) == ECONNREFUSED
        try await serving(await recorded([Self.result("db", .pass)]), on: addresses) { _, bound in
            let v4 = try ServeClient.request("/livez", at: .tcp(host: "127.0.0.1", port: port))
            #expect(v4.status == 200)
            if hasIPv6 {
                #expect(bound.count == 2)
                let v6 = try ServeClient.request("/livez", at: .tcp(host: "::1", port: port))
                #expect(v6.status == 200)
            } else {
                #expect(bound.count == 1)
            }
        }
    }

    @Test func unixSocketReplacesAStaleOneAndRefusesAnythingElse() async throws {
        let dir = try TempDir()
        let path = dir.path + "/serve.sock"
        // A socket file left behind by a server that is gone.
        let stale = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var sa = sockaddr_un()
        sa.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &sa.sun_path) { raw in for (i, b) in path.utf8.enumerated() { raw[i] = b } }
        _ = withUnsafePointer(to: &sa) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(stale, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) } }
        close(stale)
        try await serving(await recorded([Self.result("db", .pass)]), on: [.unix(path: path)]) { address, _ in
            let ready = try ServeClient.request("/readyz", at: address)
            #expect(ready.status == 200)
        }
        let file = dir.path + "/not-a-socket"
        _ = FileManager.default.createFile(atPath: file, contents: Data("keep me".utf8))
        await #expect(throws: ServeHostFailure.self) {
            try await HTTPServeHost().serve(
                [.unix(path: file)], routes: ServeRoutes(state: ServeState(interval: .seconds(1))), limits: ServeLimits(), interruption: Interruption()
            ) { _ in }
        }
        #expect(FileManager.default.contents(atPath: file) == Data("keep me".utf8))
    }

    @Test func aTakenPortIsAClearFailure() async throws {
        let taken = try TCPListener()
        defer { taken.close() }
        do {
            try await HTTPServeHost().serve(
                [.tcp(host: "127.0.0.1", port: taken.port, optional: false)], routes: ServeRoutes(state: ServeState(interval: .seconds(1))),
                limits: ServeLimits(), interruption: Interruption()
            ) { _ in }
            Issue.record("serving on a taken port did not fail")
        } catch {
            #expect("\(error)" == "cannot listen on 127.0.0.1:\(taken.port): Address already in use")
        }
    }

    /// SIGTERM with a request half-sent and an idle connection open: the server still ends
    /// within the drain (the `serving` helper checks the time).
    @Test func drainsWithinItsBudgetDespiteStalledClients() async throws {
        try await serving(await recorded([Self.result("db", .pass)])) { address, _ in
            let stalled = try ServeClient.connect(address)
            _ = Array("GET /readyz HTTP/1.1\r\n".utf8).withUnsafeBytes { send(stalled, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            let idle = try ServeClient.connect(address)
            #expect(try ServeClient.request("/livez", at: address).status == 200)
            _ = (stalled, idle)
        }
    }
}
