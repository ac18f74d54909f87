import ArgumentParser
import EnvCheckCore
import EnvCheckProbes

/// `envcheck list`: the probes, their kind, criticality, keys and whether configured; with
/// `--codes`, the codes every registered kind declares (``CodesReport``).
struct ListCommand: AsyncParsableCommand, Executable {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the probes: kind, criticality, the keys they read, whether they are configured.",
        discussion: "With --codes: the codes of every registered kind, with status, meaning and hint (--format human, json or markdown)."
    )

    @OptionGroup(title: "Configuration") var configOptions: ConfigOptions
    @OptionGroup(title: "Probes") var selectionOptions: SelectionOptions

    @Flag(help: "List the codes each probe kind's results can carry, instead of the probes.")
    var codes = false

    @Option(help: ArgumentHelp("human or json; markdown with --codes (the README's table).", valueName: "format"))
    var format: String = "human"

    func validate() throws {
        let formats = codes ? ["human", "json", "markdown"] : ["human", "json"]
        guard formats.contains(format) else {
            throw ValidationError(codes ? "--format must be human, json or markdown" : "--format must be human or json (markdown needs --codes)")
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
        do {
            let config = try session.config(configOptions)
            let specs = try session.specs(selectionOptions.selection, manifest: selectionOptions.probes)
            let plans = Planner.plan(
                specs, registry: session.registry, config: config, global: try session.global(selectionOptions, configOptions), timeouts: .init())
            let rows = zip(specs, plans).map { spec, plan in
                Row(
                    id: plan.id, kind: plan.kind, critical: plan.critical, configured: Self.isConfigured(plan.setup),
                    keys: KeyUsage.keys(for: [spec], registry: session.registry).map(\.key),
                    summary: session.registry.kind(plan.kind)?.summary ?? "")
            }
            Output.stdout(format == "json" ? Self.json(rows) : Self.human(rows))
            return 0
        } catch {
            Output.stderr("envcheck: \(error.message)\n")
            return 2
        }
    }

    struct Row {
        let id: String, kind: String, critical: Bool, configured: Bool, keys: [String], summary: String
    }

    static func isConfigured(_ setup: ProbeSetup) -> Bool {
        if case .notConfigured = setup { return false }
        return true
    }

    static func human(_ rows: [Row]) -> String {
        let w = max(2, rows.map(\.id.count).max() ?? 0)
        let k = max(4, rows.map(\.kind.count).max() ?? 0)
        var lines = ["\(pad("ID", w))  \(pad("KIND", k))  CRITICAL  CONFIGURED  KEYS"]
        for r in rows {
            lines.append(
                "\(pad(r.id, w))  \(pad(r.kind, k))  \(pad(r.critical ? "yes" : "no", 8))  \(pad(r.configured ? "yes" : "no", 10))  \(r.keys.joined(separator: ", "))"
            )
            lines.append("\(pad("", w))  \(r.summary)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func json(_ rows: [Row]) -> String {
        let probes: [JSONValue] = rows.map { r in
            .object([
                "id": .string(r.id), "kind": .string(r.kind), "critical": .bool(r.critical), "configured": .bool(r.configured),
                "keys": .array(r.keys.map { .string($0) }), "summary": .string(r.summary),
            ])
        }
        return JSONWriter.write(
            .object([
                "schema_version": .int(JSONReporter.schemaVersion), "tool": "envcheck", "mode": "list",
                "probes": .array(probes),
            ])) + "\n"
    }

    static func pad(_ s: String, _ w: Int) -> String { s.count >= w ? s : s + String(repeating: " ", count: w - s.count) }
}
