import EnvCheckCore
import ProbeTestSupport
import TestSupport
import Testing

@testable import EnvCheckProbes

@Suite struct OTLPProbeTests {
    let token = Canary.make("otlptok")
    var config: [String: String] {
        [
            "OTEL_EXPORTER_OTLP_ENDPOINT": "https://otel.internal:4318", "OTEL_SERVICE_NAME": "shop-api",
            "OTEL_RESOURCE_ATTRIBUTES": "deployment.environment.name=production,service.version=1.2.3,team=core%2Cplatform",
            "ENVIRONMENT": "production", "OTEL_EXPORTER_OTLP_HEADERS": "authorization=Bearer%20\(token)",
        ]
    }

    func run(_ config: [String: String]? = nil, transport: FakeHTTPTransport = FakeHTTPTransport(status: 200, json: "")) async -> ProbeOutcome {
        let settings = ProbeSettings(id: "otlp", config: ResolvedConfig(config ?? self.config))
        switch OTLPProbe.kind(.init(transport: transport)).setup(settings) {
        case .ready(let probe):
            let outcome = await Runner.outcome(of: probe, ProbeContext(id: "otlp", deadline: .after(.seconds(2)), timeout: .seconds(2)))
            #expect(OTLPProbe.kind.undeclared(outcome.code, status: outcome.status) == nil, "\(outcome.code?.rawValue ?? "-")")
            // Rendered as the runner does: a token in a trusted part would survive this.
            let rendered = Redactor(secrets: [token]).result(id: "otlp", kind: "otlp", critical: false, outcome: outcome, durationMs: 0, attempts: 1)
            let text = rendered.message + (rendered.hint ?? "") + JSONWriter.write(.object(rendered.details))
            #expect(Canary.leaks([token], in: text).isEmpty, "\(text)")
            return outcome
        case .invalid(let failure): return failure.outcome
        case .notConfigured(let message): return .skip(message)
        }
    }

    @Test func anAcceptedExportPassesAndTheRequestIsAnEmptyOTLPExport() async throws {
        let transport = FakeHTTPTransport(status: 200, json: "")
        let outcome = await run(transport: transport)
        #expect(outcome.status == .pass, "\(outcome.message)")
        #expect(outcome.message.text.hasPrefix("the collector at otel.internal:4318 accepted an empty trace export (http/protobuf, "))
        let request = try #require(transport.requests.first)
        #expect(request.method == "POST" && request.url == "https://otel.internal:4318/v1/traces")
        #expect(request.headers.map(\.name) == ["Content-Type", "authorization"] && request.headers[0].value == "application/x-protobuf")
        #expect(request.headers[1].value == "Bearer \(token)")  // percent-decoded, as the spec wants
        // The body is one ResourceSpans: a resource and one ScopeSpans naming envcheck, no span.
        let top = try #require(Protobuf.fields(request.body))
        #expect(top.count == 1 && top[0].number == 1)
        guard case .bytes(let resourceSpans) = top[0].value, let inner = Protobuf.fields(resourceSpans) else { return #expect(Bool(false)) }
        #expect(inner.map(\.number) == [1, 2])
        let text = String(decoding: request.body, as: UTF8.self)
        for piece in ["service.name", "shop-api", "deployment.environment.name", "production", "team", "core,platform", "envcheck"] {
            #expect(text.contains(piece), "\(piece)")
        }
    }

    @Test func jsonIsTheOtherEncodingAndATracesEndpointIsUsedAsGiven() async throws {
        var config = self.config
        config["OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"] = "http/json"
        config["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = "https://ingest.example.org/otlp/traces"
        let transport = FakeHTTPTransport(status: 200, json: "{}")
        #expect(await run(config, transport: transport).status == .pass)
        let request = try #require(transport.requests.first)
        #expect(request.url == "https://ingest.example.org/otlp/traces" && request.headers[0].value == "application/json")
        let json = try #require(try JSONParser.parse(request.body).objectValue)
        let spans = json["resourceSpans"]?.arrayValue?.first?.objectValue
        #expect(spans?["scopeSpans"]?.arrayValue?.first?.objectValue?["spans"] == .array([]))
        #expect(spans?["resource"]?.objectValue?["attributes"]?.arrayValue?.first?.objectValue?["key"] == "service.name")
    }

    @Test func partialSuccessIsAWarningWithTheCollectorsWords() async {
        var partial: [UInt8] = []
        var inner: [UInt8] = []
        Protobuf.appendVarint(1 << 3, to: &inner)
        Protobuf.appendVarint(0, to: &inner)
        Protobuf.appendBytes(2, Array("spans older than 24h dropped".utf8), to: &inner)
        Protobuf.appendBytes(1, inner, to: &partial)
        let body = partial
        let transport = FakeHTTPTransport { _ in .success(HTTPResponse(status: 200, body: body)) }
        let outcome = await run(transport: transport)
        #expect(outcome.status == .warn && outcome.code == .partialSuccess, "\(outcome.message)")
        #expect(outcome.message.text.hasSuffix("a partial success (0 rejected): spans older than 24h dropped"))
    }

    @Test func errorStatusesAreRejectedWithTheStatusMessage() async {
        var status: [UInt8] = []
        Protobuf.appendVarint(1 << 3, to: &status)
        Protobuf.appendVarint(16, to: &status)
        Protobuf.appendBytes(2, Array("invalid api key \(token)".utf8), to: &status)
        let body = status
        let transport = FakeHTTPTransport { _ in .success(HTTPResponse(status: 401, body: body)) }
        let outcome = await run(transport: transport)
        #expect(outcome.code == .exportRejected && outcome.message.text.contains("answered 401 to an empty trace export: invalid api key"))
        #expect(outcome.hint?.text.contains("OTEL_EXPORTER_OTLP_HEADERS") == true)
        let notFound = await run(transport: FakeHTTPTransport { _ in .success(HTTPResponse(status: 404, body: Array("404 page not found".utf8))) })
        #expect(notFound.message.text.hasSuffix(": 404 page not found") && notFound.hint?.text.contains("/v1/traces is added") == true)
        let html = await run(transport: FakeHTTPTransport { _ in .success(HTTPResponse(status: 200, body: Array("\u{1}\u{2}\u{3}".utf8))) })
        #expect(html.code == .protocolError)
    }

    @Test func theResourceIsJudged() async {
        var config = self.config
        config["OTEL_SERVICE_NAME"] = nil
        let unnamed = await run(config)
        #expect(unnamed.status == .warn && unnamed.code == .serviceNameMissing)
        config["OTEL_RESOURCE_ATTRIBUTES"] = "service.name=shop-api,deployment.environment=staging"
        let mismatch = await run(config)
        #expect(mismatch.code == .environmentMismatch, "\(mismatch.message)")
        #expect(mismatch.message.text.contains("deployment.environment is staging, but the app's environment is production (ENVIRONMENT)"))
        // Two names of one environment (prod, production) agree; NODE_ENV alone is a build
        // mode, with nothing to compare.
        config["OTEL_RESOURCE_ATTRIBUTES"] = "service.name=shop-api,deployment.environment=prod"
        #expect(await run(config).status == .pass)
        var nodeOnly = config
        nodeOnly["ENVIRONMENT"] = nil
        nodeOnly["NODE_ENV"] = "production"
        nodeOnly["OTEL_RESOURCE_ATTRIBUTES"] = "service.name=shop-api,deployment.environment=staging"
        #expect(await run(nodeOnly).status == .pass)
        config["OTEL_RESOURCE_ATTRIBUTES"] = "service.name=shop-api"
        let absent = await run(config)
        #expect(absent.code == .environmentMismatch && absent.hint?.text == "add deployment.environment.name=production to OTEL_RESOURCE_ATTRIBUTES")
        config["ENVIRONMENT"] = nil
        #expect(await run(config).status == .pass)  // nothing to compare with
        config["OTEL_RESOURCE_ATTRIBUTES"] = "service.name=shop-api,broken"
        let broken = await run(config)
        #expect(broken.status == .error && broken.code == .invalidResourceAttributes)
        #expect(broken.message.text == "OTEL_RESOURCE_ATTRIBUTES entry 2: no '=' between a key and a value")
        config["OTEL_RESOURCE_ATTRIBUTES"] = "a=%zz"
        #expect(await run(config).code == .invalidResourceAttributes)
    }

    @Test func setupCases() async {
        #expect(await run([:]).status == .skip)
        var config = self.config
        config["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc"
        let grpc = await run(config)
        #expect(grpc.status == .error && grpc.code == .unsupportedProtocol)
        config["OTEL_EXPORTER_OTLP_PROTOCOL"] = "thrift"
        #expect(await run(config).code == .invalidConfig)
        config["OTEL_EXPORTER_OTLP_PROTOCOL"] = nil
        config["OTEL_SDK_DISABLED"] = "true"
        #expect(await run(config).status == .skip)
        config["OTEL_SDK_DISABLED"] = nil
        config["OTEL_TRACES_EXPORTER"] = "none"
        #expect(await run(config).status == .skip)
        config["OTEL_TRACES_EXPORTER"] = nil
        config["OTEL_EXPORTER_OTLP_HEADERS"] = "no-equals-\(token)"
        let badHeaders = await run(config)
        #expect(badHeaders.code == .invalidConfig && !badHeaders.message.text.contains(token))
        config["OTEL_EXPORTER_OTLP_HEADERS"] = nil
        config["OTEL_EXPORTER_OTLP_ENDPOINT"] = "otel:4318"
        #expect(await run(config).code == .invalidURL)
    }

    @Test func headerListsAreSecretsValueByValue() {
        let secrets = InputSecrecy.headerList.secrets(in: "api-key=abc%20def,authorization=Basic%20\(Base64.encode(Array("u:pwpwpw".utf8)))")
        for expected in ["abc%20def", "abc def", "u:pwpwpw", "pwpwpw"] { #expect(secrets.contains(expected), "\(expected)") }
    }

    @Test func keyValueLists() throws {
        #expect(try KeyValueList.parse("").isEmpty)
        let parsed = try KeyValueList.parse(" a = 1 , b=%3D%2C ,c=")
        #expect(parsed.map(\.key) == ["a", "b", "c"] && parsed.map(\.value) == ["1", "=,", ""])
        #expect(throws: KeyValueList.ParseError.self) { try KeyValueList.parse("=x") }
    }
}
