import EnvCheckCore
import EnvCheckKeys
import EnvCheckProbes

/// The steps every command shares: resolve the configuration, choose the probes, plan
/// them, and collect the run's secrets before anything runs.
struct Session {
    let environment: [String: String]
    /// The registry the command line was given (``CLI/Context``).
    let registry = CLI.context.registry
    /// SIGTERM/SIGINT, which the runner observes.
    var interruption = CLI.context.interruption

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

    /// Run-wide settings: the command line's, plus the values `.env.example` commits.
    func global(_ selection: SelectionOptions, _ config: ConfigOptions) throws(UsageFailure) -> GlobalSettings {
        var global = selection.global
        global.exampleValues = try exampleValues(config)
        return global
    }

    /// `--env-example PATH`, else `./.env.example` when present: key → committed value.
    func exampleValues(_ options: ConfigOptions) throws(UsageFailure) -> [String: String] {
        let path = options.envExample ?? ConfigOptions.defaultExample
        guard options.envExample != nil || (FileSystem.exists(path) && !FileSystem.isDirectory(path)) else { return [:] }
        do {
            let bytes = try FileSystem.read(path)
            let entries = try ExampleParser.parse(String(decoding: bytes, as: UTF8.self), path: path)
            var values: [String: String] = [:]
            for entry in entries { if let value = entry.value { values[entry.key] = value } }
            return values
        } catch let error as FileSystem.Failure {
            throw UsageFailure("cannot read the example env file \(error.path): \(error.reason)")
        } catch {
            throw UsageFailure(String(describing: error))
        }
    }

    /// Every secret of the run (``SecretInventory``), in a redactor.
    func redactor(_ config: ResolvedConfig, plans: [ProbePlan]) -> Redactor {
        Redactor(SecretInventory(config: config, plans: plans))
    }

    /// Configuration warnings about the keys `specs` read, rendered.
    func warnings(_ config: ResolvedConfig, specs: [ProbeSpec], redactor: Redactor) -> [String] {
        ConfigReport.warnings(
            config: config, keys: KeyUsage.keys(for: specs, registry: registry).map(\.key),
            requiredKeys: KeyUsage.requiredKeys(for: specs, registry: registry)
        ).map { redactor.render($0.text) }
    }
}
