import EnvCheckCore

/// `debug_in_production`: `DEBUG` is on (any spelling pydantic reads as true) where real
/// users are: debug pages show stack traces, settings and sometimes secrets.
enum DebugRule {
    static let keys = ["DEBUG"]

    static let rule = PolicyRule(
        .debugInProduction,
        summary: "DEBUG is off (not 1, on, t, true, y or yes in any case) in staging and production",
        hint: "set DEBUG=false (or leave it unset) outside local and ci environments",
        severity: PolicyRule.severity(local: .off, staging: .fail, production: .fail),
        examples: [
            RuleExample(config: ["ENVIRONMENT": "production", "DEBUG": "false"], expect: nil, note: "off"),
            RuleExample(config: ["ENVIRONMENT": "production", "DEBUG": "True"], expect: .fail, note: "on in production"),
            RuleExample(config: ["ENVIRONMENT": "pr-42", "DEBUG": "on"], expect: .fail, note: "on in a preview, which counts as staging"),
            RuleExample(config: ["ENVIRONMENT": "local", "DEBUG": "1"], expect: nil, note: "on locally"),
        ],
        check: check)

    static func check(_ c: PolicyContext) -> RuleVerdict {
        let on = c.values(PolicyProbe.debugInput, keys: keys).filter { PolicyNames.isTruthy($0.value) }.map(\.key)
        guard let key = on.first else { return .pass("\(label: keys.joined(separator: ", ")) is not on") }
        return .broken("\(key: key) is on in \(c.environment.described)", keys: on)
    }
}

extension ErrorCode {
    /// DEBUG is on in staging or production.
    static let debugInProduction = ErrorCode("debug_in_production")
}
