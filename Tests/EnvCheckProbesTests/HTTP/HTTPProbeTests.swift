import EnvCheckCore
import ProbeTestSupport
import TestSupport
import Testing

@testable import EnvCheckProbes

@Suite struct HTTPProbeTests {
    let token = Canary.make("httptok")

    func setup(_ url: String, options: JSONObject = JSONObject(), config: [String: String] = [:], transport: FakeHTTPTransport) -> ProbeSetup {
        let settings = ProbeSettings(id: "web", config: ResolvedConfig(config), bindings: ["url": url], options: options)
        return HTTPProbe.kind(.init(transport: transport)).setup(settings)
    }

    func run(
        _ url: String = "https://app.internal:8443/healthz?key=abc", options: JSONObject = JSONObject(), config: [String: String] = [:],
        transport: FakeHTTPTransport
    ) async -> ProbeOutcome {
        switch setup(url, options: options, config: config, transport: transport) {
        case .ready(let probe):
            let outcome = await Runner.outcome(of: probe, ProbeContext(id: "web", deadline: .after(.seconds(2)), timeout: .seconds(2)))
            #expect(HTTPProbe.kind.undeclared(outcome.code, status: outcome.status) == nil, "\(outcome.code?.rawValue ?? "-")")
            let text = outcome.message.text + (outcome.hint?.text ?? "") + JSONWriter.write(.object(outcome.details))
            #expect(!text.contains("healthz") && !text.contains("key=abc"), "the path and query stay out of reports: \(text)")
            return outcome
        case .invalid(let failure): return failure.outcome
        case .notConfigured(let message): return .skip(message)
        }
    }

    static func answer(_ status: Int, _ body: String = "", headers: [(name: String, value: String)] = []) -> FakeHTTPTransport {
        FakeHTTPTransport { _ in .success(HTTPResponse(status: status, headers: headers, body: Array(body.utf8))) }
    }

    @Test func a2xxPassesWithTimingsAndNoPath() async {
        let transport = Self.answer(200, "ok", headers: [("Content-Type", "text/plain")])
        let outcome = await run(transport: transport)
        #expect(outcome.status == .pass, "\(outcome.message)")
        #expect(outcome.message.text.hasPrefix("GET app.internal:8443 answered 200 in "))
        #expect(outcome.details["status"] == 200 && outcome.details["endpoint"] == "app.internal:8443" && outcome.details["method"] == "GET")
        #expect(outcome.details["timings_ms"]?.objectValue?.keys == ["dns", "connect", "tls", "first_byte", "total"])
        #expect(outcome.details["content_type"] == "text/plain" && outcome.details["body_bytes"] == 2)
        let request = transport.requests[0]
        #expect(request.method == "GET" && request.url == "https://app.internal:8443/healthz?key=abc" && request.tls.verify)
    }

    @Test func anotherStatusFailsWithAnExcerptOfTheBody() async {
        let outcome = await run(transport: Self.answer(503, "upstream db down\nretry later"))
        #expect(outcome.status == .fail && outcome.code == .unexpectedStatus)
        #expect(outcome.message.text == "GET app.internal:8443 answered 503 (expected 2xx): upstream db down retry later")
        #expect(outcome.hint?.text.contains("expect_status") == true)
    }

    @Test func expectStatusTakesCodesAndClasses() async {
        let options: JSONObject = ["expect_status": .array([.string("200"), .string("401"), .string("3xx")])]
        #expect(await run(options: options, transport: Self.answer(401)).status == .pass)
        #expect(await run(options: options, transport: Self.answer(302, headers: [("Location", "/login")])).status == .pass)  // expected: not followed
        let other = await run(options: options, transport: Self.answer(204))
        #expect(other.code == .unexpectedStatus && other.message.text.contains("(expected 200 or 401 or 3xx)"))
        for bad in ["20", "600", "6xx", "2x", "ok"] {
            let outcome = await run(options: ["expect_status": .array([.string(bad)])], transport: Self.answer(200))
            #expect(outcome.status == .error && outcome.code == .invalidConfig, "\(bad)")
        }
    }

    @Test func aRedirectFailsUnlessFollowedAndNamesOnlyItsOrigin() async {
        let transport = Self.answer(302, headers: [("Location", "https://login.example.org/sso?token=\(token)")])
        let outcome = await run(transport: transport)
        #expect(outcome.code == .redirect, "\(outcome.message)")
        #expect(outcome.message.text == "GET app.internal:8443 answered 302, a redirect to https://login.example.org:443; follow_redirects is off")
        #expect(!outcome.message.text.contains(token))
    }

    @Test func followedRedirectsKeepHeadersOnTheirOriginOnly() async {
        let transport = FakeHTTPTransport { request in
            switch request.url {
            case "https://app.internal:8443/healthz?key=abc": .success(HTTPResponse(status: 301, headers: [("Location", "/v2/healthz")]))
            case "https://app.internal:8443/v2/healthz": .success(HTTPResponse(status: 307, headers: [("Location", "https://status.example.org/ok")]))
            case "https://status.example.org/ok": .success(HTTPResponse(status: 200, body: Array("fine".utf8)))
            default: .failure(ProbeFailure(.network, "unexpected \(request.url)"))
            }
        }
        let options: JSONObject = ["follow_redirects": true, "headers": .object(["Authorization": .string("Bearer ${TOKEN}")])]
        let outcome = await run(options: options, config: ["TOKEN": token], transport: transport)
        #expect(outcome.status == .pass, "\(outcome.message)")
        #expect(outcome.message.text.contains("answered 200 in") && outcome.message.text.contains("after 2 redirects"))
        #expect(outcome.details["redirects"] == .array(["https://app.internal:8443", "https://status.example.org:443"]))
        #expect(transport.requests.map { $0.headers.first?.value } == ["Bearer \(token)", "Bearer \(token)", nil])
    }

    /// After a redirect the host is the server's choice: a token in it is scrubbed.
    @Test func aRedirectTargetsHostIsUntrusted() async {
        let transport = FakeHTTPTransport { request in
            request.url.hasPrefix("https://app.internal")
                ? .success(HTTPResponse(status: 302, headers: [("Location", "https://\(token).evil.example/x")]))
                : .success(HTTPResponse(status: 500))
        }
        let outcome = await run(options: ["follow_redirects": true], transport: transport)
        #expect(outcome.code == .unexpectedStatus)
        let rendered = Redactor(secrets: [token]).result(id: "web", kind: "http", critical: false, outcome: outcome, durationMs: 0, attempts: 1)
        #expect(!rendered.message.contains(token) && rendered.message.contains("[redacted]"), "\(rendered.message)")
    }

    @Test func redirectsStopAfterFive() async {
        let transport = FakeHTTPTransport { request in .success(HTTPResponse(status: 302, headers: [("Location", request.url + "x")])) }
        let outcome = await run(options: ["follow_redirects": true], transport: transport)
        #expect(outcome.code == .redirect && outcome.message.text.hasPrefix("more than 5 redirects"))
        #expect(transport.requests.count == 6)
    }

    @Test func bodyAndJSONExpectations() async {
        let json = #"{"status":"ok","checks":[{"name":"db","up":true},{"name":"cache","latency":1.5}],"version":3}"#
        let good: JSONObject = [
            "expect_body": "\"db\"",
            "expect_json": .object(["/status": "ok", "/checks/0/up": "true", "/checks/1/latency": "1.50", "/version": "3"]),
        ]
        let pass = await run(options: good, transport: Self.answer(200, json))
        #expect(pass.status == .pass, "\(pass.message)")
        #expect(pass.message.text.hasSuffix("; the body contains expect_body, 4 JSON values as expected"))
        let wrong = await run(options: ["expect_json": .object(["/status": "healthy", "/missing": "x"])], transport: Self.answer(200, json))
        #expect(wrong.code == .bodyMismatch)
        #expect(wrong.message.text == #"GET app.internal:8443 answered 200, but no value at /missing; /status is "ok", expected healthy"#)
        let notJSON = await run(options: ["expect_json": .object(["/status": "ok"])], transport: Self.answer(200, "<html>"))
        #expect(notJSON.code == .bodyMismatch && notJSON.message.text.hasSuffix("but the body is not JSON: <html>"))
        let missing = await run(options: ["expect_body": "READY"], transport: Self.answer(200, "starting"))
        #expect(missing.code == .bodyMismatch && missing.message.text.hasSuffix("but the body does not contain expect_body: starting"))
        let badPointer = await run(options: ["expect_json": .object(["status": "ok"])], transport: Self.answer(200, json))
        #expect(badPointer.status == .error && badPointer.code == .invalidConfig)
        let head = await run(options: ["method": "HEAD", "expect_body": "x"], transport: Self.answer(200))
        #expect(head.status == .error && head.message.text.contains("HEAD answer has no body"))
    }

    @Test func headersAreSentAndNeverShownEvenWhenEchoed() async {
        let transport = FakeHTTPTransport { request in
            let auth = request.headers.first { $0.name == "Authorization" }?.value ?? ""
            return .success(HTTPResponse(status: 401, body: Array("denied for \(auth)".utf8)))
        }
        let options: JSONObject = ["headers": .object(["Authorization": .string("Bearer ${TOKEN}"), "X-Trace": "1"])]
        let outcome = await run(options: options, config: ["TOKEN": token], transport: transport)
        #expect(outcome.code == .unexpectedStatus)
        #expect(!outcome.message.text.contains(token), "\(outcome.message)")
        #expect(transport.requests[0].headers.map(\.name) == ["Authorization", "X-Trace"])
        let badName = await run(options: ["headers": .object(["Bad Name": "x"])], transport: transport)
        #expect(badName.status == .error && badName.code == .invalidConfig)
    }

    @Test func theHeadersAndTheirPartsAreSecretsOfThePlan() {
        let kind = HTTPProbe.kind
        let spec = ProbeSpec(
            id: "web", kind: "http", bindings: ["url": "http://u:\(token)x@app/"],
            options: ["headers": .object(["Authorization": .string("Basic ${BASIC}"), "X-Api-Key": .string("k-${PART}")])])
        let basic = Base64.encode(Array("svc:\(token)".utf8))
        let config = ResolvedConfig(["BASIC": basic, "PART": "apipart1234"])
        let plan = Planner.plan([spec], registry: ProbeRegistry([kind]), config: config, global: .init(), timeouts: .init())[0]
        for secret in [basic, "Basic \(basic)", "svc:\(token)", token, "apipart1234", "k-apipart1234", token + "x"] {
            #expect(plan.secrets.contains(secret), "\(secret)")
        }
    }

    @Test func aHeaderNamingAnUnsetVariableIsAnError() async {
        let spec = ProbeSpec(id: "api", kind: "http", bindings: ["url": "http://app/"], options: ["headers": .object(["Authorization": "Bearer ${TOKEN}"])])
        let plan = Planner.plan([spec], registry: ProbeRegistry([HTTPProbe.kind]), config: ResolvedConfig([:]), global: .init(), timeouts: .init())[0]
        guard case .invalid(let failure) = plan.setup else { return #expect(Bool(false), "the probe must not run") }
        #expect(failure.code == .invalidConfig && failure.message.text == "option headers (Authorization) of probe api names TOKEN, which is not set or empty")
        // Empty is the same as unset, and a number is a header value (and a secret) too.
        let empty = Planner.plan([spec], registry: ProbeRegistry([HTTPProbe.kind]), config: ResolvedConfig(["TOKEN": ""]), global: .init(), timeouts: .init())[
            0]
        guard case .invalid = empty.setup else { return #expect(Bool(false), "an empty variable must not send `Bearer `") }
        let numeric = ProbeSpec(
            id: "api", kind: "http", bindings: ["url": "http://app/"], options: ["headers": .object(["X-Api-Key": .int(98_765_432_101_234)])])
        let withNumber = Planner.plan([numeric], registry: ProbeRegistry([HTTPProbe.kind]), config: ResolvedConfig([:]), global: .init(), timeouts: .init())[0]
        #expect(withNumber.secrets.contains("98765432101234"))
        let defaulted = ProbeSpec(id: "api", kind: "http", bindings: ["url": "http://app/"], options: ["headers": .object(["X-Env": "${ENV_NAME:-ci}"])])
        let ready = Planner.plan([defaulted], registry: ProbeRegistry([HTTPProbe.kind]), config: ResolvedConfig([:]), global: .init(), timeouts: .init())[0]
        guard case .ready = ready.setup else { return #expect(Bool(false), "a default is a value") }
    }

    @Test func unixSocketsByURLOrOption() async {
        let transport = Self.answer(200)
        let byURL = await run("http+unix://%2Frun%2Fapp.sock/healthz", transport: transport)
        #expect(byURL.status == .pass && byURL.message.text.hasPrefix("GET unix:/run/app.sock answered 200"), "\(byURL.message)")
        #expect(transport.requests[0].unixSocket == "/run/app.sock" && transport.requests[0].url == "http://localhost/healthz")
        let byOption = await run("http://app/healthz", options: ["unix_socket": "/run/app.sock"], transport: transport)
        #expect(byOption.status == .pass && transport.requests[1].unixSocket == "/run/app.sock")
        let relative = await run("http+unix://run.sock/healthz", transport: transport)
        #expect(relative.status == .error && relative.code == .invalidURL)
    }

    @Test func setupRejectsWhatCannotBeChecked() async {
        let transport = Self.answer(200)
        #expect(await run("ftp://files/x", transport: transport).code == .invalidURL)
        #expect(await run("not a url", transport: transport).code == .invalidURL)
        #expect(await run(options: ["method": "POST"], transport: transport).code == .invalidConfig)
        #expect(await run("", transport: transport).status == .skip)
        #expect(transport.requests.isEmpty)
    }

    @Test func unverifiedTLSIsAWarningAndTheCertificateIsHandedOn() async {
        let certificate = PeerCertificate(notAfterEpochSeconds: 4_000_000_000)
        let transport = FakeHTTPTransport { _ in .success(HTTPResponse(status: 200, certificate: certificate)) }
        let outcome = await run(options: ["tls_verify": false], transport: transport)
        #expect(outcome.status == .warn && outcome.code == .tlsVerifyDisabled && outcome.certificate == certificate)
        #expect(await run("http://app:8080/", options: ["tls_verify": false], transport: Self.answer(200)).status == .pass)
    }
}
