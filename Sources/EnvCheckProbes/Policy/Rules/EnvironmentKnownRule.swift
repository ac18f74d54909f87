import EnvCheckCore

/// `environment_known`: the environment is named (`ENVIRONMENT` > `ENV` > `NODE_ENV`) with
/// a name envcheck knows. Without one every rule assumes local, the most lenient; in a
/// container that is almost never true.
enum EnvironmentKnownRule {
    static let rule = PolicyRule(
        .environmentKnown,
        summary: "the environment is named (ENVIRONMENT, ENV or NODE_ENV) with a known name; in a container, a name is required",
        hint: "set ENVIRONMENT to production, staging, pr-<N>, ci or local (NODE_ENV is a build mode, not an environment)",
        severity: PolicyRule.severity(local: .warn, staging: .warn, production: .warn),
        examples: [
            RuleExample(config: ["ENVIRONMENT": "production"], inContainer: true, expect: nil, note: "named"),
            RuleExample(config: [:], inContainer: false, expect: nil, note: "no name on a laptop: local"),
            RuleExample(config: [:], inContainer: true, expect: .warn, note: "no name in a container"),
            RuleExample(config: ["ENV": "sandbox-7"], expect: .warn, note: "a name envcheck does not know"),
            RuleExample(config: ["NODE_ENV": "production"], expect: .warn, note: "NODE_ENV alone"),
        ],
        check: check)

    static func check(_ c: PolicyContext) -> RuleVerdict {
        let env = c.environment
        guard let key = env.key else {
            return c.inContainer
                ? .broken("no environment name (ENVIRONMENT, ENV or NODE_ENV) in a container; every rule assumed local", keys: ["ENVIRONMENT"])
                : .pass("no environment name; local assumed (not in a container)")
        }
        if let warning = env.warning { return .broken("\(label: warning)", keys: [key]) }
        return .pass("\(env.described)")
    }
}

extension ErrorCode {
    /// No environment name in a container, an unknown name, or NODE_ENV alone.
    static let environmentKnown = ErrorCode("environment_known")
}
