import Testing

@testable import EnvCheckCore

/// Snapshots read back (and refused when they are not snapshots), and each check of
/// `diff` on its own.
@Suite struct SnapshotDiffTests {
    static func snapshot(
        _ env: String?, keyID: String? = "0a1b2c3d", keys: [Snapshot.Key], resources: [Snapshot.Resource] = []
    ) -> Snapshot {
        Snapshot(
            environment: .init(name: env, kind: env.flatMap(EnvironmentName.kind(of:))?.rawValue ?? "local", key: env == nil ? nil : "ENVIRONMENT"),
            keyID: keyID, createdAt: "2026-12-04T00:00:00.000Z", keys: keys, resources: resources, probes: nil, notes: [])
    }

    static func plain(_ key: String, _ value: String) -> Snapshot.Key {
        .init(key: key, source: "env", secret: false, value: value, length: value.count, fingerprint: nil, probes: [])
    }

    static func secret(_ key: String, _ fingerprint: String?) -> Snapshot.Key {
        .init(key: key, source: "env", secret: true, value: nil, length: 40, fingerprint: fingerprint, probes: [])
    }

    static func db(_ host: String, _ name: String, key: String = "DATABASE_URL") -> Snapshot.Resource {
        .init(probe: "postgres", resource: ProbeResource(what: "database", host: host, port: 5432, name: name, key: key))
    }

    func diff(_ a: Snapshot, _ b: Snapshot, expectEqual: [String] = []) -> SnapshotDiff {
        SnapshotDiff(.init(path: "a.json", snapshot: a), .init(path: "b.json", snapshot: b), expectEqual: expectEqual)
    }

    func check(_ d: SnapshotDiff, _ id: String) -> SnapshotDiff.Check { d.checks.first { $0.id == id }! }

    @Test func aSnapshotReadsBackAsItWasWritten() throws {
        let s = Self.snapshot(
            "staging", keys: [Self.plain("S3_BUCKET", "uploads"), Self.secret("SECRET_KEY", "hmac:00112233")], resources: [Self.db("db.example.com", "app")])
        let back = try Snapshot.parse(Array(s.json().utf8), path: "s.json")
        #expect(back == s)
    }

    @Test(arguments: [
        ("[1]", "s.json: not an envcheck snapshot (the JSON is not an object)"),
        ("{\"tool\": \"other\"}", "s.json: not an envcheck snapshot (no \"tool\": \"envcheck\")"),
        ("{\"tool\": \"envcheck\", \"mode\": \"config\"}", "s.json: an envcheck config report, not a snapshot (make one with: envcheck snapshot --out FILE)"),
        ("{\"tool\": \"envcheck\", \"mode\": \"snapshot\", \"schema_version\": 2}", "s.json: schema_version 2, but this envcheck reads 1"),
        ("{\"tool\": \"envcheck\", \"mode\": \"snapshot\", \"schema_version\": 1}", "s.json: no \"environment\" with a \"kind\""),
        (
            "{\"tool\": \"envcheck\", \"mode\": \"snapshot\", \"schema_version\": 1, \"environment\": {\"kind\": \"local\"}, \"keys\": [{\"key\": \"A\"}]}",
            "s.json: keys[0] needs \"key\", \"secret\" and \"length\""
        ),
        (
            "{\"tool\": \"envcheck\", \"mode\": \"snapshot\", \"schema_version\": 1, \"environment\": {\"kind\": \"local\"}, \"keys\": [{\"key\": \"A\", \"secret\": true, \"length\": 3, \"value\": \"abc\"}]}",
            "s.json: keys[0] (A) is a secret with a value: a snapshot never holds one"
        ),
        ("{\"tool\": \"envcheck\"", "s.json: not an envcheck snapshot (invalid JSON at byte 19: unterminated object)"),
    ])
    func aFileThatIsNotASnapshotIsRefusedByName(_ text: String, _ message: String) {
        #expect(throws: SnapshotError.self) { try Snapshot.parse(Array(text.utf8), path: "s.json") }
        do {
            _ = try Snapshot.parse(Array(text.utf8), path: "s.json")
        } catch {
            #expect(error.description.hasPrefix(message.components(separatedBy: " (invalid JSON").first!), "\(error.description)")
        }
    }

    @Test func keysInOnlyOneAreNamed() {
        let d = diff(Self.snapshot("staging", keys: [Self.plain("A", "1"), Self.plain("B", "1")]), Self.snapshot("production", keys: [Self.plain("A", "1")]))
        let c = check(d, "keys")
        #expect(c.status == .warn && c.findings.map(\.code) == ["key_missing"] && c.findings[0].keys == ["B"])
        #expect(d.exitCode == 0)
    }

    @Test func reusedSecretsFailEvenUnderAnotherName() {
        let a = Self.snapshot("staging", keys: [Self.secret("SECRET_KEY", "hmac:aaaaaaaa"), Self.secret("API_KEY", "hmac:bbbbbbbb")])
        let b = Self.snapshot("production", keys: [Self.secret("JWT_SECRET", "hmac:aaaaaaaa"), Self.secret("API_KEY", "hmac:cccccccc")])
        let c = check(diff(a, b), "secrets")
        #expect(c.status == .fail && c.findings.count == 1 && c.findings[0].code == "secret_reused")
        #expect(c.findings[0].keys == ["JWT_SECRET", "SECRET_KEY"])
        #expect(diff(a, b).exitCode == 1)
    }

    @Test func secretsWithoutASharedKeyAreNeverAPass() {
        let none = check(
            diff(Self.snapshot("staging", keyID: nil, keys: [Self.secret("K", nil)]), Self.snapshot("production", keyID: nil, keys: [])), "secrets")
        #expect(none.status == .warn && none.findings[0].code == "secrets_not_compared" && none.message.contains("no shared key"))
        let other = check(
            diff(
                Self.snapshot("staging", keyID: "11111111", keys: [Self.secret("K", "hmac:aaaaaaaa")]),
                Self.snapshot("production", keyID: "22222222", keys: [Self.secret("K", "hmac:aaaaaaaa")])), "secrets")
        #expect(other.status == .warn && other.message.contains("different fingerprint keys (11111111, 22222222)"))
    }

    @Test func sharedResourcesFailButLoopbackAndServiceNamesDoNot() {
        let shared = check(
            diff(
                Self.snapshot("staging", keys: [], resources: [Self.db("db.example.com", "app")]),
                Self.snapshot("production", keys: [], resources: [Self.db("DB.example.com", "app")])), "resources")
        #expect(shared.status == .fail && shared.findings[0].code == "shared_resource")
        let otherName = check(
            diff(
                Self.snapshot("staging", keys: [], resources: [Self.db("db.example.com", "app_staging")]),
                Self.snapshot("production", keys: [], resources: [Self.db("db.example.com", "app")])), "resources")
        #expect(otherName.status == .pass)
        for host in ["localhost", "127.0.0.1", "db"] {
            let c = check(
                diff(
                    Self.snapshot("staging", keys: [], resources: [Self.db(host, "app")]),
                    Self.snapshot("production", keys: [], resources: [Self.db(host, "app")])), "resources")
            #expect(c.status == .pass, "\(host)")
        }
    }

    @Test func expectEqualComparesValuesAndSecretsByFingerprint() {
        let a = Self.snapshot("staging", keys: [Self.plain("REGION", "eu-west-1"), Self.secret("SHARED", "hmac:aaaaaaaa"), Self.plain("X", "1")])
        let b = Self.snapshot("production", keys: [Self.plain("REGION", "us-east-1"), Self.secret("SHARED", "hmac:aaaaaaaa")])
        let c = check(diff(a, b, expectEqual: ["REGION", "SHARED", "X"]), "expect_equal")
        #expect(c.findings.map(\.keys) == [["REGION"], ["X"]])
        #expect(c.findings[0].message == "REGION differs: eu-west-1 in staging, us-east-1 in production")
        #expect(check(diff(a, b), "expect_equal").status == .skip)
    }

    @Test func nodeEnvAloneDoesNotMakeTwoSnapshotsOneEnvironment() {
        func node(_ keys: [Snapshot.Key]) -> Snapshot {
            var s = Self.snapshot("production", keys: keys)
            s.environment = .init(name: "production", kind: "production", key: "NODE_ENV")
            return s
        }
        let d = diff(node([Self.secret("SECRET_KEY", "hmac:aaaaaaaa")]), node([Self.secret("SECRET_KEY", "hmac:aaaaaaaa")]))
        #expect(check(d, "secrets").status == .fail && d.exitCode == 1)
    }

    @Test func manyKeysSharingASecretAreOneFinding() {
        let keys = (0..<4000).map { Self.secret("K\($0)", "hmac:aaaaaaaa") }
        let resources = (0..<4000).map { Self.db("db.example.com", "app\($0)") }
        let d = diff(Self.snapshot("staging", keys: keys, resources: resources), Self.snapshot("production", keys: keys, resources: resources))
        let secrets = check(d, "secrets")
        #expect(secrets.findings.count == 1 && secrets.findings[0].keys.count == 4000)
        #expect(secrets.findings[0].message.count < 300)
        #expect(check(d, "resources").findings.count == 4000)
    }

    @Test func identicalSnapshotsOfOneEnvironmentDiffClean() {
        let s = Self.snapshot("production", keys: [Self.secret("SECRET_KEY", "hmac:aaaaaaaa")], resources: [Self.db("db.example.com", "app")])
        let d = diff(s, s, expectEqual: ["SECRET_KEY"])
        #expect(d.status == .pass && d.exitCode == 0)
        #expect(d.checks.map(\.status) == [.pass, .skip, .skip, .pass])
    }
}
