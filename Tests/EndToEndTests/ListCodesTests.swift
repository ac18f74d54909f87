import EnvCheckProbes
import Foundation
import TestSupport
import Testing

/// `envcheck list --codes` on the built binary: every built-in kind's codes in each format,
/// the markdown form being exactly the README's generated table.
@Suite("list --codes")
struct ListCodesTests {
    static let kinds = BuiltInProbes.registry.kinds.map(\.kind)

    @Test func humanListsTheRunnersCodesThenEachKindWithHints() async throws {
        let r = try await EnvCheckBinary.run(["list", "--codes", "--no-env-file"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "all kinds (the planner and the runner)")
        #expect(lines.filter { !$0.hasPrefix(" ") } == ["all kinds (the planner and the runner)"] + Self.kinds)
        #expect(lines.contains { $0.hasPrefix("  clock_skew ") && $0.contains("fail") })
        #expect(r.stdout.contains("hint: sync the clock with NTP (timedatectl, chrony)"))
        #expect(r.stdout.contains("hint: set <region key> to the bucket's region"), "a hint template shows its placeholders")
    }

    @Test func jsonGivesEachKindItsFullList() async throws {
        let r = try await EnvCheckBinary.run(["list", "--codes", "--format", "json", "--no-env-file"])
        #expect(r.status == 0, "\(r.stderr)")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(root["mode"] as? String == "list" && root["schema_version"] as? Int == 1 && root["tool"] as? String == "envcheck")
        let kinds = try #require(root["kinds"] as? [[String: Any]])
        #expect(kinds.compactMap { $0["kind"] as? String } == Self.kinds)
        let redis = try #require(kinds.first { $0["kind"] as? String == "redis" }?["codes"] as? [[String: Any]])
        let loading = try #require(redis.first { $0["code"] as? String == "loading" })
        #expect(loading["status"] as? String == "fail" && (loading["meaning"] as? String)?.isEmpty == false && loading["hint"] is String)
        #expect(redis.contains { $0["code"] as? String == "not_configured" }, "the runner's codes are in each kind's list")
        #expect(redis.contains { $0["code"] as? String == "weak_credential" && $0["statuses"] as? [String] == ["warn", "fail"] })
    }

    @Test func markdownIsTheReadmesTable() async throws {
        let r = try await EnvCheckBinary.run(["list", "--codes", "--format", "markdown", "--no-env-file"])
        #expect(r.status == 0, "\(r.stderr)")
        let readme = try String(contentsOfFile: repositoryRoot + "/README.md", encoding: .utf8)
        #expect(readme.contains("<!-- codes:begin -->\n" + r.stdout + "<!-- codes:end -->"), "run scripts/readme-codes.sh")
    }

    @Test(arguments: [["list", "--format", "markdown"], ["list", "--codes", "--format", "tap"], ["config", "--format", "markdown"]])
    func otherFormatsAreUsageErrors(_ arguments: [String]) async throws {
        let r = try await EnvCheckBinary.run(arguments + ["--no-env-file"])
        #expect(r.status == 2, "\(arguments): \(r.output)")
        #expect(r.stderr.contains("--format must be"))
    }
}
