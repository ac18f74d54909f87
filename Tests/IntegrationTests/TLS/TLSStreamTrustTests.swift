import EnvCheckCore
import EnvCheckProbes
import Foundation
import TestSupport
import Testing

/// envcheck's own TLS (the Redis probe's) against `openssl s_server`: the trust store it is
/// given decides, as it does for curl (CurlTransportTLSTests.theTrustStoreDecides).
@Suite(.serialized, .requires(.openssl, .serialRun))
struct TLSStreamTrustTests {
    let server: OpenSSLTestServer
    init() async throws { server = try await OpenSSLTestServer.start() }

    /// A handshake with `tls` and `GET /`: the first line of the answer, or the error.
    func exchange(_ tls: TLSOptions, host: String = "127.0.0.1") async throws -> Result<String, NetError> {
        let port = server.port
        return try await offPool {
            let deadline = Deadline.after(.seconds(5))
            do throws(NetError) {
                let addresses = try Resolver.resolve(host: host, port: port, deadline: deadline)
                var failures: [(error: NetError, at: ContinuousClock.Instant)] = []
                guard let socket = Socket.connect(to: addresses, deadline: deadline, failures: &failures) else {
                    return .failure(failures.last?.error ?? .closed)
                }
                let stream = try TLSStream.handshake(over: socket, host: host, tls: tls, deadline: deadline)
                try stream.write(Array("GET / HTTP/1.0\r\n\r\n".utf8), deadline: deadline)
                let answer = try stream.read(maximum: 4096, deadline: deadline)
                return .success(String(decoding: answer, as: UTF8.self).components(separatedBy: "\r\n")[0])
            } catch {
                return .failure(error)
            }
        }
    }

    @Test func aHashedStoreHoldingTheCAVerifies() async throws {
        let store = try await offPool { try server.certificates.systemStore(includingCA: true) }
        let tls = TLSOptions(trust: TrustStore(file: nil, directories: [store]))
        #expect(try await exchange(tls).get() == "HTTP/1.0 200 ok")
        #expect(try await exchange(tls, host: "localhost").get() == "HTTP/1.0 200 ok")
    }

    @Test func aStoreWithoutTheCAFailsVerification() async throws {
        let store = try await offPool { try server.certificates.systemStore(includingCA: false) }
        for trust in [TrustStore(file: nil, directories: [store]), TrustStore(file: nil, directories: ["/nonexistent"])] {
            let result = try await exchange(TLSOptions(trust: trust))
            guard case .failure(.tls(let reason)) = result else {
                Issue.record("\(trust): \(result)")
                continue
            }
            #expect(reason.hasPrefix("certificate verification failed"), "\(reason)")
        }
        let extra = TLSOptions(caFile: server.caFile, trust: TrustStore(file: nil, directories: [store]))
        #expect(try await exchange(extra).get() == "HTTP/1.0 200 ok")
    }

    @Test func theBundleFileServesWhenNamed() async throws {
        #expect(try await exchange(TLSOptions(trust: TrustStore(file: server.caFile, directories: []))).get() == "HTTP/1.0 200 ok")
        let result = try await exchange(TLSOptions(caFile: "/nonexistent/ca.pem", trust: TrustStore(file: nil, directories: [])))
        #expect(result == .failure(.caFile("/nonexistent/ca.pem")))
    }
}
