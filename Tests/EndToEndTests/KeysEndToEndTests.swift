import Foundation
import TestSupport
import Testing

/// `envcheck keys` as CI runs it: the built binary on the fixture projects of
/// Tests/EnvCheckKeysTests/Fixtures, checking exit codes, stdout and report files,
/// with the JSON validated against schemas/report.schema.json and the JUnit against
/// schemas/junit.xsd.
@Suite("keys end to end")
struct KeysEndToEndTests {
    static func fixture(_ name: String) -> String {
        repositoryRoot + "/Tests/EnvCheckKeysTests/Fixtures/" + name
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test(.requires(.jsonSchemaValidator)) func cleanProjectPassesWithDefaultPaths() async throws {
        let r = try await EnvCheckBinary.run(["keys", "--format", "json"], directory: Self.fixture("clean"))
        #expect(r.status == 0, "\(r.output)")
        let doc = try Self.json(r.stdout)
        #expect(doc["schema_version"] as? Int == 1 && doc["tool"] as? String == "envcheck" && doc["mode"] as? String == "keys")
        #expect(doc["status"] as? String == "pass")
        #expect((doc["findings"] as? [Any])?.isEmpty == true)
        #expect(doc["summary"] as? [String: Int] == ["failures": 0, "warnings": 0])
        try await SchemaValidator.validateJSON(r.stdout)
        let human = try await EnvCheckBinary.run(["keys"], directory: Self.fixture("clean"))
        #expect(human.status == 0 && human.stdout.hasPrefix("envcheck keys: PASS - 0 failures · 0 warnings"), "\(human.output)")
    }

    @Test(.requires(.jsonSchemaValidator, .junitSchemaValidator)) func driftedProjectFailsWithFindingsInEveryReport() async throws {
        let out = try TempDir()
        let r = try await EnvCheckBinary.run(
            ["keys", "--json", out.path + "/keys.json", "--junit", out.path + "/keys.xml"],
            directory: Self.fixture("drifted"))
        #expect(r.status == 1, "\(r.output)")
        #expect(r.stdout.contains("FAIL  secrets.ctmpl:3  STRIPE_KEY is rendered by the template but no settings field reads it"))
        #expect(r.stdout.contains("envcheck keys: FAIL - 9 failures · 5 warnings"))
        let jsonText = try String(contentsOfFile: out.path + "/keys.json", encoding: .utf8)
        try await SchemaValidator.validateJSON(jsonText)
        let doc = try Self.json(jsonText)
        #expect(doc["status"] as? String == "fail")
        let findings = try #require(doc["findings"] as? [[String: Any]])
        let codes = Set(findings.compactMap { $0["code"] as? String })
        #expect(
            codes == [
                "template_key_unknown", "field_not_in_example", "example_key_unknown", "vault_key_not_in_template",
                "template_key_not_vault", "required_without_source", "invalid_example_value", "duplicate_key", "dev_default",
            ])
        let unknown = try #require(findings.first { $0["code"] as? String == "template_key_unknown" })
        #expect(unknown["key"] as? String == "STRIPE_KEY" && unknown["file"] as? String == "secrets.ctmpl")
        #expect(unknown["line"] as? Int == 3 && unknown["layer"] as? String == "template" && unknown["severity"] as? String == "fail")
        let xml = try String(contentsOfFile: out.path + "/keys.xml", encoding: .utf8)
        #expect(xml.contains("<testsuite name=\"envcheck.keys\" tests=\"10\" failures=\"6\""))
        try await SchemaValidator.validateJUnit(xml)
        let stdoutJSON = try await EnvCheckBinary.run(["keys", "--format", "json"], directory: Self.fixture("drifted"))
        #expect(stdoutJSON.status == 1)
        #expect(try Self.json(stdoutJSON.stdout)["summary"] as? [String: Int] == ["failures": 9, "warnings": 5])
    }

    @Test func missingFilesExitTwo() async throws {
        let dir = try TempDir()
        let none = try await EnvCheckBinary.run(["keys"], directory: dir.path)
        #expect(none.status == 2 && none.stdout.isEmpty)
        #expect(none.stderr.contains("secrets.ctmpl: the template file does not exist"), "\(none.output)")
        let clean = Self.fixture("clean")
        for name in ["config.py", ".env.example"] {
            try dir.write(name, String(contentsOfFile: clean + "/" + name, encoding: .utf8))
        }
        // Still a missing (defaulted) template: exit 2, until the two-layer check is asked for.
        #expect(try await EnvCheckBinary.run(["keys"], directory: dir.path).status == 2)
        let named = try await EnvCheckBinary.run(["keys", "--no-template", "--example", "nope.env"], directory: dir.path)
        #expect(named.status == 2 && named.stderr.contains("nope.env: the example file does not exist"))
        let twoLayers = try await EnvCheckBinary.run(["keys", "--no-template", "--format", "json"], directory: dir.path)
        #expect(twoLayers.status == 0, "\(twoLayers.output)")
        for bad in [["keys", "--format", "xml"], ["keys", "--no-template", "--template", "x.ctmpl"], ["keys", "--bogus"]] {
            #expect(try await EnvCheckBinary.run(bad, directory: dir.path).status == 2, "\(bad)")
        }
    }

    @Test func markdownTapAndFailOnWarn() async throws {
        let md = try await EnvCheckBinary.run(["keys", "--format", "markdown"], directory: Self.fixture("drifted"))
        #expect(md.status == 1 && md.stdout.hasPrefix("### envcheck keys: FAIL - 9 failures · 5 warnings"))
        #expect(md.stdout.contains("| ❌ | `secrets.ctmpl:3 STRIPE_KEY` | fail `template_key_unknown` |"), "\(md.stdout)")
        let tap = try await EnvCheckBinary.run(["keys", "--format", "tap"], directory: Self.fixture("drifted"))
        let lines = tap.stdout.split(separator: "\n")
        #expect(lines.first == "TAP version 14" && lines[1] == "1..14")
        #expect(lines.count { $0.hasPrefix("not ok ") } == 9 && lines.count { $0.hasPrefix("ok ") } == 5)
        let dir = try TempDir()
        try dir.write("config.py", "from pydantic_settings import BaseSettings\n\nclass Settings(BaseSettings):\n    port: int = 8000\n")
        try dir.write(".env.example", "PORT=8000\nUNUSED=1\n")
        #expect(try await EnvCheckBinary.run(["keys", "--no-template"], directory: dir.path).status == 0)
        let strict = try await EnvCheckBinary.run(["keys", "--no-template", "--fail-on", "warn", "--json", "-"], directory: dir.path)
        let doc = try Self.json(strict.stdout)
        #expect(strict.status == 1 && doc["status"] as? String == "fail")
    }

    @Test func strictTurnsWarningsIntoFailures() async throws {
        let dir = try TempDir()
        try dir.write("config.py", "from pydantic_settings import BaseSettings\n\nclass Settings(BaseSettings):\n    port: int = 8000\n")
        try dir.write(".env.example", "PORT=8000\nUNUSED=1\nVITE_URL=x\n")
        let lenient = try await EnvCheckBinary.run(["keys", "--no-template", "--allow-prefix", "VITE_", "--format", "json"], directory: dir.path)
        #expect(lenient.status == 0, "\(lenient.output)")
        #expect(try Self.json(lenient.stdout)["summary"] as? [String: Int] == ["failures": 0, "warnings": 1])
        let strict = try await EnvCheckBinary.run(["keys", "--no-template", "--allow-prefix", "VITE_", "--strict", "--format", "json"], directory: dir.path)
        #expect(strict.status == 1)
        #expect(try Self.json(strict.stdout)["summary"] as? [String: Int] == ["failures": 1, "warnings": 0])
    }

    @Test func exampleValuesNeverReachTheReports() async throws {
        let canary = Canary.make("keys")
        let dir = try TempDir()
        try dir.write("config.py", "from pydantic_settings import BaseSettings\n\nclass Settings(BaseSettings):\n    workers: int\n    api_key: str\n")
        try dir.write(".env.example", "WORKERS=\(canary)\nAPI_KEY=\(canary)\n# [VAULT]\nSTRIPE_SECRET_KEY=\(canary)\n")
        for format in ["human", "json", "junit"] {
            let r = try await EnvCheckBinary.run(["keys", "--no-template", "--format", format], directory: dir.path)
            #expect(r.status == 1, "\(format): \(r.output)")
            #expect(r.stdout.contains("WORKERS"))
            #expect(Canary.leaks([canary], in: r.output).isEmpty, "\(format) printed an example value")
        }
    }
}
