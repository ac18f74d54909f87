import EnvCheckCore
import Foundation
import TestSupport
import Testing

@testable import EnvCheckProbes

/// `vault` over libcurl against the stand-in (Tests/Python/vault_standin.py), whose every
/// answer the real hvac client reads in the same test: the expected results come from hvac.
@Suite(.serialized, .requires(.venv, .hvac, .serialRun))
struct VaultIntegrationTests {
    let appToken = Canary.make("hvsapp")
    let rootToken = Canary.make("hvsroot")
    let nsToken = Canary.make("hvsns")

    var state: [String: Any] {
        [
            "health": ["initialized": true, "sealed": false, "standby": false, "version": "1.15.4"],
            "tokens": [
                appToken: ["policies": ["default", "shop-api"], "ttl": 3 * 86_400, "renewable": true, "paths": ["secret/data/shop/*"]],
                rootToken: ["policies": ["root"], "ttl": 0, "renewable": false],
                nsToken: ["policies": ["team"], "ttl": 1800, "renewable": false, "namespace": "team-a", "paths": ["secret/data/team/*"]],
            ],
            "secrets": [
                "secret/data/shop/production/api": ["DB_PASSWORD": "pw-" + Canary.make("kv"), "API_KEY": "k", "EMPTY": ""],
                "secret/data/team/app": ["X": "1"],
                "secret/data/other/production/api": ["Y": "2"],
            ],
        ]
    }

    func run(_ vault: VaultStandIn, token: String?, extra: [String: String] = [:], options: JSONObject = JSONObject()) async -> ProbeResult {
        var config = ["VAULT_ADDR": vault.baseURL, "VAULT_PROJECT": "shop", "ENVIRONMENT": "production", "VAULT_COMPONENT": "api"]
        config["VAULT_APP_TOKEN"] = token
        for (k, v) in extra { config[k] = v }
        let spec = ProbeSpec(id: "vault", kind: "vault", required: true, options: options)
        let plans = Planner.plan([spec], registry: BuiltInProbes.registry, config: ResolvedConfig(config), global: .init(), timeouts: .init())
        let r = await Runner(runDeadline: .after(.seconds(4)), redactor: Redactor(secrets: plans[0].secrets)).run(plans)[0]
        #expect(VaultProbe.kind.undeclared(r.code, status: r.status) == nil)
        let text = r.message + (r.hint ?? "") + JSONWriter.write(.object(r.details))
        #expect(Canary.leaks([appToken, rootToken, nsToken], in: text).isEmpty && !text.contains("pw-cnry"), "\(text)")
        return r
    }

    @Test func aGoodTokenReadsItsPathAsHvacDoes() async throws {
        let vault = try await VaultStandIn.start(state)
        let hvac = try await vault.hvac(token: appToken, path: "shop/production/api")
        let token = try #require(hvac["token"] as? [String: Any])
        let secret = try #require(hvac["secret"] as? [String: Any])
        #expect(hvac["authenticated"] as? Bool == true)
        let r = await run(vault, token: appToken, options: ["keys": .array(["DB_PASSWORD", "API_KEY"])])
        #expect(r.status == .pass, "\(r.message)")
        #expect(r.details["policies"] == .array((token["policies"] as? [String] ?? []).map { .string($0) }))
        #expect(
            r.details["token_ttl_s"]?.doubleValue == (token["ttl"] as? Double)
                || r.details["token_ttl_s"]?.doubleValue == (token["ttl"] as? Int).map(Double.init))
        #expect(r.details["token_renewable"] == .bool(token["renewable"] as? Bool ?? false))
        #expect((secret["keys"] as? [String]) == ["API_KEY", "DB_PASSWORD", "EMPTY"])
        #expect(r.message.hasSuffix("secret/data/shop/production/api has the 2 keys needed"))
        // What went over the wire: the token on the authenticated calls only.
        let sent = vault.requests.suffix(3)
        #expect(sent.map { $0["path"] ?? "" } == ["/v1/sys/health", "/v1/auth/token/lookup-self", "/v1/secret/data/shop/production/api"])
        #expect(sent.map { $0["token"] ?? "" } == ["", appToken, appToken])
    }

    @Test func missingAndEmptyKeysAreNamed() async throws {
        let vault = try await VaultStandIn.start(state)
        let r = await run(vault, token: appToken, options: ["keys": .array(["DB_PASSWORD", "EMPTY", "REDIS_URL"])])
        #expect(r.code?.rawValue == "missing_keys", "\(r.message)")
        #expect(r.message == "secret/data/shop/production/api lacks 2 of the 3 keys needed: EMPTY, REDIS_URL")
    }

    @Test func deniedMissingAndRejectedAgreeWithHvac() async throws {
        let vault = try await VaultStandIn.start(state)
        let denied = try await vault.hvac(token: appToken, path: "other/production/api")
        #expect((denied["secret"] as? [String: Any])?["error"] as? String == "Forbidden")
        let r = await run(vault, token: appToken, extra: ["VAULT_PROJECT": "other"])
        #expect(r.code?.rawValue == "permission_denied", "\(r.message)")
        let missing = try await vault.hvac(token: appToken, path: "shop/staging/api")
        #expect((missing["secret"] as? [String: Any])?["error"] as? String == "InvalidPath")
        #expect(await run(vault, token: appToken, extra: ["ENVIRONMENT": "staging"]).code?.rawValue == "no_such_secret")
        let bad = Canary.make("hvsbad")
        let rejected = try await vault.hvac(token: bad, path: "shop/production/api")
        #expect((rejected["token"] as? [String: Any])?["error"] as? String == "Forbidden" && rejected["authenticated"] as? Bool == false)
        let r2 = await run(vault, token: bad)
        #expect(r2.code?.rawValue == "invalid_token", "\(r2.message)")
        #expect(!r2.message.contains(bad))
    }

    @Test func aRootTokenFailsAndAShortLivedOneWarns() async throws {
        let vault = try await VaultStandIn.start(state)
        let root = try await vault.hvac(token: rootToken, path: "shop/production/api")
        #expect((root["token"] as? [String: Any])?["policies"] as? [String] == ["root"])
        #expect(await run(vault, token: rootToken).code?.rawValue == "root_token")
        // The namespace travels with the token; its 30-minute token is not renewable.
        let ns = try await vault.hvac(token: nsToken, namespace: "team-a", path: "team/app")
        #expect((ns["token"] as? [String: Any])?["renewable"] as? Bool == false)
        let r = await run(vault, token: nsToken, extra: ["VAULT_NAMESPACE": "team-a"], options: ["path": "secret/data/team/app"])
        #expect(r.status == .warn && r.code?.rawValue == "token_expiring", "\(r.message)")
        #expect(vault.requests.last?["namespace"] == "team-a")
        let withoutNamespace = await run(vault, token: nsToken, options: ["path": "secret/data/team/app"])
        #expect(withoutNamespace.code?.rawValue == "invalid_token")
    }

    @Test func sealedStandbyAndUninitialisedAsHvacSeesThem() async throws {
        let vault = try await VaultStandIn.start(state)
        var s = state
        s["health"] = ["initialized": true, "sealed": true, "version": "1.15.4"]
        try vault.update(s)
        let sealed = try await vault.hvac(token: appToken, path: "shop/production/api")
        let sealedHealth = sealed["health"] as? [String: Any]
        #expect(sealedHealth?["status"] as? Int == 503 && sealedHealth?["sealed"] as? Bool == true, "\(sealed)")
        #expect((sealed["token"] as? [String: Any])?["error"] != nil, "a sealed Vault answers nothing else")
        #expect(await run(vault, token: appToken).code?.rawValue == "sealed")
        s["health"] = ["initialized": true, "sealed": false, "standby": true, "version": "1.15.4"]
        try vault.update(s)
        let standby = try await vault.hvac(token: appToken, path: "shop/production/api")
        #expect((standby["health"] as? [String: Any])?["standby"] as? Bool == true)
        let r = await run(vault, token: appToken)
        #expect(r.status == .pass && r.details["standby"] == true, "\(r.message)")
        s["health"] = ["initialized": false, "sealed": true]
        try vault.update(s)
        let uninitialised = try await vault.hvac(token: appToken, path: "shop/production/api")
        #expect((uninitialised["health"] as? [String: Any])?["status"] as? Int == 501, "\(uninitialised)")
        #expect(await run(vault, token: appToken).code?.rawValue == "not_initialized")
    }

    @Test func aTemplatesBlocksAreReadAtTheirPaths() async throws {
        let vault = try await VaultStandIn.start(state)
        let dir = try TempDir(prefix: "envcheck-ctmpl")
        let template = try dir.write(
            "secrets.ctmpl",
            """
            {{ with secret "secret/data/shop/production/api" }}
            DATABASE_PASSWORD={{ .Data.data.DB_PASSWORD }}
            OPENROUTER_API_KEY={{ .Data.data.OPENROUTER_KEY }}
            {{ end }}
            """)
        let r = await run(vault, token: appToken, options: ["template": .string(template)])
        #expect(r.code?.rawValue == "missing_keys" && r.message.hasSuffix("needed: OPENROUTER_KEY (\(template):3)"), "\(r.message)")
    }

    @Test func aHungVaultTimesOut() async throws {
        let listener = try HungListener()
        let spec = ProbeSpec(id: "vault", kind: "vault", required: true, timeout: .seconds(1))
        let plans = Planner.plan(
            [spec], registry: BuiltInProbes.registry, config: ResolvedConfig(["VAULT_ADDR": "http://127.0.0.1:\(listener.port)"]), global: .init(),
            timeouts: .init())
        let start = ContinuousClock.now
        let r = await Runner(runDeadline: .after(.milliseconds(1250))).run(plans)[0]
        #expect(ContinuousClock.now - start < .milliseconds(1800) && listener.acceptedCount > 0)
        #expect(r.code?.rawValue == "timeout", "\(r.message)")
    }
}
