/// How much a broken rule matters in one kind of environment.
public enum RuleSeverity: String, Sendable, CaseIterable {
    case off, warn, fail

    /// The status a broken rule gives; nil when the rule is off.
    public var status: ProbeStatus? {
        switch self {
        case .off: nil
        case .warn: .warn
        case .fail: .fail
        }
    }
}

/// A configuration a rule is shown with, in the docs and in the tests: `config` (the
/// environment, `ENVIRONMENT` included), the values `.env.example` commits, whether the
/// process runs in a container, and what the rule gives under its own severities (nil: a
/// pass, or off in that environment).
public struct RuleExample: Sendable, Equatable {
    public let config: [String: String]
    public let example: [String: String]
    public let inContainer: Bool
    public let expect: RuleSeverity?
    /// What the example shows, in a few words.
    public let note: String

    public init(config: [String: String], example: [String: String] = [:], inContainer: Bool = false, expect: RuleSeverity?, note: String) {
        self.config = config
        self.example = example
        self.inContainer = inContainer
        self.expect = expect
        self.note = note
    }
}

/// What a rule of a rule-based kind (`policy`) declares about itself: its id (the result's
/// code when it is the worst broken rule), one line of what it checks, what to do when it
/// is broken, a severity per environment kind, and its examples. `envcheck list --rules`
/// and the README's rules table are made from these (``RulesReport``).
public struct RuleDeclaration: Sendable {
    public let id: ErrorCode
    public let summary: String
    public let hint: String
    public let severity: [EnvironmentName.Kind: RuleSeverity]
    public let examples: [RuleExample]

    public init(
        _ id: ErrorCode, summary: String, hint: String, severity: [EnvironmentName.Kind: RuleSeverity], examples: [RuleExample]
    ) {
        precondition(Set(severity.keys) == Set(EnvironmentName.Kind.allCases), "rule \(id.rawValue) must give a severity for every environment kind")
        self.id = id
        self.summary = summary
        self.hint = hint
        self.severity = severity
        self.examples = examples
    }

    /// One severity for local, staging and production; ci counts as local and preview as
    /// staging unless given (docs/design.md, "Configuration resolution": the environment name).
    public static func severity(
        local: RuleSeverity, staging: RuleSeverity, production: RuleSeverity, ci: RuleSeverity? = nil, preview: RuleSeverity? = nil
    ) -> [EnvironmentName.Kind: RuleSeverity] {
        [.local: local, .ci: ci ?? local, .staging: staging, .preview: preview ?? staging, .production: production]
    }

    /// The code a kind declares for this rule: warn or fail, as a manifest may set either;
    /// the configuration does not change while `--wait` waits, so no rule heals by waiting.
    public var code: ProbeCode { ProbeCode(id, .warn, .fail, meaning: summary, hint: .trusted(hint)).permanent }
}

/// `envcheck list --rules`: every rule of every kind that has rules, with its severity
/// per environment kind and its examples. The README's rules table is ``markdown(_:)``.
public enum RulesReport {
    static let kinds: [EnvironmentName.Kind] = [.local, .ci, .preview, .staging, .production]

    static func rules(_ registry: ProbeRegistry) -> [(kind: String, rule: RuleDeclaration)] {
        registry.kinds.flatMap { k in k.rules.map { (k.kind, $0) } }
    }

    public static func human(_ registry: ProbeRegistry) -> String {
        var lines: [String] = []
        for (kind, rule) in rules(registry) {
            lines.append("\(kind).\(rule.id.rawValue)  \(rule.summary)")
            lines.append("  " + kinds.map { "\($0.rawValue): \(rule.severity[$0]?.rawValue ?? "off")" }.joined(separator: ", "))
            lines.append("  hint: \(rule.hint)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public static func json(_ registry: ProbeRegistry) -> String {
        func strings(_ d: [String: String]) -> JSONValue {
            var o = JSONObject()
            for (k, v) in d.sorted(by: { $0.key < $1.key }) { o[k] = .string(v) }
            return .object(o)
        }
        let entries: [JSONValue] = rules(registry).map { kind, rule in
            .object([
                "kind": .string(kind), "id": .string(rule.id.rawValue), "summary": .string(rule.summary), "hint": .string(rule.hint),
                "severity": strings(Dictionary(uniqueKeysWithValues: kinds.map { ($0.rawValue, rule.severity[$0]?.rawValue ?? "off") })),
                "examples": .array(
                    rule.examples.map { e in
                        .object([
                            "note": .string(e.note), "config": strings(e.config), "example": strings(e.example), "in_container": .bool(e.inContainer),
                            "expect": .string(e.expect?.rawValue ?? "pass"),
                        ])
                    }),
            ])
        }
        var body = JSONObject()
        body["rules"] = .array(entries)
        return JSONWriter.write(.object(ReportEnvelope.json(mode: "list", body: body))) + "\n"
    }

    /// The README's rules table, then each rule's examples.
    public static func markdown(_ registry: ProbeRegistry) -> String {
        var lines = ["| rule | checks | " + kinds.map(\.rawValue).joined(separator: " | ") + " |", "|---|---|" + kinds.map { _ in "---|" }.joined()]
        for (_, rule) in rules(registry) {
            let cells = kinds.map { rule.severity[$0]?.rawValue ?? "off" }
            lines.append("| `\(rule.id.rawValue)` | \(escape(rule.summary)) | " + cells.joined(separator: " | ") + " |")
        }
        lines.append("")
        lines.append("Examples (each is a test):")
        lines.append("")
        for (_, rule) in rules(registry) {
            for e in rule.examples {
                let values = e.config.sorted { $0.key < $1.key }.map { "`\($0.key)=\(escape($0.value))`" }
                var setting = values.isEmpty ? "nothing set" : values.joined(separator: " ")
                if !e.example.isEmpty { setting += " (the same in .env.example)" }
                if e.inContainer { setting += " in a container" }
                lines.append("- `\(rule.id.rawValue)` \(e.expect?.rawValue ?? "pass"): \(setting): \(e.note)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func escape(_ text: String) -> String { text.replacing("|", with: "\\|") }
}
