import Testing

@testable import EnvCheckCore

/// `envcheck list --codes` and the README table: the runner's codes once, then each kind.
@Suite struct CodesReportTests {
    @Test func theCodesReportListsTheRunnersCodesOnceThenEachKind() throws {
        let registry = ProbeRegistry([
            ProbeCodeTests.blink, ProbeCodeTests.kind("vault", secret: .whole, codes: [ProbeCode(.init("sealed"), .fail, meaning: "sealed")]),
        ])
        let markdown = CodesReport.markdown(registry)
        let lines = markdown.split(separator: "\n").map(String.init)
        #expect(lines[0] == "| probe | code | status | meaning |")
        #expect(lines.contains("| all | `not_configured` | fail | a required probe's inputs are unset or empty |"))
        #expect(lines.contains("| `blink` | `lamp_off` | fail | the lamp \\| is off |"), "a | in a meaning is escaped")
        #expect(lines.contains { $0.hasPrefix("| `blink` | `timeout` | fail |") }, "a refined universal code is listed under the kind")
        #expect(!lines.contains { $0.hasPrefix("| `blink` | `not_configured`") })
        #expect(lines.contains { $0.hasPrefix("| `vault` | `weak_credential` | warn, fail |") })
        #expect(!lines.contains { $0.hasPrefix("| `blink` | `weak_credential`") })
        #expect(lines.count == 2 + ProbeCode.universal.count + 3 + 2)

        let human = CodesReport.human(registry)
        #expect(human.hasPrefix("all kinds (the planner and the runner)\n  not_configured "))
        #expect(human.contains("\nblink\n  lamp_off "))
        #expect(human.contains("hint: open <host>:<port> in the firewall"))

        let json = try JSONParser.parse(Array(CodesReport.json(registry).utf8))
        let root = try #require(json.objectValue)
        #expect(root["mode"] == "list" && root["schema_version"] == .int(1))
        #expect(root["all_kinds"]?.arrayValue?.count == ProbeCode.universal.count)
        let kinds = try #require(root["kinds"]?.arrayValue)
        #expect(kinds.map { $0.objectValue?["kind"] } == ["blink", "vault"])
        let blink = try #require(kinds[0].objectValue?["codes"]?.arrayValue?.compactMap { $0.objectValue })
        #expect(blink.map { $0["code"]?.stringValue ?? "" } == ProbeCodeTests.blink.allCodes.map(\.code.rawValue), "per kind, the full list")
        #expect(blink[0]["status"] == "fail" && blink[0]["hint"] == "open <host>:<port> in the firewall")
        let vault = try #require(kinds[1].objectValue?["codes"]?.arrayValue?.compactMap { $0.objectValue })
        let weak = try #require(vault.first { $0["code"] == "weak_credential" })
        #expect(weak["statuses"] == .array(["warn", "fail"]) && weak["status"] == "warn")
        #expect(vault.first { $0["code"] == "sealed" }?["hint"] == .null)
    }
}
