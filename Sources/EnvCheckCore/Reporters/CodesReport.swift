/// `envcheck list --codes`: the codes of every registered kind, with status, meaning and
/// hint, from the kinds' own declarations (``ProbeKind/codes``, ``ProbeCode/universal``).
/// The README's codes table is ``markdown(_:)`` of the built-in registry, and a test fails
/// when the two differ (docs/adding-a-probe.md).
public enum CodesReport {
    /// One group of rows: "all" (what the runner gives any kind), then one per kind.
    struct Group {
        let name: String
        let codes: [ProbeCode]
    }

    /// The runner's universal codes once, then each kind's own (plus `weak_credential`
    /// for a kind with a secret input), in registry order.
    static func groups(_ registry: ProbeRegistry) -> [Group] {
        let universal = Set(ProbeCode.universal.map(\.code))
        return [Group(name: "all", codes: ProbeCode.universal)]
            + registry.kinds.map { kind in
                Group(name: kind.kind, codes: kind.allCodes.filter { c in !universal.contains(c.code) || kind.codes.contains { $0.code == c.code } })
            }
    }

    static func statuses(_ code: ProbeCode) -> String { code.statuses.map(\.rawValue).joined(separator: ", ") }

    public static func human(_ registry: ProbeRegistry) -> String {
        let groups = groups(registry)
        let all = groups.flatMap(\.codes)
        let c = max(4, all.map(\.code.rawValue.count).max() ?? 0)
        let s = max(6, all.map { statuses($0).count }.max() ?? 0)
        var lines: [String] = []
        for group in groups {
            lines.append(group.name == "all" ? "all kinds (the planner and the runner)" : group.name)
            for code in group.codes {
                lines.append("  \(pad(code.code.rawValue, c))  \(pad(statuses(code), s))  \(code.meaning)\(code.heals ? "" : " (not retried by --wait)")")
                if let hint = code.hint { lines.append("  \(pad("", c))  \(pad("", s))  hint: \(hint.text)") }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public static func json(_ registry: ProbeRegistry) -> String {
        func entry(_ code: ProbeCode) -> JSONValue {
            .object([
                "code": .string(code.code.rawValue), "status": .string(code.statuses.first?.rawValue ?? ""),
                "statuses": .array(code.statuses.map { .string($0.rawValue) }), "meaning": .string(code.meaning),
                "hint": code.hint.map { .string($0.text) } ?? .null, "retried_by_wait": .bool(code.heals),
            ])
        }
        // Per kind the full list (a consumer looks a (kind, code) pair up directly).
        let kinds: [JSONValue] = registry.kinds.map { .object(["kind": .string($0.kind), "codes": .array($0.allCodes.map(entry))]) }
        var body = JSONObject()
        body["all_kinds"] = .array(ProbeCode.universal.map(entry))
        body["kinds"] = .array(kinds)
        return JSONWriter.write(.object(ReportEnvelope.json(mode: "list", body: body))) + "\n"
    }

    /// The README's table: one row per (kind, code).
    public static func markdown(_ registry: ProbeRegistry) -> String {
        var lines = ["| probe | code | status | meaning |", "|---|---|---|---|"]
        for group in groups(registry) {
            let name = group.name == "all" ? "all" : "`\(group.name)`"
            for code in group.codes {
                let meaning = code.meaning.replacing("|", with: "\\|") + (code.heals ? "" : " (not retried by --wait)")
                lines.append("| \(name) | `\(code.code.rawValue)` | \(statuses(code)) | \(meaning) |")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
