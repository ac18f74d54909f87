import EnvCheckCore

extension PolicyProbe {
    /// Every rule, in the order reports list them. A rule is one file in `Rules/`.
    static let allRules: [PolicyRule] = [
        RootTokenRule.rule, InfraCredentialsRule.rule, DebugRule.rule, SigningKeyRule.rule, CorsRule.rule, IsolationRule.rule,
        EnvironmentKnownRule.rule,
    ]

    static let environmentInput = ProbeInput("environment", keys: ["ENVIRONMENT", "ENV", "NODE_ENV"])
    static let rootTokenInput = ProbeInput("root_token", keys: ["VAULT_ROOT_TOKEN"], secret: .whole)
    static let signingKeyInput = ProbeInput("signing_key", keys: SigningKeyRule.defaultKeys, secret: .whole)
    static let infraInput = ProbeInput("infra_credentials", keys: InfraCredentialsRule.defaultKeys, secret: .whole)
    static let debugInput = ProbeInput("debug", keys: DebugRule.keys)
    static let corsInput = ProbeInput("cors_origins", keys: CorsRule.originKeys)
    static let frontendInput = ProbeInput("frontend_url", keys: CorsRule.frontendKeys)

    static let rulesOption = ProbeOption.stringMap("rules", "rule id → off, warn or fail, in every environment (default: each rule's own severities)")
    static let infraKeysOption = ProbeOption.stringList("infra_keys", "the deployment credentials to refuse (default: DOKPLOY_API_KEY, VPS_HOST, ...)")
    static let signingKeysOption = ProbeOption.stringList("signing_keys", "the signing keys to judge (default: SECRET_KEY, JWT_SECRET_KEY, ...)")
    static let adminTokenKeysOption = ProbeOption.stringList(
        "admin_token_keys", "the admin tokens to refuse (default: VAULT_ROOT_TOKEN and any *ROOT*/*ADMIN* token by name)")
    static let corsCredentialsOption = ProbeOption.string("cors_credentials_key", "the key that turns CORS credentials on (default CORS_ALLOW_CREDENTIALS)")

    /// The probe's I/O: whether this process runs in a container.
    struct Dependencies: Sendable {
        var dockerEnvExists: @Sendable () -> Bool = { FileSystem.exists("/.dockerenv") }

        static let live = Dependencies()
    }

    public static let kind = kind(.live)

    static func kind(_ dependencies: Dependencies) -> ProbeKind {
        ProbeKind(
            kind: "policy", summary: "the environment's rules hold: no admin or deployment credentials, DEBUG off, a strong signing key, CORS and isolation",
            critical: false,
            inputs: [environmentInput, rootTokenInput, signingKeyInput, infraInput, debugInput, corsInput, frontendInput],
            options: [rulesOption, infraKeysOption, signingKeysOption, adminTokenKeysOption, corsCredentialsOption],
            codes: allRules.map(\.declaration.code) + [ProbeCode.invalidConfig.with(meaning: "the rules option names an unknown rule or severity")],
            rules: allRules.map(\.declaration), judgesWeakCredentials: false,
            setup: { settings in setup(settings, dependencies) })
    }

    /// The run's environment (``EnvironmentName``), or the one a manifest binds the
    /// environment input to.
    static func environment(_ settings: ProbeSettings) -> EnvironmentName {
        guard settings.bindings[environmentInput.name] != nil else { return settings.config.environment }
        guard let bound = settings.value(environmentInput) else { return EnvironmentName(config: ResolvedConfig()) }
        return EnvironmentName(name: bound.value, key: bound.key)
    }

    /// `ENVCHECK_IN_CONTAINER` (true or false) decides; else `/.dockerenv` or `KUBERNETES_SERVICE_HOST`.
    static func inContainer(_ config: ResolvedConfig, _ dependencies: Dependencies) -> Bool {
        if let forced = config.nonEmpty("ENVCHECK_IN_CONTAINER").flatMap(ProbeSettings.parseBool) { return forced }
        return config.nonEmpty("KUBERNETES_SERVICE_HOST") != nil || dependencies.dockerEnvExists()
    }

    static func setup(_ settings: ProbeSettings, _ dependencies: Dependencies) -> ProbeSetup {
        var overrides: [String: RuleSeverity] = [:]
        for (id, value) in (settings[rulesOption] ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard allRules.contains(where: { $0.id.rawValue == id }) else {
                let guess = Spelling.suggestion(for: id, among: allRules.map(\.id.rawValue)).map { " (did you mean \($0)?)" } ?? ""
                return .invalid(.misconfigured(.invalidConfig, "the rules option names \(label: id), which is no rule\(label: guess)"))
            }
            guard let severity = RuleSeverity(rawValue: value.trimmingSpaces.lowercased()) else {
                return .invalid(.misconfigured(.invalidConfig, "the rules option sets \(label: id) to \(value); use off, warn or fail"))
            }
            overrides[id] = severity
        }
        var options = PolicyOptions()
        if let keys = settings[infraKeysOption] { options.infraKeys = keys }
        if let keys = settings[signingKeysOption] { options.signingKeys = keys }
        if let keys = settings[adminTokenKeysOption] { options.adminTokenKeys = keys }
        if let key = settings[corsCredentialsOption], !key.trimmingSpaces.isEmpty { options.corsCredentialsKey = key }
        let context = PolicyContext(
            settings: settings, environment: environment(settings), inContainer: inContainer(settings.config, dependencies),
            exampleValues: settings.global.exampleValues, options: options)
        return .ready(PolicyProbe(rules: allRules, overrides: overrides, context: context))
    }
}
