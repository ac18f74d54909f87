import EnvCheckCore
import EnvCheckProbes

/// The steps every command shares: resolve the configuration, choose the probes.
struct Session {
    let environment: [String: String]
    let registry = BuiltInProbes.registry

    func config(_ options: ConfigOptions) throws(UsageFailure) -> ResolvedConfig {
        do {
            return try ConfigResolver.resolve(options.resolverOptions, environment: environment)
        } catch {
            throw UsageFailure(error.description)
        }
    }

    /// The probe specs: the built-in default (manifests arrive with `--probes`).
    func specs(_ selection: Selection) throws(UsageFailure) -> [ProbeSpec] {
        do {
            return try Planner.select(registry.defaultSpecs, registry: registry, selection: selection)
        } catch {
            throw UsageFailure(error.message)
        }
    }

    /// Configuration warnings about the keys `specs` read.
    func warnings(_ config: ResolvedConfig, specs: [ProbeSpec]) -> [ConfigWarning] {
        ConfigReport(config: config, keys: KeyUsage.keys(for: specs, registry: registry),
                     requiredKeys: KeyUsage.requiredKeys(for: specs, registry: registry)).warnings
    }
}
