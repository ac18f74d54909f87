import EnvCheckCore

/// One environment rule of the `policy` kind (docs/policy.md): its declaration (id, one
/// line, hint, a severity per environment kind, examples the README and the tests both
/// use) and its check. A rule reads the resolved configuration only; it never prints a
/// secret's value.
struct PolicyRule: Sendable {
    let declaration: RuleDeclaration
    let check: @Sendable (PolicyContext) -> RuleVerdict

    init(
        _ id: ErrorCode, summary: String, hint: String, severity: [EnvironmentName.Kind: RuleSeverity], examples: [RuleExample],
        check: @escaping @Sendable (PolicyContext) -> RuleVerdict
    ) {
        declaration = RuleDeclaration(id, summary: summary, hint: hint, severity: severity, examples: examples)
        self.check = check
    }

    var id: ErrorCode { declaration.id }
    var hint: String { declaration.hint }
    var severity: [EnvironmentName.Kind: RuleSeverity] { declaration.severity }
    var examples: [RuleExample] { declaration.examples }
    var summary: String { declaration.summary }

    static func severity(
        local: RuleSeverity, staging: RuleSeverity, production: RuleSeverity, ci: RuleSeverity? = nil, preview: RuleSeverity? = nil
    ) -> [EnvironmentName.Kind: RuleSeverity] {
        RuleDeclaration.severity(local: local, staging: staging, production: production, ci: ci, preview: preview)
    }
}

/// What a rule found.
enum RuleVerdict: Sendable, Equatable {
    /// Nothing wrong; the message says what was checked.
    case pass(Message)
    /// Broken: what is wrong (naming keys, never a secret value) and the keys involved.
    case broken(Message, keys: [String])
}

/// What every rule reads.
struct PolicyContext: Sendable {
    /// The configuration and the manifest's bindings of the kind's inputs.
    let settings: ProbeSettings
    let environment: EnvironmentName
    /// `/.dockerenv`, `KUBERNETES_SERVICE_HOST` or `ENVCHECK_IN_CONTAINER` (docs/policy.md).
    let inContainer: Bool
    /// `.env.example`'s committed values (`--env-example`).
    let exampleValues: [String: String]
    let options: PolicyOptions

    var config: ResolvedConfig { settings.config }

    /// The value of `key` when set and not empty.
    func value(_ key: String) -> String? { config.nonEmpty(key) }

    /// The values a rule judges for `input`: every one of `keys` that is set, where a
    /// manifest binding of the input takes the place of the input's own default keys
    /// (named by its template, or as "the manifest's NAME input" for a literal).
    func values(_ input: ProbeInput, keys: [String]) -> [ProbeSettings.Value] {
        let named = { (k: String) in config.nonEmpty(k).map { ProbeSettings.Value(value: $0, key: k) } }
        guard settings.bindings[input.name] != nil else { return keys.compactMap(named) }
        return (settings.value(input).map { [$0] } ?? []) + keys.filter { !input.keys.contains($0) }.compactMap(named)
    }

    /// The input's one value (a binding, else the first of its keys set).
    func first(_ input: ProbeInput) -> ProbeSettings.Value? { settings.value(input) }
}

/// The manifest options rules read (their defaults are the rules' own).
struct PolicyOptions: Sendable {
    var infraKeys: [String] = InfraCredentialsRule.defaultKeys
    var signingKeys: [String] = SigningKeyRule.defaultKeys
    /// Nil: the name rule (`*ROOT*TOKEN*`, `*ADMIN*TOKEN*`).
    var adminTokenKeys: [String]? = nil
    var corsCredentialsKey = "CORS_ALLOW_CREDENTIALS"
}

extension PolicyContext {
    /// A context for `config` as a plain environment (the examples, the tests).
    init(
        _ values: [String: String], bindings: [String: String] = [:], example: [String: String] = [:], inContainer: Bool = false,
        options: PolicyOptions = PolicyOptions()
    ) {
        let settings = ProbeSettings(id: "policy", config: ResolvedConfig(values), bindings: bindings)
        self.init(
            settings: settings, environment: PolicyProbe.environment(settings), inContainer: inContainer, exampleValues: example, options: options)
    }
}

/// Name helpers the rules share.
enum PolicyNames {
    /// `KEY` split into its words (`VAULT_ROOT_TOKEN` → VAULT, ROOT, TOKEN).
    static func words(_ key: String) -> [Substring] {
        key.uppercased().split { !$0.isLetter && !$0.isNumber }
    }

    /// The words of a value (host, database or bucket name), lower-cased: letters and
    /// digits, split on everything else, so `product_db` is `product`, `db`.
    static func tokens(_ text: String) -> [Substring] {
        text.lowercased().split { !$0.isLetter && !$0.isNumber }
    }

    /// The pydantic spellings of true (`1`, `on`, `t`, `true`, `y`, `yes`, any case).
    static func isTruthy(_ value: String) -> Bool {
        ["1", "on", "t", "true", "y", "yes"].contains(value.lowercased())
    }
}
