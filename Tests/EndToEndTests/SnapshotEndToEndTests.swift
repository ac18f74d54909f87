import Foundation
import TestSupport
import Testing

/// `snapshot` and `diff` through the built binary: two environments that differ in every
/// way diff checks, two identical ones that diff clean, files that are not snapshots, and
/// secrets that never reach a snapshot in any form.
@Suite("snapshot and diff")
struct SnapshotEndToEndTests {
    static let fingerprintKey = "4f1c0a9e7d3b2a68c5e1f0d9b8a7c6e5"

    /// A staging and a production environment that break every diff rule: production-only
    /// and staging-only keys, the same SECRET_KEY, the same database on the same host, the
    /// same bucket at the same endpoint, the same Redis database, and a REGION that must
    /// match but does not.
    struct Pair {
        let dir: TempDir
        let secrets: [String]
        let staging: String
        let production: String
    }

    static func pair() throws -> Pair {
        let dir = try TempDir(prefix: "envcheck-snapshot")
        let signing = Canary.make("signing") + Canary.make("key")
        let stagingDB = Canary.make("stagingdb")
        let productionDB = Canary.make("proddb")
        let s3 = Canary.make("s3secret")
        let part = Canary.make("interp")
        let staging = try dir.write(
            "staging.env",
            """
            ENVIRONMENT=staging
            SECRET_KEY=\(signing)
            DATABASE_URL=postgresql://app:\(stagingDB)@db.example.com:5432/app
            REDIS_URL=redis://:\(stagingDB)@cache.example.com:6379/2
            S3_ENDPOINT=https://s3.example.com
            S3_BUCKET=uploads
            S3_ACCESS_KEY=AKIASTAGING0000001
            S3_SECRET_KEY=\(s3)
            REGION=eu-west-1
            PART=\(part)
            OPENROUTER_API_KEY=sk-or-v1-${PART}
            STAGING_ONLY=1

            """)
        let production = try dir.write(
            "production.env",
            """
            ENVIRONMENT=production
            SECRET_KEY=\(signing)
            DATABASE_URL=postgresql://app:\(productionDB)@db.example.com:5432/app
            REDIS_URL=redis://:\(productionDB)@cache.example.com:6379/2
            S3_ENDPOINT=https://s3.example.com
            S3_BUCKET=uploads
            S3_ACCESS_KEY=AKIAPRODUCTION00001
            S3_SECRET_KEY=\(s3)-production
            REGION=us-east-1
            PRODUCTION_ONLY=1

            """)
        return Pair(dir: dir, secrets: [signing, stagingDB, productionDB, s3, part, "sk-or-v1-" + part], staging: staging, production: production)
    }

    static func snapshot(_ envFile: String, out: String, dir: TempDir, extra: [String] = [], key: String? = fingerprintKey) async throws -> String {
        var env = ["NOT_READ_BY_ANYONE": "visible-only-with-all"]
        if let key { env["ENVCHECK_FINGERPRINT_KEY"] = key }
        let r = try await EnvCheckBinary.run(["snapshot", "--env-file", envFile, "--out", out] + extra, environment: env, directory: dir.path)
        #expect(r.status == 0 || extra.contains("--check"), "\(r.output)")
        return try String(contentsOfFile: out, encoding: .utf8)
    }

    static func checks(_ json: String) throws -> [String: (status: String, codes: [String])] {
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        var out: [String: (String, [String])] = [:]
        for c in doc["checks"] as? [[String: Any]] ?? [] {
            out[c["id"] as? String ?? ""] = (c["status"] as? String ?? "", (c["findings"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String })
        }
        return out
    }

    @Test(.requires(.jsonSchemaValidator, .junitSchemaValidator)) func twoEnvironmentsThatDifferInEveryWay() async throws {
        let p = try Self.pair()
        let a = try await Self.snapshot(p.staging, out: p.dir.path + "/staging.json", dir: p.dir)
        let b = try await Self.snapshot(p.production, out: p.dir.path + "/production.json", dir: p.dir)
        try await SchemaValidator.validateJSON(a, schema: "snapshot.schema.json")
        try await SchemaValidator.validateJSON(b, schema: "snapshot.schema.json")
        #expect(CanaryForms.findings(p.secrets, in: a + b).isEmpty, "a secret reached a snapshot:\n\(a)")
        #expect(!a.contains("visible-only-with-all"), "process-environment keys no probe reads are left out")

        let junit = p.dir.path + "/diff.xml"
        let r = try await EnvCheckBinary.run(
            ["diff", "staging.json", "production.json", "--expect-equal", "REGION", "--format", "json", "--junit", junit], directory: p.dir.path)
        #expect(r.status == 1, "\(r.output)")
        try await SchemaValidator.validateJSON(r.stdout, schema: "diff.schema.json")
        let checks = try Self.checks(r.stdout)
        #expect(checks["keys"]?.status == "warn" && checks["keys"]?.codes == ["key_missing", "key_missing"])
        #expect(checks["secrets"]?.status == "fail" && checks["secrets"]?.codes == ["secret_reused"], "\(r.stdout)")
        #expect(
            checks["resources"]?.status == "fail" && checks["resources"]?.codes == ["shared_resource", "shared_resource", "shared_resource"], "\(r.stdout)")
        #expect(checks["expect_equal"]?.status == "fail" && checks["expect_equal"]?.codes == ["value_differs"])
        let xml = try String(contentsOfFile: junit, encoding: .utf8)
        try await SchemaValidator.validateJUnit(xml)
        #expect(xml.contains("tests=\"4\"") && xml.contains("failures=\"3\""), "\(xml)")

        let human = try await EnvCheckBinary.run(["diff", "staging.json", "production.json", "--no-color"], directory: p.dir.path)
        #expect(human.status == 1)
        #expect(human.stdout.contains("SECRET_KEY holds the same secret in staging and production (hmac:"), "\(human.stdout)")
        #expect(human.stdout.contains("staging and production use the same database app on db.example.com:5432 (DATABASE_URL)"), "\(human.stdout)")
        #expect(
            human.stdout.contains("the same bucket uploads on s3.example.com") && human.stdout.contains("the same redis database 2 on cache.example.com:6379"))
        #expect(CanaryForms.findings(p.secrets, in: r.stdout + human.stdout + xml).isEmpty)
    }

    @Test func diffAsMarkdownTapAndJSONOnStdout() async throws {
        let p = try Self.pair()
        _ = try await Self.snapshot(p.staging, out: p.dir.path + "/staging.json", dir: p.dir)
        _ = try await Self.snapshot(p.production, out: p.dir.path + "/production.json", dir: p.dir)
        let md = try await EnvCheckBinary.run(["diff", "staging.json", "production.json", "--format", "markdown"], directory: p.dir.path)
        #expect(md.status == 1 && md.stdout.hasPrefix("### ") && md.stdout.contains("| | check | status | result |"), "\(md.stdout)")
        #expect(md.stdout.contains("| ❌ | `secrets` | fail `secret_reused` |"), "\(md.stdout)")
        let tap = try await EnvCheckBinary.run(["diff", "staging.json", "production.json", "--format", "tap"], directory: p.dir.path)
        #expect(tap.stdout.hasPrefix("TAP version 14\n1..") && tap.stdout.contains("not ok ") && tap.stdout.contains(" - secrets: "))
        let json = try await EnvCheckBinary.run(["diff", "staging.json", "production.json", "--json", "-"], directory: p.dir.path)
        #expect(json.stdout.hasPrefix("{"))
        #expect(CanaryForms.findings(p.secrets, in: md.stdout + tap.stdout + json.stdout).isEmpty)
        let both = try await EnvCheckBinary.run(["diff", "staging.json", "production.json", "--json", "-", "--format", "tap"], directory: p.dir.path)
        #expect(both.status == 2)
    }

    @Test func identicalSnapshotsDiffClean() async throws {
        let p = try Self.pair()
        _ = try await Self.snapshot(p.production, out: p.dir.path + "/one.json", dir: p.dir)
        _ = try await Self.snapshot(p.production, out: p.dir.path + "/two.json", dir: p.dir)
        let r = try await EnvCheckBinary.run(
            ["diff", "one.json", "two.json", "--expect-equal", "REGION,SECRET_KEY", "--format", "json"], directory: p.dir.path)
        #expect(r.status == 0, "\(r.output)")
        let checks = try Self.checks(r.stdout)
        #expect(checks["keys"]?.status == "pass" && checks["expect_equal"]?.status == "pass")
        #expect(checks["secrets"]?.status == "skip" && checks["resources"]?.status == "skip")
        // Two environments that share nothing also diff clean.
        let other = try p.dir.write(
            "other.env", "ENVIRONMENT=staging\nDATABASE_URL=postgresql://app@db-staging.example.com/app_staging\nREGION=us-east-1\nPRODUCTION_ONLY=1\n")
        let clean = try p.dir.write(
            "clean.env", "ENVIRONMENT=production\nDATABASE_URL=postgresql://app@db.example.com/app\nREGION=us-east-1\nPRODUCTION_ONLY=1\n")
        _ = try await Self.snapshot(other, out: p.dir.path + "/s.json", dir: p.dir)
        _ = try await Self.snapshot(clean, out: p.dir.path + "/p.json", dir: p.dir)
        let apart = try await EnvCheckBinary.run(["diff", "s.json", "p.json", "--expect-equal", "REGION"], directory: p.dir.path)
        #expect(apart.status == 0 && apart.stdout.contains("PASS - 0 failed · 0 warnings of 4 checks"), "\(apart.output)")
    }

    @Test func withoutASharedKeySecretsAreNotCompared() async throws {
        let p = try Self.pair()
        let a = try await Self.snapshot(p.staging, out: p.dir.path + "/a.json", dir: p.dir, key: nil)
        _ = try await Self.snapshot(p.production, out: p.dir.path + "/b.json", dir: p.dir, key: "another-key-of-thirty-two-bytes-or-more")
        #expect(a.contains("\"fingerprint_key_id\": null") && !a.contains("hmac:"))
        let r = try await EnvCheckBinary.run(["diff", "a.json", "b.json"], directory: p.dir.path)
        #expect(r.stdout.contains("WARN   secrets       secrets not compared (no shared key)"), "\(r.stdout)")
        _ = try await Self.snapshot(p.staging, out: p.dir.path + "/c.json", dir: p.dir)
        let keys = try await EnvCheckBinary.run(["diff", "c.json", "b.json"], directory: p.dir.path)
        #expect(keys.stdout.contains("the snapshots were made with different fingerprint keys"), "\(keys.stdout)")
    }

    @Test func checkAndAllAddToTheSnapshot() async throws {
        let p = try Self.pair()
        let env = try p.dir.write("local.env", "ENVIRONMENT=local\nREDIS_URL=redis://127.0.0.1:1/0\n")
        let text = try await Self.snapshot(
            env, out: p.dir.path + "/l.json", dir: p.dir, extra: ["--check", "--all", "--timeout", "1s", "--only", "redis,policy"])
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let probes = try #require(doc["probes"] as? [[String: Any]])
        #expect(probes.compactMap { $0["id"] as? String } == ["redis", "policy"])
        #expect(probes.first?["code"] as? String == "connection_refused")
        #expect(text.contains("visible-only-with-all"))
    }

    /// A manifest template in place of a key may hold a literal password: the resource
    /// names it scrubbed; a part spliced into a secret is itself a secret in the snapshot.
    @Test func templatesAndPartsOfSecretsStayOutOfTheSnapshot() async throws {
        let p = try Self.pair()
        let password = Canary.make("literalpw")
        let manifest = try p.dir.write(
            "m.yaml", "version: 1\nprobes:\n  - kind: postgres\n    inputs:\n      url: \"postgresql://app:\(password)@${DB_HOST}/app\"\n")
        let env = try p.dir.write("m.env", "DB_HOST=db.example.com\nPART=\(Canary.make("part"))\nAPI_TOKEN=sk-${PART}\n")
        let text = try await Self.snapshot(env, out: p.dir.path + "/m.json", dir: p.dir, extra: ["--probes", manifest])
        #expect(CanaryForms.findings([password], in: text).isEmpty, "\(text)")
        #expect(text.contains("\"host\": \"db.example.com\""), "\(text)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let part = (doc["keys"] as? [[String: Any]] ?? []).first { $0["key"] as? String == "PART" }
        #expect(part?["secret"] as? Bool == true && part?["value"] is NSNull, "\(String(describing: part))")
    }

    @Test func aFileThatIsNotASnapshotIsExitTwoNamingIt() async throws {
        let p = try Self.pair()
        _ = try await Self.snapshot(p.staging, out: p.dir.path + "/a.json", dir: p.dir)
        try p.dir.write("report.json", "{\"schema_version\": 1, \"tool\": \"envcheck\", \"mode\": \"check\"}")
        try p.dir.write("broken.json", "{\"tool\": ")
        for (file, message) in [
            ("report.json", "envcheck: report.json: an envcheck check report, not a snapshot (make one with: envcheck snapshot --out FILE)\n"),
            ("broken.json", "envcheck: broken.json: not an envcheck snapshot (invalid JSON at byte 9: "),
            ("missing.json", "envcheck: cannot read the snapshot missing.json"),
        ] {
            let r = try await EnvCheckBinary.run(["diff", "a.json", file], directory: p.dir.path)
            #expect(r.status == 2 && r.stdout.isEmpty && r.stderr.hasPrefix(message), "\(r.output)")
        }
    }
}
