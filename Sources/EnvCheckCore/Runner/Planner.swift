/// A selected probe, set up and ready for the runner.
public struct ProbePlan: Sendable {
    public let id: String
    public let kind: String
    public let critical: Bool
    public let required: Bool
    public let timeout: Duration
    public let setup: ProbeSetup

    public init(id: String, kind: String, critical: Bool, required: Bool, timeout: Duration, setup: ProbeSetup) {
        self.id = id
        self.kind = kind
        self.critical = critical
        self.required = required
        self.timeout = timeout
        self.setup = setup
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
                throw Failure(message: "unknown probe '\(unknown)' in \(flag) (known: \(ids.joined(separator: ", ")))")
            }
        }
        return specs.filter { spec in
            if !selection.only.isEmpty && !selection.only.contains(spec.id) { return false }
            if selection.skip.contains(spec.id) { return false }
            if selection.criticalOnly && !isCritical(spec, registry: registry) { return false }
            return true
        }
    }

    static func isCritical(_ spec: ProbeSpec, registry: ProbeRegistry) -> Bool {
        spec.critical ?? registry.kind(spec.kind)?.critical ?? false
    }

    public static func plan(_ specs: [ProbeSpec], registry: ProbeRegistry, config: ResolvedConfig,
                            global: GlobalSettings, timeouts: Timeouts) -> [ProbePlan] {
        specs.compactMap { spec in
            guard let kind = registry.kind(spec.kind) else { return nil }
            let critical = spec.critical ?? kind.critical
            let settings = ProbeSettings(id: spec.id, config: config, bindings: spec.bindings, options: spec.options, global: global)
            let setup = OptionCheck.failure(spec, kind: kind, config: config).map(ProbeSetup.invalid) ?? kind.setup(settings)
            return ProbePlan(id: spec.id, kind: spec.kind, critical: critical, required: spec.required ?? critical,
                             timeout: timeouts.resolve(spec.timeout), setup: setup)
        }
    }
}
