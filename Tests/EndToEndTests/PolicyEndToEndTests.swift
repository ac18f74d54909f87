import Foundation
import TestSupport
import Testing

/// The environment rules through the built binary: every example `envcheck list --rules`
/// shows gives, through `check`, the status it promises; a manifest changes severities; a
/// policy result is one JUnit case per rule; DEBUG's spellings are pydantic's own.
@Suite("policy end to end")
struct PolicyEndToEndTests {
    struct Example {
        let rule: String
        let note: String
        let config: [String: String]
        let example: [String: String]
        let inContainer: Bool
        let expect: String
    }

    static func examples() async throws -> [Example] {
        let r = try await EnvCheckBinary.run(["list", "--rules", "--format", "json"], environment: [:])
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.output)")
        let rules = try #require(doc["rules"] as? [[String: Any]])
        var out: [Example] = []
        for rule in rules {
            for e in rule["examples"] as? [[String: Any]] ?? [] {
                out.append(
                    Example(
                        rule: rule["id"] as? String ?? "", note: e["note"] as? String ?? "", config: e["config"] as? [String: String] ?? [:],
                        example: e["example"] as? [String: String] ?? [:], inContainer: e["in_container"] as? Bool ?? false,
                        expect: e["expect"] as? String ?? ""))
            }
        }
        return out
    }

    /// Each rule's status in a `check --only policy` run over `config`.
    static func check(
        _ config: [String: String], example: [String: String] = [:], inContainer: Bool = false, extra: [String] = [], dir: TempDir
    ) async throws -> (status: Int32, rules: [String: String], doc: [String: Any], report: [String: Any]) {
        var args = ["check", "--only", "policy", "--no-env-file", "--format", "json"]
        if !example.isEmpty {
            let file = try dir.write("example-\(UUID().uuidString).env", example.map { "\($0.key)='\($0.value)'" }.joined(separator: "\n") + "\n")
            args += ["--env-example", file]
        } else {
            args += ["--env-example", try dir.write("empty.env", "")]
        }
        var env = config
        env["ENVCHECK_IN_CONTAINER"] = inContainer ? "true" : "false"
        let r = try await EnvCheckBinary.run(args + extra, environment: env, directory: dir.path)
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.output)")
        let probe = try #require((doc["probes"] as? [[String: Any]])?.first, "\(r.output)")
        let details = try #require(probe["details"] as? [String: Any])
        var rules: [String: String] = [:]
        for rule in details["rules"] as? [[String: Any]] ?? [] { rules[rule["id"] as? String ?? ""] = rule["status"] as? String }
        return (r.status, rules, probe, doc)
    }

    @Test(.requires(.jsonSchemaValidator)) func theRulesListValidates() async throws {
        let r = try await EnvCheckBinary.run(["list", "--rules", "--format", "json"], environment: [:])
        #expect(r.status == 0)
        try await SchemaValidator.validateJSON(r.stdout, schema: "list.schema.json")
        let both = try await EnvCheckBinary.run(["list", "--rules", "--codes"], environment: [:])
        #expect(both.status == 2 && both.stderr.contains("--codes and --rules list different things"), "\(both.output)")
    }

    @Test func everyExampleGivesWhatItPromisesThroughCheck() async throws {
        let dir = try TempDir(prefix: "envcheck-policy")
        let examples = try await Self.examples()
        // The premise: seven rules, each with examples of both outcomes.
        #expect(Set(examples.map(\.rule)).count == 7)
        #expect(examples.contains { $0.expect == "fail" } && examples.contains { $0.expect == "warn" } && examples.contains { $0.expect == "pass" })
        for e in examples {
            let r = try await Self.check(e.config, example: e.example, inContainer: e.inContainer, dir: dir)
            let status = try #require(r.rules[e.rule], "\(e.rule) (\(e.note)) is not in the report: \(r.doc)")
            if e.expect == "pass" {
                #expect(status == "pass" || status == "skip", "\(e.rule): \(e.note): \(status)")
            } else {
                #expect(status == e.expect, "\(e.rule): \(e.note): \(status)")
                #expect(r.status == (e.expect == "fail" ? 1 : 0), "\(e.rule): \(e.note)")
            }
        }
    }

    @Test(.requires(.jsonSchemaValidator, .junitSchemaValidator)) func aManifestChangesSeveritiesAndJUnitHasACasePerRule() async throws {
        let dir = try TempDir(prefix: "envcheck-policy")
        let manifest = try dir.write(
            "policy.yaml",
            """
            version: 1
            probes:
              - kind: policy
                critical: true
                options:
                  rules:
                    debug_in_production: warn
                    infra_credentials_in_app: "off"

            """)
        let config = ["ENVIRONMENT": "production", "DEBUG": "yes", "DOKPLOY_API_KEY": Canary.make("dokploy")]
        let plain = try await Self.check(config, dir: dir)
        #expect(plain.status == 1 && plain.rules["debug_in_production"] == "fail" && plain.rules["infra_credentials_in_app"] == "fail")
        let junit = dir.path + "/policy.xml"
        let relaxed = try await Self.check(config, extra: ["--probes", manifest, "--junit", junit], dir: dir)
        #expect(relaxed.status == 0 && relaxed.rules["debug_in_production"] == "warn" && relaxed.rules["infra_credentials_in_app"] == "skip")
        #expect(relaxed.doc["code"] as? String == "debug_in_production")
        let xml = try String(contentsOfFile: junit, encoding: .utf8)
        try await SchemaValidator.validateJUnit(xml)
        try await SchemaValidator.validateJSON(String(decoding: try JSONSerialization.data(withJSONObject: relaxed.report), as: UTF8.self))
        #expect(xml.components(separatedBy: "<testcase ").count - 1 == 7, "\(xml)")
        #expect(xml.contains("name=\"policy.debug_in_production\"") && xml.contains("<skipped message=\"turned off by the manifest\"/>"))
        #expect(xml.contains("tests=\"7\"") && xml.contains("skipped=\"1\""))
        #expect(Canary.leaks([config["DOKPLOY_API_KEY"]!], in: xml).isEmpty)
        // critical: healthcheck follows the policy's verdict (a warn passes).
        let health = try await EnvCheckBinary.run(
            ["healthcheck", "--no-env-file", "--probes", manifest], environment: config.merging(["DEBUG": "0", "ENVCHECK_IN_CONTAINER": "false"]) { $1 })
        #expect(health.status == 0, "\(health.output)")
        let broken = try await EnvCheckBinary.run(
            ["healthcheck", "--no-env-file", "--probes", manifest],
            environment: config.merging(["SECRET_KEY": "short", "ENVCHECK_IN_CONTAINER": "false"]) { $1 })
        #expect(broken.status == 1, "\(broken.output)")
    }

    @Test func theHumanReportListsEveryBrokenRule() async throws {
        let dir = try TempDir(prefix: "envcheck-policy")
        let r = try await EnvCheckBinary.run(
            ["check", "--only", "policy", "--no-env-file", "--no-color"],
            environment: ["ENVIRONMENT": "staging", "VAULT_ROOT_TOKEN": Canary.make("root"), "DEBUG": "true", "ENVCHECK_IN_CONTAINER": "false"],
            directory: dir.path)
        #expect(r.status == 1)
        #expect(r.stdout.contains("FAIL   policy"), "\(r.output)")
        #expect(r.stdout.contains("root_token_in_app: VAULT_ROOT_TOKEN holds an admin token"), "\(r.output)")
        #expect(r.stdout.contains("      FAIL   debug_in_production: DEBUG is on in staging (ENVIRONMENT=staging)"), "\(r.output)")
    }

    /// DEBUG counts as on exactly when pydantic reads it as true.
    @Test(.requires(.pydanticSettings)) func debugSpellingsArePydanticsOwn() async throws {
        let dir = try TempDir(prefix: "envcheck-policy")
        let spellings = ["1", "on", "t", "true", "y", "yes", "True", "YES", "On", "0", "off", "f", "false", "n", "no", "2", "enabled", "yes!"]
        let python = try TestEnvironment.require("ENVCHECK_VENV") + "/bin/python"
        try dir.write(
            "judge.py",
            "import json, sys\nfrom pydantic import TypeAdapter\nt = TypeAdapter(bool)\nout = {}\nfor s in json.loads(sys.argv[1]):\n"
                + "    try:\n        out[s] = t.validate_python(s)\n    except Exception:\n        out[s] = None\nprint(json.dumps(out))\n")
        let list = String(decoding: try JSONSerialization.data(withJSONObject: spellings), as: UTF8.self)
        let judged = try await runProgram(python, ["judge.py", list], environment: [:], directory: dir.path)
        let truth = try #require(try JSONSerialization.jsonObject(with: Data(judged.stdout.utf8)) as? [String: Any], "\(judged.output)")
        for s in spellings {
            let r = try await Self.check(["ENVIRONMENT": "production", "DEBUG": s], dir: dir)
            let on = truth[s] as? Bool == true
            #expect((r.rules["debug_in_production"] == "fail") == on, "DEBUG=\(s): pydantic \(String(describing: truth[s]))")
        }
    }
}
