import Foundation
import TestSupport
import Testing

/// `envcheck config` as a new user debugging a broken deploy runs it: a vault-rendered file
/// over a base file and the environment, with a typo, a key rendered twice, a stale render
/// and a line that holds two assignments. Secrets go in as canaries and never come out.
@Suite("config end to end")
struct ConfigEndToEndTests {
    let dir: TempDir
    let password = Canary.make("cfgpw")
    let secretKey = Canary.make("cfgs3")
    /// Every secret the files hold, winning and shadowed, searched in every form (raw,
    /// percent-encoded, hex, base64 at each alignment).
    var canaries: [String] { [password, secretKey, password + "-base", secretKey + "-base"] }

    init() throws {
        dir = try TempDir(prefix: "envcheck-config")
        try dir.write("base.env", "S3_BUCKET=assets\nS3_SECRET_KEY=\(secretKey)-base\nREDIS_URL=redis://:\(password)-base@cache:6379\n")
        try dir.write(
            "vault.env",
            "DATABSE_URL=postgresql://app:\(password)@db:5432/app\nS3_SECRET_KEY=\(secretKey)\nREDIS_URL=\nREDIS_URL=redis://cache:6379\n"
                + "NEXT_PUBLIC_SITE_NAME=Acme\nFEATURE_FLAGS=beta\n")
        try dir.write("two.env", "DATABASE_URL=\"postgresql://app:\(password)@db/app\" REDIS_URL=\"redis://cache\"\n")
        // vault-agent stopped re-rendering two days ago.
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -2 * 86_400 - 60)], ofItemAtPath: dir.path + "/base.env")
    }

    func config(_ extra: [String], environment: [String: String] = [:]) async throws -> ProgramOutput {
        try await EnvCheckBinary.run(
            ["config", "--env-file", "base.env", "--env-file", "vault.env", "--max-age", "24h"] + extra, environment: environment,
            directory: dir.path)
    }

    @Test func explainsEveryValueAndItsSources() async throws {
        let r = try await config([], environment: ["REDIS_URL": "redis://envwins:6379"])
        #expect(r.status == 0, "\(r.output)")
        let lines = r.stdout.components(separatedBy: "\n")
        let database = try #require(lines.first { $0.hasPrefix("DATABASE_URL ") })
        #expect(database.contains("unset") && database.hasSuffix("(did you mean DATABSE_URL? it is set)"), "\(database)")
        let redis = Array(lines.drop { !$0.hasPrefix("REDIS_URL ") }.prefix(4))
        #expect(
            redis.map { $0.split(separator: " ").dropFirst(redis[0] == $0 ? 2 : 1).first.map(String.init) } == [
                "env", "vault.env:4", "vault.env:3", "base.env:3",
            ])
        #expect(r.stdout.contains("# NEXT_PUBLIC_* (read by next_public)\nNEXT_PUBLIC_SITE_NAME"))
        #expect(r.stdout.contains("DATABSE_URL (vault.env:1): did you mean DATABASE_URL?"))
        #expect(!r.stdout.contains("FEATURE_FLAGS"))
        #expect(r.stdout.contains("warning: REDIS_URL (vault.env:4): duplicate_key: set twice in this file, on lines 3 and 4"))
        #expect(r.stdout.contains("warning: base.env:1: stale_file: last written 2d ago, more than --max-age 1d"))
        #expect(CanaryForms.findings(canaries, in: r.output).isEmpty, "\(r.output)")
        let all = try await config(["--all"])
        #expect(all.stdout.contains("# not read by any probe\n") && all.stdout.contains("FEATURE_FLAGS"))
        #expect(CanaryForms.findings(canaries, in: all.output).isEmpty, "\(all.output)")
    }

    @Test(.requires(.jsonSchemaValidator)) func jsonCarriesGroupsSourcesAndSuggestions() async throws {
        let r = try await config(["--format", "json", "--all"], environment: ["ENVCHECK_FINGERPRINT_KEY": String(repeating: "f", count: 32)])
        #expect(r.status == 0, "\(r.output)")
        try await SchemaValidator.validateJSON(r.stdout, schema: "config.schema.json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let keys = try #require(object["keys"] as? [[String: Any]])
        func row(_ key: String) -> [String: Any]? { keys.first { $0["key"] as? String == key } }
        #expect(row("DATABASE_URL")?["did_you_mean"] as? String == "DATABSE_URL")
        #expect(row("DATABSE_URL")?["group"] as? String == "unread" && row("DATABSE_URL")?["did_you_mean"] as? String == "DATABASE_URL")
        #expect(row("NEXT_PUBLIC_SITE_NAME")?["group"] as? String == "next_public")
        let s3 = try #require(row("S3_SECRET_KEY")?["sources"] as? [[String: Any]])
        #expect(s3.map { $0["source"] as? String } == ["vault.env:2", "base.env:2"])
        // Both values are secret: fingerprints, which differ, and never the value.
        let shown = s3.compactMap { $0["value"] as? String }
        #expect(shown.count == 2 && shown.allSatisfy { $0.hasPrefix("<secret: ") && $0.contains("hmac:") } && shown[0] != shown[1], "\(shown)")
        #expect(row("REDIS_URL")?["status"] as? String == "set")
        #expect(CanaryForms.findings(canaries, in: r.output).isEmpty, "\(r.output)")
    }

    @Test func checkWarnsOfAStaleFileToo() async throws {
        let r = try await EnvCheckBinary.run(
            ["check", "--env-file", "base.env", "--max-age", "24h", "--only", "openrouter", "--format", "json"], directory: dir.path)
        #expect(r.status == 0, "\(r.output)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let warnings = object["warnings"] as? [String] ?? []
        #expect(warnings.contains { $0.hasPrefix("base.env:1: stale_file: last written 2d ago") }, "\(warnings)")
        let fresh = try await EnvCheckBinary.run(
            ["check", "--env-file", "vault.env", "--max-age", "24h", "--only", "openrouter", "--format", "json"], directory: dir.path)
        #expect(!fresh.stdout.contains("stale_file"), "\(fresh.stdout)")
    }

    @Test func twoAssignmentsOnOneLineIsExitTwoNamingBothKeys() async throws {
        let r = try await EnvCheckBinary.run(["config", "--env-file", "two.env"], directory: dir.path)
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("envcheck: two.env:1: two assignments on one line: 'DATABASE_URL' and 'REDIS_URL'"), "\(r.stderr)")
        #expect(CanaryForms.findings([password], in: r.output).isEmpty)
    }

    @Test func misspeltCommandsAndProbeIdsGetASuggestion() async throws {
        let command = try await EnvCheckBinary.run(["chek", "--no-env-file"])
        #expect(command.status == 2)
        #expect(command.stderr == "envcheck: unknown command 'chek': did you mean 'check'?\n")
        let probe = try await EnvCheckBinary.run(["check", "--no-env-file", "--only", "postgress"])
        #expect(probe.status == 2)
        #expect(probe.stderr.hasPrefix("envcheck: unknown probe 'postgress' in --only (did you mean 'postgres'? known: "), "\(probe.stderr)")
        let far = try await EnvCheckBinary.run(["xyzzy", "--no-env-file"])
        #expect(far.status == 2 && far.stderr.hasPrefix("envcheck: Unexpected argument 'xyzzy'"), "\(far.stderr)")
        let age = try await EnvCheckBinary.run(["config", "--no-env-file", "--max-age", "soon"])
        #expect(age.status == 2 && age.stderr.contains("--max-age"), "\(age.stderr)")
    }
}
