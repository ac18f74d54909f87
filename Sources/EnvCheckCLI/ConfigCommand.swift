import ArgumentParser
import EnvCheckCore
import EnvCheckProbes

/// `envcheck config`: the resolved configuration the selected probes read.
struct ConfigCommand: AsyncParsableCommand, Executable {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract:
            "Show every key envcheck loaded, grouped by the probe that reads it: every source that set it (winner first), set/empty/unset, "
            + "secrets as length + fingerprint, misspellings, warnings."
    )

    @OptionGroup(title: "Configuration") var configOptions: ConfigOptions
    @OptionGroup(title: "Probes") var selectionOptions: SelectionOptions

    @OptionGroup(title: "Output") var output: TableFormatOption

    @Flag(name: .customLong("all"), help: "Also list the keys no probe reads (by default: their count, and those that look misspelt).")
    var all = false

    @Flag(name: .customLong("no-color"), help: "No colour.")
    var noColor = false

    func execute(_ environment: [String: String]) async -> Int32 {
        let session = Session(environment: environment)
        do {
            let config = try session.config(configOptions)
            let specs = try session.specs(selectionOptions.selection, manifest: selectionOptions.probes)
            let plans = Planner.plan(
                specs, registry: session.registry, config: config,
                global: try session.global(selectionOptions, configOptions), timeouts: .init())
            let report = ConfigReport(
                config: config, keys: KeyUsage.keys(for: specs, registry: session.registry),
                requiredKeys: KeyUsage.requiredKeys(for: specs, registry: session.registry),
                secrecy: KeyUsage.secrecy(for: specs, registry: session.registry),
                fingerprinter: Digest.fingerprinter(key: config.value(SecretPolicy.fingerprintKeyName)),
                weakCredentials: plans.compactMap(\.weakCredential), showAll: all)
            let redactor = session.redactor(config, plans: plans)
            Output.stdout(
                output.isJSON
                    ? report.json(redactor: redactor)
                    : report.human(redactor: redactor, color: !noColor && (environment["NO_COLOR"] ?? "").isEmpty && Output.isTerminal(1)))
            return 0
        } catch {
            Output.stderr("envcheck: \(error.message)\n")
            return 2
        }
    }
}
