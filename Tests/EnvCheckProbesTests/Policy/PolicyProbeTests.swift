import EnvCheckCore
import TestSupport
import Testing

@testable import EnvCheckProbes

/// The policy probe as a whole: one result, the worst rule wins, overrides, the container
/// rule, and its details.
@Suite struct PolicyProbeTests {
    func outcome(
        _ config: [String: String], options: JSONObject = JSONObject(), example: [String: String] = [:], dockerEnv: Bool = false
    ) async throws -> ProbeOutcome {
        let kind = PolicyProbe.kind(.init(dockerEnvExists: { dockerEnv }))
        let settings = ProbeSettings(id: "policy", config: ResolvedConfig(config), options: options, global: GlobalSettings(exampleValues: example))
        guard case .ready(let probe) = kind.setup(settings) else { throw TestServerError("policy did not set up") }
        let result = await Runner.outcome(of: probe, ProbeContext(id: "policy", deadline: .after(.seconds(2)), timeout: .seconds(2)))
        #expect(kind.undeclared(result.code, status: result.status) == nil)
        return result
    }

    func rules(_ outcome: ProbeOutcome) -> [String: String] {
        Dictionary(uniqueKeysWithValues: outcome.checks.map { ($0.id.rawValue, $0.status.rawValue) })
    }

    @Test func aCleanProductionPassesEveryRule() async throws {
        let result = try await outcome([
            "ENVIRONMENT": "production", "SECRET_KEY": Canary.make("signing") + Canary.make("key"),
            "CORS_ORIGINS": "[\"https://app.example.com\"]", "NEXT_PUBLIC_APP_URL": "https://app.example.com",
            "DATABASE_URL": "postgresql://app:pw@db.internal/app", "DEBUG": "false",
        ])
        #expect(result.status == .pass && result.code == nil)
        #expect(result.message.text == "7 rule(s) pass in production (ENVIRONMENT=production)")
        #expect(rules(result).values.allSatisfy { $0 == "pass" } && rules(result).count == 7)
        #expect(result.details["environment_kind"] == .string("production"))
    }

    @Test func theWorstRuleWinsAndTheOthersAreNamed() async throws {
        let result = try await outcome(["ENVIRONMENT": "local", "VPS_HOST": "203.0.113.7", "SECRET_KEY": "dev", "CORS_ORIGINS": "https://a.example.com/"])
        #expect(result.status == .fail && result.code == ErrorCode("cors_matches_frontend"))
        #expect(result.message.text.hasPrefix("cors_matches_frontend: CORS_ORIGINS: https://a.example.com/ ends with a slash"))
        #expect(result.message.text.hasSuffix("; also infra_credentials_in_app, signing_key_strength"))
        #expect(rules(result)["infra_credentials_in_app"] == "warn" && rules(result)["root_token_in_app"] == "skip")
        let warnOnly = try await outcome(["ENVIRONMENT": "local", "VPS_HOST": "203.0.113.7"])
        #expect(warnOnly.status == .warn && warnOnly.code == ErrorCode("infra_credentials_in_app"))
        #expect(warnOnly.hint?.text.contains("CI or deploy tool's secrets") == true)
    }

    @Test func theManifestTurnsRulesOffOrChangesTheirSeverity() async throws {
        let config = ["ENVIRONMENT": "production", "DEBUG": "1", "VPS_HOST": "h"]
        let plain = try await outcome(config)
        #expect(plain.status == .fail && plain.code == ErrorCode("infra_credentials_in_app"))
        let rules: JSONObject = ["rules": .object(["infra_credentials_in_app": .string("off"), "debug_in_production": .string("warn")])]
        let relaxed = try await outcome(config, options: rules)
        #expect(relaxed.status == .warn && relaxed.code == ErrorCode("debug_in_production"), "\(relaxed.message)")
        #expect(self.rules(relaxed)["infra_credentials_in_app"] == "skip")
        let stricter = try await outcome(["ENVIRONMENT": "local", "DEBUG": "1"], options: ["rules": .object(["debug_in_production": .string("fail")])])
        #expect(stricter.status == .fail && stricter.code == ErrorCode("debug_in_production"))
    }

    @Test func anUnknownRuleOrSeverityIsAnError() async throws {
        let kind = PolicyProbe.kind
        for (options, text) in [
            (
                ["rules": JSONValue.object(["debug_in_prodution": .string("off")])] as JSONObject,
                "the rules option names debug_in_prodution, which is no rule (did you mean debug_in_production?)"
            ),
            (["rules": .object(["debug_in_production": .string("maybe")])], "the rules option sets debug_in_production to maybe; use off, warn or fail"),
        ] {
            guard case .invalid(let failure) = kind.setup(ProbeSettings(id: "policy", config: ResolvedConfig([:]), options: options)) else {
                Issue.record("not invalid: \(options)")
                continue
            }
            #expect(failure.status == .error && failure.code == .invalidConfig && failure.message.text == text)
        }
    }

    @Test func aContainerWithoutAnEnvironmentNameWarns() async throws {
        #expect(try await outcome([:]).status == .pass)
        let docker = try await outcome([:], dockerEnv: true)
        #expect(docker.status == .warn && docker.code == ErrorCode("environment_known"))
        #expect(try await outcome(["KUBERNETES_SERVICE_HOST": "10.0.0.1"]).status == .warn)
        #expect(try await outcome(["ENVCHECK_IN_CONTAINER": "true"]).status == .warn)
        #expect(try await outcome(["ENVCHECK_IN_CONTAINER": "false"], dockerEnv: true).status == .pass)
        #expect(try await outcome(["ENVIRONMENT": "ci"], dockerEnv: true).status == .pass)
    }

    @Test func manifestBindingsTakeThePlaceOfTheDefaultKeys() async throws {
        let kind = PolicyProbe.kind(.init(dockerEnvExists: { false }))
        let config = ResolvedConfig(["APP_ENV": "production", "MY_KEY": "short", "SECRET_KEY": Canary.make("a") + Canary.make("b"), "DEBUG": "1"])
        let bindings = ["environment": "${APP_ENV}", "signing_key": "${MY_KEY}", "debug": "${APP_DEBUG:-0}"]
        guard case .ready(let probe) = kind.setup(ProbeSettings(id: "policy", config: config, bindings: bindings)) else {
            throw TestServerError("policy did not set up")
        }
        let result = await Runner.outcome(of: probe, ProbeContext(id: "policy", deadline: .after(.seconds(2)), timeout: .seconds(2)))
        #expect(result.details["environment_kind"] == .string("production"))
        // DEBUG is not read (the binding replaces it); the bound key is judged, not SECRET_KEY.
        #expect(result.status == .fail && result.code == ErrorCode("signing_key_strength"), "\(result.message)")
        #expect(result.message.text == "signing_key_strength: ${MY_KEY} is 5 bytes, shorter than 32")
    }

    @Test func theExampleFileMakesASigningKeyWeak() async throws {
        let key = Canary.make("committed") + Canary.make("key")
        let result = try await outcome(["ENVIRONMENT": "staging", "SECRET_KEY": key], example: ["SECRET_KEY": key])
        #expect(result.status == .fail && result.message.text == "signing_key_strength: SECRET_KEY is the value committed in .env.example")
        #expect(Canary.leaks([key], in: JSONWriter.write(.object(result.details)) + result.checks.map(\.message.text).joined()).isEmpty)
    }
}
