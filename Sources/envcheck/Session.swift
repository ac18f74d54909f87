import EnvCheckCore
import EnvCheckProbes

/// The steps every command shares: resolve the configuration, choose the probes.
struct Session {
    let environment: [String: String]
    let registry = BuiltInProbes.registry
    /// SIGTERM/SIGINT, which the runner observes.
    var interruption = Interruption.process

    func config(_ options: ConfigOptions) throws(UsageFailure) -> ResolvedConfig {
        do {
            return try ConfigResolver.resolve(options.resolverOptions, environment: environment)
        } catch {
            throw UsageFailure(error.description)
        }
    }

    /// The selected probe specs: from the `--probes` manifest when one is named, else the
    /// built-in default (the same probes as probes/default.yaml).
    func specs(_ selection: Selection, manifest: String?) throws(UsageFailure) -> [ProbeSpec] {
        var specs = registry.defaultSpecs
        if let manifest {
            do { specs = try ManifestLoader.load(manifest, registry: registry) } catch { throw UsageFailure(error.description) }
        }
        do {
            return try Planner.select(specs, registry: registry, selection: selection)
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
