import ArgumentParser
import EnvCheckCore
import EnvCheckProbes

/// `envcheck snapshot`: this environment's configuration, redacted, as JSON for `envcheck
/// diff` (``Snapshot``, docs/snapshots.md).
struct SnapshotCommand: AsyncParsableCommand, Executable {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Write a redacted JSON snapshot of this environment's configuration (for envcheck diff).",
        discussion: """
            Every key the probes and rules read, every key from an env file (--all: every key), each with its source; values of \
            non-secrets, never of secrets (their length, and with ENVCHECK_FINGERPRINT_KEY an hmac fingerprint); the databases, \
            buckets and Redis databases the probes use; the environment name; with --check, the probe results (exit 1 when one \
            failed).
            """
    )

    @OptionGroup(title: "Configuration") var configOptions: ConfigOptions
    @OptionGroup(title: "Probes") var selectionOptions: SelectionOptions
    @OptionGroup(title: "Deadlines") var timing: TimingOptions

    @Option(help: ArgumentHelp("Write the snapshot to this file (default: stdout).", valueName: "path"))
    var out: String?

    @Flag(name: .customLong("all"), help: "Also include process-environment keys no probe or rule reads.")
    var all = false

    @Flag(help: "Also run the probes and record their results.")
    var check = false

    func execute(_ environment: [String: String]) async -> Int32 {
        let session = Session(environment: environment)
        do {
            let createdAt = Timestamp.nowEpochMs()
            let config = try session.config(configOptions)
            let specs = try session.specs(selectionOptions.selection, manifest: selectionOptions.probes)
            let global = try session.global(selectionOptions, configOptions)
            let plans = Planner.plan(specs, registry: session.registry, config: config, global: global, timeouts: .init())
            let inventory = SecretInventory(config: config, plans: plans)
            let redactor = Redactor(inventory)
            let report = ConfigReport(
                config: config, keys: KeyUsage.keys(for: specs, registry: session.registry), requiredKeys: [],
                secrecy: KeyUsage.secrecy(for: specs, registry: session.registry),
                fingerprinter: Digest.fingerprinter(key: config.value(SecretPolicy.fingerprintKeyName)), showAll: true)
            let resources: [Snapshot.Resource] = specs.compactMap { spec in
                let settings = ProbeSettings(id: spec.id, config: config, bindings: spec.bindings, options: spec.options, global: global)
                return session.registry.kind(spec.kind)?.resource?(settings).map { r in
                    // A manifest template in place of a key may hold a literal secret.
                    let key = Message.isPlainKey(r.key) ? r.key : redactor.scrub(URLCredentials.redact(r.key))
                    return Snapshot.Resource(probe: spec.id, resource: ProbeResource(what: r.what, host: r.host, port: r.port, name: r.name, key: key))
                }
            }
            var run: RunReport?
            if check {
                run = try await session.run(mode: .check, configOptions, selectionOptions, timing: timing, wait: nil, writeCheck: false)
            }
            let snapshot = Snapshot(
                report: report, environment: config.environment, resources: resources,
                probes: run.map { $0.probes.map { .object(JSONReporter.probe($0)) } }, createdAtEpochMs: createdAt, redactor: redactor, all: all,
                isSecretValue: inventory.contains)
            let text = snapshot.json()
            if let out {
                try Self.write(text, to: out, what: "the snapshot")
            } else {
                Output.stdout(text)
            }
            return run?.exitCode ?? 0
        } catch {
            Output.stderr("envcheck: \(error.message)\n")
            return 2
        }
    }
}

extension SnapshotCommand {
    static func write(_ text: String, to path: String, what: String) throws(UsageFailure) {
        do { try FileSystem.write(text, to: path) } catch { throw UsageFailure("cannot write \(what): \(error)") }
    }
}

/// `envcheck diff A B`: two snapshots compared (``SnapshotDiff``).
struct DiffCommand: AsyncParsableCommand, Executable {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare two snapshots: keys in only one, secrets reused across environments, shared databases and buckets.",
        discussion: """
            Exit 0 when no check failed (warnings allowed), 1 when one did, 2 when a file is not a snapshot. Secrets are compared \
            only by fingerprints made with the same ENVCHECK_FINGERPRINT_KEY.
            """
    )

    @Argument(help: ArgumentHelp("The first snapshot (e.g. staging.json).", valueName: "a"))
    var a: String

    @Argument(help: ArgumentHelp("The second snapshot (e.g. production.json).", valueName: "b"))
    var b: String

    @Option(name: .customLong("expect-equal"), help: ArgumentHelp("Keys that must be equal in both (comma-separated, repeatable).", valueName: "keys"))
    var expectEqual: [String] = []

    @Option(help: ArgumentHelp("Report format on stdout: human, json, junit, markdown or tap.", valueName: "format"))
    var format: String = "human"

    @Option(help: ArgumentHelp("Also write the JSON report to this file (- : stdout, instead of the human report).", valueName: "path"))
    var json: String?

    @Option(help: ArgumentHelp("Also write the JUnit XML report to this file (- : stdout, instead of the human report).", valueName: "path"))
    var junit: String?

    @Flag(name: .customLong("no-color"), help: "No colour.")
    var noColor = false

    static let formats = ["human", "json", "junit", "markdown", "tap"]

    func validate() throws {
        guard Self.formats.contains(format) else { throw ValidationError("--format must be one of: \(Self.formats.joined(separator: ", "))") }
        if json == "-" && junit == "-" { throw ValidationError("--json - and --junit - both ask for stdout: give one of them a file") }
        if (json == "-" || junit == "-") && format != "human" {
            throw ValidationError("--\(json == "-" ? "json" : "junit") - is the stdout report: drop --format \(format), or write that report to a file")
        }
    }

    func execute(_ environment: [String: String]) async -> Int32 {
        do {
            let diff = SnapshotDiff(try Self.read(a), try Self.read(b), expectEqual: SelectionOptions.split(expectEqual))
            let startedAt = Timestamp.nowEpochMs()
            let color = !noColor && (environment["NO_COLOR"] ?? "").isEmpty && Output.isTerminal(1)
            let render: [String: () -> String] = [
                "human": { diff.human(color: color) }, "json": diff.json,
                "junit": { diff.junit(startedAtEpochMs: startedAt, hostname: Host.name ?? "localhost") },
                "markdown": diff.markdown, "tap": diff.tap,
            ]
            let stdoutFormat = json == "-" ? "json" : junit == "-" ? "junit" : format
            Output.stdout(render[stdoutFormat]?() ?? diff.human(color: color))
            for (path, kind) in [(json, "json"), (junit, "junit")] {
                guard let path, path != "-", let text = render[kind]?() else { continue }
                try SnapshotCommand.write(text, to: path, what: "the \(kind) report")
            }
            return diff.exitCode
        } catch {
            Output.stderr("envcheck: \(error.message)\n")
            return 2
        }
    }

    static func read(_ path: String) throws(UsageFailure) -> SnapshotDiff.Side {
        let bytes: [UInt8]
        do { bytes = try FileSystem.read(path) } catch { throw UsageFailure("cannot read the snapshot \(error)") }
        do {
            return SnapshotDiff.Side(path: path, snapshot: try Snapshot.parse(bytes, path: path))
        } catch {
            throw UsageFailure(error.description)
        }
    }
}
