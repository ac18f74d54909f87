import ArgumentParser
import EnvCheckCore
import EnvCheckProbes

/// `envcheck list`: the probes, their kind, criticality, keys and whether configured; with
/// `--codes`, the codes every registered kind declares (``CodesReport``).
struct ListCommand: AsyncParsableCommand, Executable {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the probes: kind, criticality, the keys they read, whether they are configured.",
        discussion: """
            With --codes: the codes of every registered kind, with status, meaning and hint. With --rules: the environment rules \
            (policy), with their severity per environment and their examples. Both take --format human, json or markdown.
            """
    )

    @OptionGroup(title: "Configuration") var configOptions: ConfigOptions
    @OptionGroup(title: "Probes") var selectionOptions: SelectionOptions

    @Flag(help: "List the codes each probe kind's results can carry, instead of the probes.")
    var codes = false

    @Flag(help: "List the environment rules (policy) with their severity per environment, instead of the probes.")
    var rules = false

    @Option(help: ArgumentHelp("human or json; markdown with --codes or --rules (the README's tables).", valueName: "format"))
    var format: String = "human"

    func validate() throws {
        guard !(codes && rules) else { throw ValidationError("--codes and --rules list different things: give one") }
        let formats = codes || rules ? ["human", "json", "markdown"] : ["human", "json"]
        guard formats.contains(format) else {
            throw ValidationError(
                codes || rules ? "--format must be human, json or markdown" : "--format must be human or json (markdown needs --codes or --rules)")
        }
    }

    func execute(_ environment: [String: String]) async -> Int32 {
        let session = Session(environment: environment)
        if codes {
            // Every registered kind, whatever the configuration or manifest says.
            let registry = session.registry
            Output.stdout(format == "json" ? CodesReport.json(registry) : format == "markdown" ? CodesReport.markdown(registry) : CodesReport.human(registry))
            return 0
        }
        if rules {
            let registry = session.registry
            Output.stdout(format == "json" ? RulesReport.json(registry) : format == "markdown" ? RulesReport.markdown(registry) : RulesReport.human(registry))
            return 0
        }
        do {
            let config = try session.config(configOptions)
            let specs = try session.specs(selectionOptions.selection, manifest: selectionOptions.probes)
            let plans = Planner.plan(
                specs, registry: session.registry, config: config, global: try session.global(selectionOptions, configOptions), timeouts: .init())
            let rows = zip(specs, plans).map { spec, plan in
                ListReport.Row(
                    id: plan.id, kind: plan.kind, critical: plan.critical, configured: Self.isConfigured(plan.setup),
                    keys: KeyUsage.keys(for: [spec], registry: session.registry).map(\.key),
                    summary: session.registry.kind(plan.kind)?.summary ?? "")
            }
            Output.stdout(ListReport(rows: rows).render(format))
            return 0
        } catch {
            Output.stderr("envcheck: \(error.message)\n")
            return 2
        }
    }

    static func isConfigured(_ setup: ProbeSetup) -> Bool {
        if case .notConfigured = setup { return false }
        return true
    }
}
