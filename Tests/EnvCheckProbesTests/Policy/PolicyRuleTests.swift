import EnvCheckCore
import Foundation
import TestSupport
import Testing

@testable import EnvCheckProbes

/// Each rule against its own examples (the ones the README shows), then the edge cases of
/// each rule's reading of values.
@Suite struct PolicyRuleTests {
    static let rules = PolicyProbe.allRules

    /// What `rule` concludes for `example` under its own severities: nil for a pass (or off).
    static func conclusion(_ rule: PolicyRule, _ example: RuleExample) -> RuleSeverity? {
        let context = PolicyContext(example.config, example: example.example, inContainer: example.inContainer)
        let severity = rule.severity[context.environment.kind] ?? .off
        guard severity != .off, case .broken = rule.check(context) else { return nil }
        return severity
    }

    @Test(arguments: rules.map(\.id.rawValue))
    func eachRuleGivesWhatItsExamplesSay(_ id: String) throws {
        let rule = try #require(Self.rules.first { $0.id.rawValue == id })
        // The premise: every rule shows at least one pass and one finding.
        #expect(rule.examples.contains { $0.expect == nil } && rule.examples.contains { $0.expect != nil }, "\(id) needs both kinds of example")
        for example in rule.examples {
            #expect(Self.conclusion(rule, example) == example.expect, "\(id): \(example.note)")
        }
    }

    @Test func everyRuleIsOneFileWithItsIdAsTheCode() throws {
        let ids = Self.rules.map(\.id.rawValue)
        #expect(
            ids == [
                "root_token_in_app", "infra_credentials_in_app", "debug_in_production", "signing_key_strength", "cors_matches_frontend",
                "environment_isolation", "environment_known",
            ])
        let files = try FileManager.default.contentsOfDirectory(atPath: repositoryRoot + "/Sources/EnvCheckProbes/Policy/Rules")
        #expect(files.count == ids.count)
        for rule in Self.rules { #expect(!rule.summary.isEmpty && !rule.hint.isEmpty && rule.severity.count == 5) }
    }

    func verdict(_ rule: PolicyRule, _ config: [String: String], options: PolicyOptions = PolicyOptions()) -> RuleVerdict {
        rule.check(PolicyContext(config, options: options))
    }

    func broken(_ rule: PolicyRule, _ config: [String: String], options: PolicyOptions = PolicyOptions()) -> String? {
        if case .broken(let m, _) = verdict(rule, config, options: options) { return m.text }
        return nil
    }

    @Test func adminTokensAreFoundByNameOrByTheList() {
        #expect(broken(RootTokenRule.rule, ["GITHUB_ADMIN_TOKEN": "x"]) != nil)
        #expect(broken(RootTokenRule.rule, ["CONSUL_MASTER_TOKEN": "x"]) != nil)
        #expect(broken(RootTokenRule.rule, ["ROOT_PATH": "/srv", "VAULT_TOKEN": "hvs.x", "ADMIN_EMAIL": "a@b.c"]) == nil)
        #expect(broken(RootTokenRule.rule, ["VAULT_ROOT_TOKEN": ""]) == nil, "empty is unset")
        var options = PolicyOptions()
        options.adminTokenKeys = ["VAULT_TOKEN"]
        #expect(broken(RootTokenRule.rule, ["VAULT_TOKEN": "hvs.x"], options: options) == "VAULT_TOKEN holds an admin token, in an application's environment")
        #expect(broken(RootTokenRule.rule, ["VAULT_ROOT_TOKEN": "hvs.x"], options: options) == nil)
    }

    @Test func infraKeysAreTheOptionsListWhenGiven() {
        var options = PolicyOptions()
        options.infraKeys = ["ANSIBLE_VAULT_PASSWORD"]
        #expect(broken(InfraCredentialsRule.rule, ["ANSIBLE_VAULT_PASSWORD": "x", "VPS_HOST": "h"], options: options) != nil)
        #expect(broken(InfraCredentialsRule.rule, ["VPS_HOST": "h"], options: options) == nil)
        #expect(
            broken(InfraCredentialsRule.rule, ["VPS_HOST": "h", "DOKPLOY_API_KEY": "k"])
                == "VPS_HOST, DOKPLOY_API_KEY are deployment credentials, in an application's environment"
                || broken(InfraCredentialsRule.rule, ["VPS_HOST": "h", "DOKPLOY_API_KEY": "k"])
                    == "DOKPLOY_API_KEY, VPS_HOST are deployment credentials, in an application's environment"
        )
    }

    /// The spellings real pydantic takes as true and false (checked with pydantic 2 by
    /// Tests/EndToEndTests/PolicyEndToEndTests.swift).
    @Test func debugIsOnExactlyForPydanticsTrueSpellings() {
        for on in ["1", "on", "t", "true", "y", "yes", "True", "YES", "ON", "T"] {
            #expect(broken(DebugRule.rule, ["ENVIRONMENT": "production", "DEBUG": on]) != nil, "\(on)")
        }
        for off in ["0", "off", "false", "no", "", " true", "2", "enabled"] {
            #expect(broken(DebugRule.rule, ["ENVIRONMENT": "production", "DEBUG": off]) == nil, "\(off)")
        }
    }

    @Test func signingKeysNeverShowTheirValue() throws {
        let key = Canary.make("sk")
        let short = String(key.prefix(20))
        for (value, why) in [
            (short, "is 20 bytes, shorter than 32"), ("dev_" + key, "is a placeholder (starts with dev_)"),
            (String(repeating: "ab", count: 20), "repeats too few characters to be random"),
        ] {
            let text = try #require(broken(SigningKeyRule.rule, ["SECRET_KEY": value]))
            #expect(text == "SECRET_KEY \(why)")
            #expect(!text.contains(short) && Canary.leaks([key], in: text).isEmpty)
        }
        #expect(broken(SigningKeyRule.rule, ["SECRET_KEY": key + key]) == nil)
        var options = PolicyOptions()
        options.signingKeys = ["APP_SIGNING_KEY"]
        #expect(
            broken(SigningKeyRule.rule, ["APP_SIGNING_KEY": "short", "SECRET_KEY": "short"], options: options) == "APP_SIGNING_KEY is 5 bytes, shorter than 32")
    }

    @Test func corsEntriesAreOriginsAsBrowsersSendThem() {
        func cors(_ origins: String, app: String? = nil, extra: [String: String] = [:]) -> String? {
            var config = ["CORS_ORIGINS": origins].merging(extra) { $1 }
            if let app { config["NEXT_PUBLIC_APP_URL"] = app }
            return broken(CorsRule.rule, config)
        }
        #expect(cors("https://app.example.com, https://admin.example.com", app: "https://app.example.com/login?x=1") == nil)
        #expect(cors("http://localhost:3000", app: "http://localhost:3000") == nil)
        #expect(cors("https://app.example.com", app: "https://app.example.com:443") == nil, "the browser drops the default port")
        #expect(cors("https://app.example.com:443")?.contains("names the default port") == true)
        #expect(cors("https://App.Example.com")?.contains("has capitals") == true)
        #expect(cors("https://app.example.com/api")?.contains("has a path") == true)
        #expect(cors("app.example.com")?.contains("is not an origin") == true)
        #expect(cors("ftp://files.example.com")?.contains("is not http or https") == true)
        #expect(cors("[1, 2]")?.contains("not a string") == true)
        #expect(cors("*", app: "https://app.example.com") == nil)
        #expect(cors("*", extra: ["CORS_ALLOW_CREDENTIALS": "yes"])?.contains("allows * while CORS_ALLOW_CREDENTIALS is on") == true)
        #expect(cors("[\"https://a.example.com\"]", app: "not a url")?.contains("NEXT_PUBLIC_APP_URL is not an http(s) URL") == true)
        #expect(broken(CorsRule.rule, ["BACKEND_CORS_ORIGINS": "https://a.example.com/"]) != nil, "the FastAPI template's name")
        #expect(broken(CorsRule.rule, ["NEXT_PUBLIC_APP_URL": "https://app.example.com"]) == nil, "no CORS list: same-origin")
    }

    @Test func isolationMatchesWholeWordsOnly() {
        func isolation(_ env: String, _ config: [String: String]) -> String? {
            broken(IsolationRule.rule, config.merging(["ENVIRONMENT": env]) { $1 })
        }
        #expect(isolation("staging", ["DATABASE_URL": "postgresql://u:p@db/product_db", "S3_BUCKET": "reproduction-assets"]) == nil)
        #expect(isolation("staging", ["DATABASE_URL": "postgresql://u:p@prod-db.internal:5432/app"]) != nil)
        #expect(isolation("staging", ["REDIS_URL": "rediss://:pw@redis.prd.example.com:6380/0"]) != nil)
        #expect(isolation("local", ["NEXT_PUBLIC_API_URL": "https://api.production.example.com"]) != nil)
        #expect(isolation("production", ["S3_BUCKET": "app-pr-12-uploads"]) != nil)
        #expect(isolation("production", ["S3_BUCKET": "app-pr-uploads"]) == nil, "pr- without a number")
        #expect(isolation("production", ["DATABASE_URL": "postgresql://u:p@127.0.0.1/app"]) != nil)
        #expect(isolation("production", ["NEXT_PUBLIC_API_URL": "https://api.example.com", "DATABASE_URL": "postgresql://u:p@db/app_prod"]) == nil)
        let text = isolation("staging", ["DATABASE_URL": "postgresql://app:Sup3rS3cret@db/app_production"]) ?? ""
        #expect(text == "DATABASE_URL's database app_production names production, but this is staging (ENVIRONMENT=staging)")
        #expect(!text.contains("Sup3rS3cret"))
        // A '/' in the password: the host is after the last '@', and no piece of the password shows.
        let slash = isolation("staging", ["DATABASE_URL": "postgresql://app:1234/prod-s3cretpart@db.example.com/app"])
        #expect(slash == nil, "\(slash ?? "")")
        let parts = URLParts("postgresql://app:1234/prod-s3cretpart@db.example.com:6432/app_prod?sslmode=require")
        #expect(parts?.host == "db.example.com" && parts?.port == 6432 && parts?.firstSegment == "app_prod" && parts?.hasUserinfo == true)
        #expect(URLParts("https://example.com/a@b")?.host == "example.com", "an @ in the path is not userinfo")
    }
}
