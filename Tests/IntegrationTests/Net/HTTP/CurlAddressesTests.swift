import EnvCheckCore
import Foundation
import TestSupport
import Testing

@testable import EnvCheckProbes

/// The HTTP layer when a name has two addresses, `::1` first (curl is told so with
/// CURLOPT_RESOLVE, as stock Debian's /etc/hosts would for `localhost`), and the server
/// listens on 127.0.0.1 only: curl's happy eyeballs find it, and the result is what it
/// answered, with each address's outcome beside it.
@Suite(.serialized)
struct CurlAddressesTests {
    func transport(_ port: Int) -> CurlTransport { CurlTransport(resolve: ["dual.test:\(port):[::1],127.0.0.1"]) }

    func send(_ url: String, port: Int, tls: TLSOptions = TLSOptions()) async -> Result<HTTPResponse, ProbeFailure> {
        do throws(ProbeFailure) {
            return .success(try await transport(port).send(HTTPRequest(url: url, tls: tls), deadline: .after(.seconds(3))))
        } catch {
            return .failure(error)
        }
    }

    func addresses(_ details: JSONObject) -> [[String]] {
        (details["addresses"]?.arrayValue ?? []).compactMap(\.objectValue).map { entry in
            ["address", "outcome", "code"].compactMap { entry[$0]?.stringValue }
        }
    }

    /// `openssl s_server` on 127.0.0.1 only, its log kept to prove it saw the handshake.
    func withTLSServer(_ body: (Int, TestCertificates, String) async throws -> Void) async throws {
        let certs = try await TestCertificates.make()
        let port = try refusedPort()
        let log = certs.directory.path + "/s_server.log"
        let server = try await offPool {
            let server = try TestServerProcess(
                "/usr/bin/openssl",
                [
                    "s_server", "-www", "-accept", "127.0.0.1:\(port)",
                    "-cert", certs.serverCertificate, "-key", certs.serverKey,
                ], log: log)
            try server.waitUntilListening(port: port)
            return server
        }
        #expect(tcpConnectErrno("::1", port) == ECONNREFUSED, "the premise: nothing on ::1")
        try await body(port, certs, log)
        _ = try? await offPool { server.stop() }
    }

    @Test func aWrongCAOnIPv4IsTLSNotConnectionRefused() async throws {
        try await withTLSServer { port, certs, log in
            let failure = try #require(await send("https://dual.test:\(port)/", port: port, tls: TLSOptions(caFile: certs.otherCAFile)).transportFailure)
            #expect(failure.code == .tls, "\(failure.message)")
            #expect(addresses(failure.details) == [["[::1]:\(port)", "failed", "connection_refused"], ["127.0.0.1:\(port)", "failed", "tls"]])
            #expect(failure.message.hasSuffix("; by address: [::1]:\(port) connection_refused, 127.0.0.1:\(port) tls"), "\(failure.message)")
            #expect(failure.hint?.contains("ca_file") == true)
            let serverLog = try String(contentsOfFile: log, encoding: .utf8)
            #expect(serverLog.contains("alert"), "the 127.0.0.1 server saw the handshake fail: \(serverLog)")
        }
    }

    @Test func aCertificateForAnotherNameIsTLS() async throws {
        try await withTLSServer { port, certs, _ in
            let failure = try #require(await send("https://dual.test:\(port)/", port: port, tls: TLSOptions(caFile: certs.caFile)).transportFailure)
            #expect(failure.code == .tls, "\(failure.message)")
            #expect(addresses(failure.details).map { $0.last } == ["connection_refused", "tls"])
        }
    }

    @Test func anAnswerCarriesTheAddressesAndAProbeRanksItsVerdictWithThem() async throws {
        let stub = try HTTPStubServer { _ in .json(401, #"{"error":{"code":401,"message":"No auth credentials found"}}"#) }
        #expect(tcpConnectErrno("::1", stub.port) == ECONNREFUSED)
        let response = try await send("http://dual.test:\(stub.port)/api/v1/key", port: stub.port).get()
        #expect(response.status == 401)
        #expect(
            addresses(JSONObject(dictionaryLiteral: ("addresses", response.addresses.details)))
                == [["[::1]:\(stub.port)", "failed", "connection_refused"], ["127.0.0.1:\(stub.port)", "connected"]])
        // The openrouter probe over the same transport: its 401 verdict wins.
        let config = ResolvedConfig(["OPENROUTER_API_KEY": "sk-or-v1-test", "OPENROUTER_BASE_URL": "http://dual.test:\(stub.port)/api/v1"])
        guard case .ready(let probe) = OpenRouterProbe.kind(.init(transport: transport(stub.port))).setup(ProbeSettings(id: "openrouter", config: config))
        else { throw TestServerError("probe was not ready") }
        let outcome = await Runner.outcome(of: probe, ProbeContext(id: "openrouter", deadline: .after(.seconds(3)), timeout: .seconds(3)))
        #expect(outcome.code?.rawValue == "invalid_key", "\(outcome.message)")
        #expect(addresses(outcome.details) == [["[::1]:\(stub.port)", "failed", "connection_refused"], ["127.0.0.1:\(stub.port)", "failed", "invalid_key"]])
        #expect(outcome.message.hasSuffix("by address: [::1]:\(stub.port) connection_refused, 127.0.0.1:\(stub.port) invalid_key"))
        #expect(stub.requests.count == 2, "both requests reached the 127.0.0.1 server")
    }

    @Test func nothingListeningAnywhereIsConnectionRefusedForEach() async throws {
        let port = try refusedPort()
        let failure = try #require(await send("http://dual.test:\(port)/", port: port).transportFailure)
        #expect(failure.code == .connectionRefused)
        #expect(addresses(failure.details) == [["[::1]:\(port)", "failed", "connection_refused"], ["127.0.0.1:\(port)", "failed", "connection_refused"]])
    }

    /// A silent ::1: happy eyeballs start 127.0.0.1 after 200 ms, and it answers.
    @Test func aSilentIPv6AddressIsAbandonedWhenIPv4Answers() async throws {
        let stub = try HTTPStubServer { _ in .init(status: 204) }
        let silent = try UnansweredIPv6Port(port: stub.port)
        try #require(silent.isSilent(), "the premise: a connect to [::1]:\(stub.port) hangs")
        let response = try await send("http://dual.test:\(stub.port)/", port: stub.port).get()
        #expect(response.status == 204)
        #expect(
            addresses(JSONObject(dictionaryLiteral: ("addresses", response.addresses.details)))
                == [["[::1]:\(stub.port)", "abandoned"], ["127.0.0.1:\(stub.port)", "connected"]])
        withExtendedLifetime(silent) {}
    }
}
