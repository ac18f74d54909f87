/// A selected probe, set up and ready for the runner.
public struct ProbePlan: Sendable {
    public let id: String
    public let kind: String
    public let critical: Bool
    public let required: Bool
    public let timeout: Duration
    public let setup: ProbeSetup
    /// Every value that reaches a secret input of this probe (``ProbeInput/secrecy``),
    /// whatever route it came by: the redactor's first source.
    public let secrets: [String]
    /// A weak secret among them (``WeakCredential``), applied to the result.
    public let weakCredential: WeakCredential?
    /// The hints the kind declares per code (``ProbeCode/hint``): a result without a hint of
    /// its own gets its code's (codes are data: docs/adding-a-probe.md).
    public let codeHints: [ErrorCode: Message]
    /// The expiry rule for a TLS peer's certificate (`cert_warn_days`).
    public let certificateExpiry: CertificateExpiry
    /// The codes `--wait` does not retry (``ProbeKind/permanentCodes``).
    public let permanentCodes: Set<ErrorCode>

    public init(
        id: String, kind: String, critical: Bool, required: Bool, timeout: Duration, setup: ProbeSetup,
        secrets: [String] = [], weakCredential: WeakCredential? = nil, codeHints: [ErrorCode: Message] = [:],
        certificateExpiry: CertificateExpiry = CertificateExpiry(), permanentCodes: Set<ErrorCode> = []
    ) {
        self.id = id
        self.kind = kind
        self.critical = critical
        self.required = required
        self.timeout = timeout
        self.setup = setup
        self.secrets = secrets
        self.weakCredential = weakCredential
        self.codeHints = codeHints
        self.certificateExpiry = certificateExpiry
        self.permanentCodes = permanentCodes
    }
}

/// Which probes a run selects.
public struct Selection: Sendable {
    public var only: [String]
    public var skip: [String]
    public var criticalOnly: Bool

    public init(only: [String] = [], skip: [String] = [], criticalOnly: Bool = false) {
        self.only = only
        self.skip = skip
        self.criticalOnly = criticalOnly
    }
}

/// Turns specs into plans: selection, criticality, timeouts, and each kind's setup.
public enum Planner {
    /// A selection that cannot be planned (an unknown id in `--only`/`--skip`): exit 2.
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// Where each probe's timeout comes from: `--timeout`, else the manifest's, else the
    /// default; never above the healthcheck's cap.
    public struct Timeouts: Sendable {
        /// Used when neither the spec nor the command line sets one.
        public var defaultTimeout: Duration = .seconds(5)
        /// An explicit `--timeout`: wins over the manifest.
        public var override: Duration?
        /// `healthcheck`: no probe may take longer than this.
        public var cap: Duration?

        public init(defaultTimeout: Duration = .seconds(5), override: Duration? = nil, cap: Duration? = nil) {
            self.defaultTimeout = defaultTimeout
            self.override = override
            self.cap = cap
        }

        func resolve(_ spec: Duration?) -> Duration {
            let t = override ?? spec ?? defaultTimeout
            return cap.map { min(t, $0) } ?? t
        }
    }

    /// The specs selected by `selection`, in order; unknown ids in `only`/`skip` are errors.
    public static func select(_ specs: [ProbeSpec], registry: ProbeRegistry, selection: Selection) throws(Failure) -> [ProbeSpec] {
        let ids = specs.map(\.id)
        for (flag, list) in [("--only", selection.only), ("--skip", selection.skip)] {
            if let unknown = list.first(where: { !ids.contains($0) }) {
                let guess = Spelling.suggestion(for: unknown, among: ids).map { "did you mean '\($0)'? " } ?? ""
                throw Failure(message: "unknown probe '\(unknown)' in \(flag) (\(guess)known: \(ids.joined(separator: ", ")))")
            }
        }
        return specs.filter { spec in
            if !selection.only.isEmpty && !selection.only.contains(spec.id) { return false }
            if selection.skip.contains(spec.id) { return false }
            if selection.criticalOnly && !isCritical(spec, registry: registry) { return false }
            return true
        }
    }

    public static func isCritical(_ spec: ProbeSpec, registry: ProbeRegistry) -> Bool {
        spec.critical ?? registry.kind(spec.kind)?.critical ?? false
    }

    /// A spec's effective `required`: as given, else its criticality.
    public static func isRequired(_ spec: ProbeSpec, registry: ProbeRegistry) -> Bool {
        spec.required ?? isCritical(spec, registry: registry)
    }

    public static func plan(
        _ specs: [ProbeSpec], registry: ProbeRegistry, config: ResolvedConfig,
        global: GlobalSettings, timeouts: Timeouts
    ) -> [ProbePlan] {
        let environment = config.environment
        return specs.compactMap { spec in
            guard let kind = registry.kind(spec.kind) else { return nil }
            let critical = spec.critical ?? kind.critical
            let settings = ProbeSettings(id: spec.id, config: config, bindings: spec.bindings, options: spec.options, global: global)
            let setup =
                OptionCheck.failure(spec, kind: kind, config: config).map(ProbeSetup.invalid)
                ?? ambiguousCredentials(kind, settings: settings).map(ProbeSetup.invalid)
                ?? kind.setup(settings)
            let (inputSecrets, weak) = secretInputs(kind, settings: settings, environment: environment)
            let secrets = inputSecrets + secretOptions(kind, settings: settings)
            return ProbePlan(
                id: spec.id, kind: spec.kind, critical: critical, required: isRequired(spec, registry: registry),
                timeout: timeouts.resolve(spec.timeout), setup: setup, secrets: secrets, weakCredential: weak,
                codeHints: kind.declaredHints, certificateExpiry: settings.certificateExpiry, permanentCodes: kind.permanentCodes)
        }
    }

    /// A URL input whose userinfo holds more than one unencoded `@`: nobody can tell where
    /// the password ends, so it is `invalid_url`, and no part of it is shown.
    static func ambiguousCredentials(_ kind: ProbeKind, settings: ProbeSettings) -> ProbeFailure? {
        for input in kind.inputs where input.secrecy == .credentials {
            guard let value = settings.value(input), URLCredentials.hasAmbiguousUserinfo(value.value) else { continue }
            return .misconfigured(
                .invalidURL, "\(key: value.key) has more than one unencoded @ before the host, so its password cannot be told apart",
                hint: "percent-encode @ in the user name or password as %40 (and / as %2F, : as %3A)")
        }
        return nil
    }

    /// The values of the kind's secret options (``ProbeOption/secret``: HTTP headers), each
    /// whole, with its credential after an auth scheme (`Bearer <token>`, and the decoded
    /// `user:password` of `Basic`), and the value of every variable its `${VAR}` templates
    /// read: whatever the server echoes of them is scrubbed.
    static func secretOptions(_ kind: ProbeKind, settings: ProbeSettings) -> [String] {
        var secrets: [String] = []
        for option in kind.options where option.secret {
            guard let raw = settings.options[option.name] else { continue }
            for (_, template) in ProbeOption.templates(in: raw) {
                let (value, _) = Interpolation.expand(template) { name in
                    let part = settings.config.value(name)
                    if let part, part.count >= SecretPolicy.minimumScrubLength { secrets.append(part) }
                    return part
                }
                secrets.append(value)
                secrets += SecretPolicy.credentialParts(ofHeader: value)
            }
        }
        return secrets.filter { !$0.isEmpty }
    }

    /// The secrets the kind's secret inputs receive, and the first weak one. Non-secret
    /// inputs and the user and host inside a URL are what reports show beside them.
    static func secretInputs(
        _ kind: ProbeKind, settings: ProbeSettings,
        environment: EnvironmentName
    ) -> (secrets: [String], weak: WeakCredential?) {
        var secrets: [String] = []
        var weak: WeakCredential?
        let values = kind.inputs.map { ($0, settings.value($0)) }
        let shownInputs = values.compactMap { input, value in input.secrecy == .none ? value?.value : nil }
        for (input, value) in values {
            guard input.secrecy != .none, let value else { continue }
            secrets += input.secrecy.secrets(in: value.value)
            if weak == nil, kind.judgesWeakCredentials {
                let shown = shownInputs + (input.secrecy == .credentials ? WeakCredential.shownParts(of: value.value) : [])
                weak = WeakCredential.find(
                    input: input, value: value, shown: shown,
                    example: settings.global.exampleValues[value.key], environment: environment)
            }
        }
        return (secrets, weak)
    }
}
