import EnvCheckCore

/// `policy`: the environment rules (docs/policy.md), offline: each rule reads the resolved
/// configuration and the environment name and gives pass, or its severity for this kind of
/// environment (a manifest's `rules` option overrides it, or turns the rule off).
/// - One result: the worst rule wins and its id is the code; `details.rules[]` holds every
///   rule's {id, status, message, keys}, and JUnit shows one case per rule.
/// - Values are never shown: messages name keys, and the non-secret names they judge
///   (hosts, database names, buckets, origins).
public struct PolicyProbe: Probe {
    let rules: [PolicyRule]
    let overrides: [String: RuleSeverity]
    let context: PolicyContext

    /// One rule's conclusion.
    struct RuleResult: Equatable {
        let id: ErrorCode
        let status: ProbeStatus
        let message: Message
        let keys: [String]
    }

    public func check(_ context: ProbeContext) async throws -> ProbeOutcome { evaluate() }

    func results() -> [RuleResult] {
        rules.map { rule in
            let severity = overrides[rule.id.rawValue] ?? rule.severity[self.context.environment.kind] ?? .off
            guard let status = severity.status else {
                let why: Message =
                    overrides[rule.id.rawValue] == .off
                    ? "turned off by the manifest" : "not checked in \(label: self.context.environment.kind.rawValue) environments"
                return RuleResult(id: rule.id, status: .skip, message: why, keys: [])
            }
            switch rule.check(self.context) {
            case .pass(let message): return RuleResult(id: rule.id, status: .pass, message: message, keys: [])
            case .broken(let message, let keys): return RuleResult(id: rule.id, status: status, message: message, keys: keys)
            }
        }
    }

    func evaluate() -> ProbeOutcome {
        let results = results()
        let checks = results.map { CheckOutcome(id: $0.id, status: $0.status, message: $0.message, keys: $0.keys) }
        let details: JSONObject = [
            "environment": context.environment.name.map(JSONValue.string) ?? .null,
            "environment_kind": .string(context.environment.kind.rawValue),
        ]
        let broken = results.filter { $0.status == .fail || $0.status == .warn }
        let checked = results.count { $0.status != .skip }
        guard let worst = broken.first(where: { $0.status == .fail }) ?? broken.first else {
            return ProbeOutcome(status: .pass, message: "\(checked) rule(s) pass in " + context.environment.described, details: details, checks: checks)
        }
        let others = broken.filter { $0.id != worst.id }
        var message = "\(worst.id): " + worst.message
        if !others.isEmpty { message += "; also " + Message.joined(others.map { "\($0.id)" as Message }, separator: ", ") }
        let hint = rules.first { $0.id == worst.id }.map { Message.trusted($0.hint) }
        return ProbeOutcome(status: worst.status, message: message, code: worst.id, hint: hint, details: details, checks: checks)
    }
}
