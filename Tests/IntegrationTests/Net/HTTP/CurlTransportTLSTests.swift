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

    /// curl's own CA locations are off: the trust store envcheck hands it decides, the hashed
    /// directory alone or the bundle file, and `caFile` adds to either.
    @Test func theTrustStoreDecides() async throws {
        let withCA = try await offPool { try server.certificates.systemStore(includingCA: true) }
        let withoutCA = try await offPool { try server.certificates.systemStore(includingCA: false) }
        let hashed = TrustStore(file: nil, directories: [withCA])
        #expect(try await send(TLSOptions(trust: hashed)).get().status == 200)
        #expect(try await send(TLSOptions(trust: hashed), host: "localhost").get().status == 200)
        for store in [
            TrustStore(file: nil, directories: [withoutCA]), TrustStore(file: nil, directories: ["/nonexistent"]),
            TrustStore(file: nil, directories: []),
        ] {
            let failure = try #require(await send(TLSOptions(trust: store)).transportFailure, "\(store)")
            #expect(failure.code == .tls, "\(store)")
        }
        #expect(try await send(TLSOptions(trust: TrustStore(file: server.caFile, directories: []))).get().status == 200)
        let extra = TLSOptions(caFile: server.caFile, trust: TrustStore(file: nil, directories: [withoutCA]))
        #expect(try await send(extra).get().status == 200)
    }
}

/// The server's certificate comes back with the response, read from curl's `SSL *` while the
/// transfer runs, whether or not it was verified.
@Suite(.serialized, .requires(.openssl, .serialRun))
struct CurlTransportCertificateTests {
    func send(_ server: OpenSSLTestServer, _ tls: TLSOptions) async -> Result<HTTPResponse, ProbeFailure> {
        do throws(ProbeFailure) {
            return .success(try await CurlTransport().send(HTTPRequest(url: server.baseURL + "/", tls: tls), deadline: .after(.seconds(5))))
        } catch {
            return .failure(error)
        }
    }

    @Test func theResponseCarriesTheCertificatesExpiry() async throws {
        let server = try await OpenSSLTestServer.start(serverDays: 5)
        let now = Timestamp.nowEpochMs()
        for tls in [TLSOptions(caFile: server.caFile), TLSOptions(verify: false)] {
            let certificate = try #require(try await send(server, tls).get().certificate)
            #expect([4, 5].contains(certificate.daysLeft(nowEpochMs: now)))  // five days from a moment ago, rounded down
        }
        let stub = try HTTPStubServer { _ in HTTPStubServer.Response(status: 200) }
        let plain = try await CurlTransport().send(HTTPRequest(url: stub.baseURL + "/"), deadline: .after(.seconds(2)))
        #expect(plain.status == 200 && plain.certificate == nil)
    }

    @Test func anExpiredCertificateFailsVerificationAndIsReadWithout() async throws {
        let server = try await OpenSSLTestServer.start(serverDays: -1)
        let failure = try #require(await send(server, TLSOptions(caFile: server.caFile)).transportFailure)
        #expect(failure.code == .tls && failure.message.contains("expired"), "\(failure.message)")
        let certificate = try #require(try await send(server, TLSOptions(verify: false)).get().certificate)
        #expect(certificate.hasExpired(nowEpochMs: Timestamp.nowEpochMs()))
    }
}
