import EnvCheckCore
import Foundation
import TestSupport
import Testing

@testable import EnvCheckProbes

/// `http` over libcurl against nginx from Debian: plain, TLS with a test CA, a redirect, a
/// 503, a slow upstream, a Unix-domain socket, and a listener that never answers.
@Suite(.serialized, .requires(.nginx, .openssl, .serialRun))
struct HTTPIntegrationTests {
    let nginx: NginxTestServer
    init() async throws { nginx = try await NginxTestServer.start() }

    /// Runs the registered kind as the runner does (the certificate-expiry rule included);
    /// `config` is what `${VAR}` templates read.
    func run(
        _ url: String, options: JSONObject = JSONObject(), config: [String: String] = [:], timeout: Duration = .seconds(3)
    ) async -> ProbeResult {
        let spec = ProbeSpec(id: "web", kind: "http", required: true, timeout: timeout, bindings: ["url": url], options: options)
        let plans = Planner.plan(
            [spec], registry: BuiltInProbes.registry, config: ResolvedConfig(config), global: .init(), timeouts: .init())
        let result = await Runner(runDeadline: .after(timeout + .milliseconds(250)), redactor: Redactor(secrets: plans[0].secrets)).run(plans)[0]
        #expect(HTTPProbe.kind.undeclared(result.code, status: result.status) == nil)
        return result
    }

    @Test func aHealthEndpointPassesWithItsJSONChecked() async {
        let options: JSONObject = ["expect_json": .object(["/status": "ok", "/checks/db/up": "true", "/checks/db/latency_ms": "3"])]
        let r = await run(nginx.baseURL + "/healthz", options: options)
        #expect(r.status == .pass, "\(r.message)")
        #expect(r.message.hasPrefix("GET 127.0.0.1:\(nginx.port) answered 200 in ") && r.message.hasSuffix("3 JSON values as expected"))
        #expect(r.details["content_type"] == "application/json")
        let timings = r.details["timings_ms"]?.objectValue
        #expect(timings?.keys == ["dns", "connect", "tls", "first_byte", "total"])
        let wrong = await run(nginx.baseURL + "/healthz", options: ["expect_json": .object(["/version": "2.0.0"])])
        #expect(wrong.code?.rawValue == "body_mismatch" && wrong.message.hasSuffix(#"/version is "1.4.2", expected 2.0.0"#), "\(wrong.message)")
        let head = await run(nginx.baseURL + "/healthz", options: ["method": "HEAD"])
        #expect(head.status == .pass && head.details["method"] == "HEAD")
    }

    @Test func a503FailsWithTheStatusAndTheBodysFirstLine() async {
        let r = await run(nginx.baseURL + "/down")
        #expect(r.status == .fail && r.code?.rawValue == "unexpected_status")
        #expect(r.message == "GET 127.0.0.1:\(nginx.port) answered 503 (expected 2xx): maintenance until 14:00")
        #expect(await run(nginx.baseURL + "/down", options: ["expect_status": .array(["503"])]).status == .pass)
    }

    @Test func redirectsFailUnlessFollowedAcrossOriginsWithoutTheHeaders() async {
        let off = await run(nginx.baseURL + "/moved")
        #expect(off.code?.rawValue == "redirect" && off.message.contains("a redirect to http://127.0.0.1:\(nginx.port)"), "\(off.message)")
        let followed = await run(nginx.baseURL + "/moved", options: ["follow_redirects": true])
        #expect(followed.status == .pass && followed.message.contains("after 1 redirect"), "\(followed.message)")
        // To the TLS port (another origin), verified with the test CA.
        let across = await run(nginx.baseURL + "/elsewhere", options: ["follow_redirects": true, "ca_file": .string(nginx.certificates.caFile)])
        #expect(across.status == .pass, "\(across.message)")
        #expect(across.details["redirects"] == .array([.string("https://localhost:\(nginx.tlsPort)")]))
        #expect(across.details["certificate"] != nil)
        // The header went to the first origin only: the second one echoes an empty one.
        let token = Canary.make("xorigin")
        let headers: JSONObject = ["Authorization": "Bearer ${T}"]
        let sameOrigin = await run(nginx.baseURL + "/headers", options: ["headers": .object(headers), "expect_body": "auth=Bearer"], config: ["T": token])
        #expect(sameOrigin.status == .pass, "\(sameOrigin.message)")
        let dropped = await run(
            nginx.baseURL + "/elsewhere-headers",
            options: [
                "follow_redirects": true, "ca_file": .string(nginx.certificates.caFile), "headers": .object(headers), "expect_body": "auth=Bearer",
            ], config: ["T": token])
        #expect(dropped.code?.rawValue == "body_mismatch" && dropped.message.hasSuffix(": auth="), "\(dropped.message)")
    }

    @Test func headersReachTheServerAndNeverTheReport() async {
        let token = Canary.make("nginxtok")
        let options: JSONObject = [
            "headers": .object(["Authorization": "Bearer ${API_TOKEN}", "X-Env": "ci"]), "expect_body": "auth=Bearer ", "expect_status": .array(["2xx"]),
        ]
        let r = await run(nginx.baseURL + "/headers", options: options, config: ["API_TOKEN": token])
        #expect(r.status == .pass, "\(r.message)")
        // The server echoes the header: a status the probe does not expect quotes the body.
        let echoed = await run(
            nginx.baseURL + "/headers", options: ["headers": .object(["Authorization": "Bearer ${API_TOKEN}"]), "expect_status": .array(["500"])],
            config: ["API_TOKEN": token])
        #expect(echoed.code?.rawValue == "unexpected_status")
        #expect(echoed.message.contains("auth=[redacted] env="), "\(echoed.message)")  // the whole header value is a secret
        #expect(Canary.leaks([token], in: echoed.message + (echoed.hint ?? "") + JSONWriter.write(.object(echoed.details))).isEmpty)
    }

    @Test func tlsIsVerifiedWithTheTestCA() async {
        let verified = await run(nginx.tlsURL + "/healthz", options: ["ca_file": .string(nginx.certificates.caFile)])
        #expect(verified.status == .pass, "\(verified.message)")
        #expect((verified.details["timings_ms"]?.objectValue?["tls"]?.doubleValue ?? -1) >= 0)
        #expect([89, 90].contains(verified.details["certificate"]?.objectValue?["days_left"]?.doubleValue ?? 0))
        let systemOnly = await run(nginx.tlsURL + "/healthz")
        #expect(systemOnly.code?.rawValue == "tls", "\(systemOnly.message)")
        let unverified = await run(nginx.tlsURL + "/healthz", options: ["tls_verify": false])
        #expect(unverified.status == .warn && unverified.code?.rawValue == "tls_verify_disabled")
    }

    @Test func aSlowUpstreamTimesOut() async {
        let start = ContinuousClock.now
        let r = await run(nginx.baseURL + "/slow", timeout: .seconds(1))
        #expect(ContinuousClock.now - start < .milliseconds(1800))
        #expect(r.status == .fail && r.code?.rawValue == "timeout", "\(r.message)")
        #expect(nginx.hung.acceptedCount > 0, "nginx never reached the upstream")
    }

    @Test func aUnixSocketByURLAndByOption() async {
        let encoded = nginx.socketPath.replacingOccurrences(of: "/", with: "%2F")
        let byURL = await run("http+unix://\(encoded)/healthz", options: ["expect_json": .object(["/status": "ok"])])
        #expect(byURL.status == .pass, "\(byURL.message)")
        #expect(byURL.message.hasPrefix("GET unix:\(nginx.socketPath) answered 200"))
        let byOption = await run("http://app.local/healthz", options: ["unix_socket": .string(nginx.socketPath)])
        #expect(byOption.status == .pass, "\(byOption.message)")
        let missing = await run("http://app.local/healthz", options: ["unix_socket": .string(nginx.directory.path + "/none.sock")])
        #expect(missing.status == .fail, "\(missing.message)")
    }

    @Test func aHungListenerAndARefusedPortFail() async throws {
        let listener = try HungListener()
        let hung = await run("http://127.0.0.1:\(listener.port)/healthz", timeout: .seconds(1))
        #expect(hung.code?.rawValue == "timeout" && listener.acceptedCount > 0, "\(hung.message)")
        let refused = await run("http://127.0.0.1:\(try refusedPort())/healthz")
        #expect(refused.code?.rawValue == "connection_refused", "\(refused.message)")
    }
}

@Suite(.serialized, .requires(.nginx, .openssl, .serialRun))
struct HTTPCertificateExpiryTests {
    @Test func aCertificateNearExpiryWarns() async throws {
        let nginx = try await NginxTestServer.start(serverDays: 3)
        let spec = ProbeSpec(
            id: "web", kind: "http", bindings: ["url": nginx.tlsURL + "/healthz"], options: ["ca_file": .string(nginx.certificates.caFile)])
        let plans = Planner.plan([spec], registry: BuiltInProbes.registry, config: ResolvedConfig([:]), global: .init(), timeouts: .init())
        let r = await Runner(runDeadline: .after(.seconds(3))).run(plans)[0]
        #expect(r.status == .warn && r.code?.rawValue == "cert_expiring", "\(r.message)")
    }
}
