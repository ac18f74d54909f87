import EnvCheckCore
import EnvCheckProbes
import Foundation
import TestSupport
import Testing

/// HTTPS through the shared HTTP layer, against `openssl s_server` with a CA the test makes.
@Suite(.serialized, .requires(.openssl, .serialRun))
struct CurlTransportTLSTests {
    let server: OpenSSLTestServer
    init() async throws { server = try await OpenSSLTestServer.start() }

    func send(_ tls: TLSOptions, host: String = "127.0.0.1") async -> Result<HTTPResponse, ProbeFailure> {
        do throws(ProbeFailure) {
            let request = HTTPRequest(url: "https://\(host):\(server.port)/", tls: tls)
            return .success(try await CurlTransport().send(request, deadline: .after(.seconds(5))))
        } catch {
            return .failure(error)
        }
    }

    @Test func systemCAsRejectThePrivateCA() async throws {
        let failure = try #require(await send(TLSOptions()).transportFailure)
        #expect(failure.code == .tls)
        #expect(failure.message.hasPrefix("TLS with 127.0.0.1:\(server.port) failed: "))
        #expect(failure.message.contains("certificate"))
        #expect(failure.hint?.contains("ca_file") == true)
    }

    @Test func caFileMakesItVerify() async throws {
        let response = try await send(TLSOptions(caFile: server.caFile)).get()
        #expect(response.status == 200)
        #expect(response.timings.totalMs > 0)  // a TLS handshake and an exchange take more than 0.5 ms
        let byName = try await send(TLSOptions(caFile: server.caFile), host: "localhost").get()
        #expect(byName.status == 200)
    }

    @Test func verifyOffAcceptsAnyCertificate() async throws {
        let response = try await send(TLSOptions(verify: false)).get()
        #expect(response.status == 200)
        #expect(response.bodyText.contains("s_server"))
    }

    @Test func unreadableCAFileIsTLSWithAHint() async throws {
        let failure = try #require(await send(TLSOptions(caFile: "/nonexistent/ca.pem")).transportFailure)
        #expect(failure.code == .tls)
        #expect(failure.hint?.contains("ca_file") == true)
    }
}
