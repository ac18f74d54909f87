import EnvCheckCore
import Foundation
import TestSupport
import Testing

@testable import EnvCheckProbes

/// `otlp` over libcurl against Tests/Python/otlp_receiver.py, which decodes every export with
/// the real opentelemetry-proto package: what the receiver decoded is the expected result.
@Suite(.serialized, .requires(.venv, .opentelemetryProto, .serialRun))
struct OTLPIntegrationTests {
    func run(_ config: [String: String], timeout: Duration = .seconds(3)) async -> ProbeResult {
        let spec = ProbeSpec(id: "otlp", kind: "otlp", required: true, timeout: timeout)
        let plans = Planner.plan([spec], registry: BuiltInProbes.registry, config: ResolvedConfig(config), global: .init(), timeouts: .init())
        let r = await Runner(runDeadline: .after(timeout + .milliseconds(250)), redactor: Redactor(secrets: plans[0].secrets)).run(plans)[0]
        #expect(OTLPProbe.kind.undeclared(r.code, status: r.status) == nil)
        return r
    }

    func config(_ receiver: PythonStandIn, _ extra: [String: String] = [:]) -> [String: String] {
        var c = [
            "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.baseURL, "OTEL_SERVICE_NAME": "shop-api", "ENVIRONMENT": "production",
            "OTEL_RESOURCE_ATTRIBUTES": "deployment.environment.name=production,service.version=1.2.3",
        ]
        for (k, v) in extra { c[k] = v }
        return c
    }

    /// The attributes the receiver decoded from the last export, and its scope spans.
    func decoded(_ receiver: PythonStandIn) throws -> (attributes: [String: String], scopes: [[String: Any]], entry: [String: Any]) {
        let entry = try #require(receiver.log.last)
        #expect(entry["error"] is NSNull, "the receiver could not decode: \(entry["error"] ?? "")")
        let request = try #require(entry["request"] as? [String: Any])
        let resourceSpans = try #require(request["resourceSpans"] as? [[String: Any]])
        #expect(resourceSpans.count == 1)
        let resource = resourceSpans[0]["resource"] as? [String: Any]
        var attributes: [String: String] = [:]
        for a in resource?["attributes"] as? [[String: Any]] ?? [] {
            attributes[a["key"] as? String ?? ""] = (a["value"] as? [String: Any])?["stringValue"] as? String
        }
        return (attributes, resourceSpans[0]["scopeSpans"] as? [[String: Any]] ?? [], entry)
    }

    @Test(arguments: ["http/protobuf", "http/json"])
    func theReceiverDecodesOneResourceWithTheServiceAndEnvironment(_ encoding: String) async throws {
        let receiver = try await PythonStandIn.start("otlp_receiver.py", state: ["mode": "ok"])
        let r = await run(config(receiver, ["OTEL_EXPORTER_OTLP_PROTOCOL": encoding]))
        #expect(r.status == .pass, "\(r.message)")
        let (attributes, scopes, entry) = try decoded(receiver)
        #expect(entry["path"] as? String == "/v1/traces")
        #expect(attributes["service.name"] == "shop-api" && attributes["deployment.environment.name"] == "production")
        #expect(attributes["service.version"] == "1.2.3")
        #expect(scopes.count == 1 && (scopes[0]["scope"] as? [String: Any])?["name"] as? String == "envcheck")
        #expect((scopes[0]["spans"] as? [Any] ?? []).isEmpty)
    }

    @Test func theEnvironmentIsSentWhenTheResourceLacksIt() async throws {
        let receiver = try await PythonStandIn.start("otlp_receiver.py", state: ["mode": "ok"])
        let r = await run(config(receiver, ["OTEL_RESOURCE_ATTRIBUTES": ""]))
        #expect(r.code?.rawValue == "environment_mismatch", "\(r.message)")
        #expect(try decoded(receiver).attributes["deployment.environment"] == "production")
    }

    @Test func headersAuthenticateAndAreNeverShown() async throws {
        let token = Canary.make("otlpkey")
        let receiver = try await PythonStandIn.start("otlp_receiver.py", state: ["mode": "ok", "require": ["api-key", token]])
        let denied = await run(config(receiver))
        #expect(denied.code?.rawValue == "export_rejected" && denied.message.contains("answered 401"), "\(denied.message)")
        #expect(denied.message.hasSuffix(": missing or bad credentials"))
        let r = await run(config(receiver, ["OTEL_EXPORTER_OTLP_HEADERS": "api-key=\(token)"]))
        #expect(r.status == .pass, "\(r.message)")
        #expect((receiver.log.last?["headers"] as? [String: String])?["api-key"] == token)
        #expect(!(r.message + JSONWriter.write(.object(r.details))).contains(token))
    }

    @Test func partialSuccessAndRejectionAsTheRealLibraryEncodesThem() async throws {
        let receiver = try await PythonStandIn.start("otlp_receiver.py", state: ["mode": "partial", "rejected": 3, "error_message": "quota exceeded"])
        for encoding in ["http/protobuf", "http/json"] {
            let partial = await run(config(receiver, ["OTEL_EXPORTER_OTLP_PROTOCOL": encoding]))
            #expect(partial.status == .warn && partial.code?.rawValue == "partial_success", "\(encoding): \(partial.message)")
            #expect(partial.message.contains("a partial success (3 rejected): quota exceeded"), "\(encoding): \(partial.message)")
        }
        try receiver.update(["mode": "reject", "status": 400, "message": "resource attribute too long"])
        let rejected = await run(config(receiver))
        #expect(
            rejected.code?.rawValue == "export_rejected" && rejected.message.hasSuffix("answered 400 to an empty trace export: resource attribute too long"))
        try receiver.update(["mode": "html"])
        #expect(await run(config(receiver)).code?.rawValue == "protocol")
    }

    @Test func aHungCollectorTimesOut() async throws {
        let listener = try HungListener()
        let start = ContinuousClock.now
        let r = await run(["OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:\(listener.port)"], timeout: .seconds(1))
        #expect(ContinuousClock.now - start < .milliseconds(1800) && listener.acceptedCount > 0)
        #expect(r.code?.rawValue == "timeout", "\(r.message)")
    }
}
