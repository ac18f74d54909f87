import Foundation
import Testing

/// `envcheck keys` as CI runs it: the built binary on the fixture projects of
/// Tests/EnvCheckCoreTests/Keys/Fixtures, checking exit codes, stdout and report files.
@Suite struct KeysEndToEndTests {
    static func fixture(_ name: String, file: String = #filePath) -> String {
        URL(fileURLWithPath: file).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("EnvCheckCoreTests/Keys/Fixtures/\(name)").path
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    static func tempDir() throws -> String {
        let dir = NSTemporaryDirectory() + "envcheck-keys-e2e-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func cleanProjectPassesWithDefaultPaths() throws {
        let r = try EnvCheckBinary.run(["keys", "--format", "json"], in: Self.fixture("clean"))
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        let doc = try Self.json(r.stdout)
        #expect(doc["schema_version"] as? Int == 1 && doc["tool"] as? String == "envcheck" && doc["mode"] as? String == "keys")
        #expect(doc["status"] as? String == "pass")
        #expect((doc["findings"] as? [Any])?.isEmpty == true)
        #expect(doc["summary"] as? [String: Int] == ["failures": 0, "warnings": 0])
        let human = try EnvCheckBinary.run(["keys"], in: Self.fixture("clean"))
        #expect(human.status == 0 && human.stdout.hasPrefix("envcheck keys: PASS - 0 failures · 0 warnings"))
    }

    @Test func driftedProjectFailsWithFindingsInEveryReport() throws {
        let out = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = try EnvCheckBinary.run(["keys", "--json", out + "/keys.json", "--junit", out + "/keys.xml"], in: Self.fixture("drifted"))
        #expect(r.status == 1, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("FAIL  secrets.ctmpl:3  STRIPE_KEY is rendered by the template but no settings field reads it"))
        #expect(r.stdout.hasSuffix("\n") && r.stdout.contains("envcheck keys: FAIL - 9 failures · 4 warnings"))
        let doc = try Self.json(String(contentsOfFile: out + "/keys.json", encoding: .utf8))
        #expect(doc["status"] as? String == "fail")
        let findings = try #require(doc["findings"] as? [[String: Any]])
        let codes = Set(findings.compactMap { $0["code"] as? String })
        #expect(codes == ["template_key_unknown", "field_not_in_example", "example_key_unknown", "vault_key_not_in_template",
                          "template_key_not_vault", "required_without_source", "invalid_example_value", "duplicate_key"])
        let unknown = try #require(findings.first { $0["code"] as? String == "template_key_unknown" })
        #expect(unknown["key"] as? String == "STRIPE_KEY" && unknown["file"] as? String == "secrets.ctmpl")
        #expect(unknown["line"] as? Int == 3 && unknown["layer"] as? String == "template" && unknown["severity"] as? String == "fail")
        #expect(Set(findings.flatMap { $0.keys }) == ["severity", "code", "message", "key", "file", "line", "layer"])
        let xml = try String(contentsOfFile: out + "/keys.xml", encoding: .utf8)
        #expect(xml.contains("<testsuite name=\"envcheck.keys\" tests=\"8\" failures=\"6\""))
        let lint = try EnvCheckBinary.runTool("/usr/bin/xmllint", ["--noout", out + "/keys.xml"])
        #expect(lint == 0)
    }

    @Test func missingFilesExitTwo() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let none = try EnvCheckBinary.run(["keys"], in: dir)
        #expect(none.status == 2 && none.stdout.isEmpty)
        #expect(none.stderr.contains("secrets.ctmpl: the template file does not exist"))
        let clean = Self.fixture("clean")
        for name in ["config.py", ".env.example"] {
            try FileManager.default.copyItem(atPath: clean + "/" + name, toPath: dir + "/" + name)
        }
        // Still a missing template: exit 2, until the two-layer check is asked for.
        #expect(try EnvCheckBinary.run(["keys"], in: dir).status == 2)
        let named = try EnvCheckBinary.run(["keys", "--no-template", "--example", "nope.env"], in: dir)
        #expect(named.status == 2 && named.stderr.contains("nope.env: the example file does not exist"))
        let twoLayers = try EnvCheckBinary.run(["keys", "--no-template", "--format", "json"], in: dir)
        #expect(twoLayers.status == 0, "\(twoLayers.stdout)\(twoLayers.stderr)")
        #expect(try EnvCheckBinary.run(["keys", "--format", "xml"], in: dir).status == 2)
    }

    @Test func strictTurnsWarningsIntoFailures() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "from pydantic_settings import BaseSettings\n\nclass Settings(BaseSettings):\n    port: int = 8000\n"
            .write(toFile: dir + "/config.py", atomically: true, encoding: .utf8)
        try "PORT=8000\nUNUSED=1\nVITE_URL=x\n".write(toFile: dir + "/.env.example", atomically: true, encoding: .utf8)
        let lenient = try EnvCheckBinary.run(["keys", "--no-template", "--allow-prefix", "VITE_", "--format", "json"], in: dir)
        #expect(lenient.status == 0)
        #expect(try Self.json(lenient.stdout)["summary"] as? [String: Int] == ["failures": 0, "warnings": 1])
        let strict = try EnvCheckBinary.run(["keys", "--no-template", "--allow-prefix", "VITE_", "--strict", "--format", "json"], in: dir)
        #expect(strict.status == 1)
        #expect(try Self.json(strict.stdout)["summary"] as? [String: Int] == ["failures": 1, "warnings": 0])
    }
}

extension EnvCheckBinary {
    static func runTool(_ tool: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
