import ArgumentParser
import EnvCheckCore
import Synchronization

/// Where the configuration comes from (every command).
struct ConfigOptions: ParsableArguments {
    @Option(
        name: .customLong("env-file"), help: ArgumentHelp("An env file to load (repeatable, lowest precedence first).", valueName: "path"),
        completion: .file())
    var envFiles: [String] = []

    @Flag(name: .customLong("no-env-file"), help: "Do not load ./.env automatically.")
    var noEnvFile = false

    @Flag(help: "Let env files win over the process environment (for an authoritative vault-rendered file).")
    var override = false

    @Option(
        name: .customLong("env-dialect"), help: ArgumentHelp("How env files are parsed: dotenv, compose or systemd.", valueName: "dialect"),
        completion: .list(EnvDialect.allCases.map(\.rawValue)))
    var envDialect: String = EnvDialect.dotenv.rawValue

    @Option(
        name: .customLong("env-example"),
        help: ArgumentHelp(
            "The committed example env file: a secret equal to its value is a weak credential (default ./.env.example if present).", valueName: "path"),
        completion: .file())
    var envExample: String?

    @Option(
        name: .customLong("max-age"),
        help: ArgumentHelp(
            "An env file last written longer ago than this is a warning (vault-agent re-renders on every renewal): 90s, 30m, 24h.",
            valueName: "duration"))
    var maxAge: String?

    static let defaultExample = ".env.example"

    func validate() throws {
        guard EnvDialect(rawValue: envDialect) != nil else {
            throw ValidationError("--env-dialect must be one of: \(EnvDialect.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let maxAge {
            let parsed: Duration
            do throws(DurationParser.ParseError) { parsed = try DurationParser.parse(maxAge) } catch { throw ValidationError("--max-age: \(error)") }
            guard parsed > .zero else { throw ValidationError("--max-age must be more than 0") }
        }
    }

    var resolverOptions: ConfigResolver.Options {
        ConfigResolver.Options(
            envFiles: envFiles, autoLoadDotEnv: !noEnvFile, override: override,
            dialect: EnvDialect(rawValue: envDialect) ?? .dotenv, maxAge: maxAge.flatMap { try? DurationParser.parse($0) })
    }
}

/// Which probes run and how they are set up.
struct SelectionOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "A probe manifest: a YAML file, or a bare name for ./probes/NAME.yaml (default: the built-in probes, as in probes/default.yaml).", valueName: "path"
        ), completion: .file(extensions: ["yaml", "yml"]))
    var probes: String?

    @Option(help: ArgumentHelp("Run only these probes (comma-separated ids, repeatable).", valueName: "ids"), completion: ProbeIDCompletion.kind)
    var only: [String] = []

    @Option(help: ArgumentHelp("Skip these probes (comma-separated ids, repeatable).", valueName: "ids"), completion: ProbeIDCompletion.kind)
    var skip: [String] = []

    @Flag(name: .customLong("critical-only"), help: "Run only critical probes.")
    var criticalOnly = false

    @Option(name: .customLong("ca-file"), help: ArgumentHelp("An extra CA bundle for TLS verification.", valueName: "path"), completion: .file())
    var caFile: String?

    @Option(
        name: .customLong("next-dir"), help: ArgumentHelp("The Next.js build directory (default: NEXT_BUILD_DIR or ./.next).", valueName: "path"),
        completion: .directory)
    var nextDir: String?

    @Option(
        help: ArgumentHelp(
            "The consul-template file production renders: the vault probe checks every field it reads (default: the probe's template option).",
            valueName: "path"), completion: .file())
    var template: String?

    var selection: Selection {
        Selection(only: Self.split(only), skip: Self.split(skip), criticalOnly: criticalOnly)
    }

    var global: GlobalSettings { GlobalSettings(caFile: caFile, nextDir: nextDir, template: template) }

    static func split(_ values: [String]) -> [String] {
        values.flatMap { $0.split(separator: ",") }.map { $0.trimmingSpaces }.filter { !$0.isEmpty }
    }
}

/// Deadlines.
struct TimingOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Per-probe timeout (250ms, 5s, 2m; default \(Planner.Timeouts().defaultTimeout.shortDescription), or the manifest's).", valueName: "duration"))
    var timeout: String?

    @Option(help: ArgumentHelp("Deadline for the whole run (default: the longest probe timeout + 250ms).", valueName: "duration"))
    var deadline: String?

    @Option(
        help: ArgumentHelp(
            "Probes running at once (default \(ConcurrencyLimits.defaultGlobal)); a probe's timeout starts when it gets a slot, within the run's deadline.",
            valueName: "n"))
    var maxConcurrent: Int?

    @Option(
        help: ArgumentHelp(
            "Probes running at once against one host:port (default \(ConcurrencyLimits.defaultPerTarget)).", valueName: "n"))
    var maxPerTarget: Int?

    func validate() throws {
        for (flag, value) in [("--max-concurrent", maxConcurrent), ("--max-per-target", maxPerTarget)] {
            if let value, value < 1 { throw ValidationError("\(flag) must be at least 1") }
        }
        for (flag, value) in [("--timeout", timeout), ("--deadline", deadline)] {
            guard let value else { continue }
            let d: Duration
            do { d = try DurationParser.parse(value) } catch { throw ValidationError("\(flag): \(error)") }
            guard d > .zero else { throw ValidationError("\(flag) must be greater than zero") }
        }
    }

    var timeoutValue: Duration? { timeout.flatMap { try? DurationParser.parse($0) } }
    var deadlineValue: Duration? { deadline.flatMap { try? DurationParser.parse($0) } }
    var limits: ConcurrencyLimits {
        ConcurrencyLimits(global: maxConcurrent ?? ConcurrencyLimits.defaultGlobal, perTarget: maxPerTarget ?? ConcurrencyLimits.defaultPerTarget)
    }
}

/// How results are shown.
struct OutputOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp("Report format on stdout: human, json, junit, markdown, tap, or prometheus (check only).", valueName: "format"),
        completion: .list(Reporters.identifiers))
    var format: String = HumanReporter.identifier

    @Option(
        help: ArgumentHelp("Also write the JSON report to this file (- : stdout, instead of the human report).", valueName: "path"), completion: .file())
    var json: String?

    @Option(
        help: ArgumentHelp("Also write the JUnit XML report to this file (- : stdout, instead of the human report).", valueName: "path"),
        completion: .file())
    var junit: String?

    @OptionGroup var failOn: FailOnOption

    @Flag(name: .shortAndLong, help: "Print only what did not pass, and the summary.")
    var quiet = false

    @Flag(name: .customLong("no-color"), help: "No colour (also when NO_COLOR is set or stdout is not a terminal).")
    var noColor = false

    @Flag(name: .shortAndLong, help: "Show details and phase timings.")
    var verbose = false

    /// At most one report on stdout (docs/design.md, "Reports").
    func validate() throws {
        if json == "-" && junit == "-" { throw ValidationError("--json - and --junit - both ask for stdout: give one of them a file") }
        if (json == "-" || junit == "-") && format != HumanReporter.identifier {
            throw ValidationError("--\(json == "-" ? "json" : "junit") - is the stdout report: drop --format \(format), or write that report to a file")
        }
    }

    /// `--format` must be one of `formats`, the command's.
    func validate(formats: [String]) throws {
        guard formats.contains(format) else { throw ValidationError("--format must be one of: \(formats.joined(separator: ", "))") }
    }

    /// The format of the report stdout carries.
    var stdoutFormat: String { json == "-" ? JSONReporter.identifier : junit == "-" ? JUnitReporter.identifier : format }

    /// Whether stdout carries the human report (GitHub annotations go there, else to stderr).
    var stdoutIsHuman: Bool { stdoutFormat == HumanReporter.identifier }

    /// The reports written to files: (path, format).
    var files: [(path: String, format: String)] {
        [(json, JSONReporter.identifier), (junit, JUnitReporter.identifier)].compactMap { path, format in
            path.flatMap { $0 == "-" ? nil : ($0, format) }
        }
    }

    func reportOptions(environment: [String: String]) -> ReportOptions {
        let color =
            !noColor && environment["NO_COLOR"].map(\.isEmpty) ?? true && Output.isTerminal(1)
            && stdoutFormat == HumanReporter.identifier
        return ReportOptions(color: color, verbose: verbose, quiet: quiet, hostname: Host.name)
    }
}

/// `--fail-on warn`: a warning fails the run (check, keys and healthcheck).
struct FailOnOption: ParsableArguments {
    @Option(
        name: .customLong("fail-on"), help: ArgumentHelp("warn: a warning fails the run too (exit 1 in every format).", valueName: "warn"),
        completion: .list(["warn"]))
    var level: String?

    var warn: Bool { level == "warn" }

    func validate() throws {
        if let level, level != "warn" { throw ValidationError("--fail-on must be warn (failures and errors always fail)") }
    }
}

/// `--format human|json` for the commands that print a table rather than a run report.
struct TableFormatOption: ParsableArguments {
    @Option(help: ArgumentHelp("human or json.", valueName: "format"))
    var format: String = "human"

    func validate() throws {
        guard ["human", "json"].contains(format) else { throw ValidationError("--format must be human or json") }
    }

    var isJSON: Bool { format == "json" }
}

/// Completion of probe ids (`--only`, `--skip`): the ids of the manifest the command line
/// names with `--probes`, else of the built-in default, from the registry the process runs
/// with (``CLI/main(registry:environment:)`` sets it before parsing).
enum ProbeIDCompletion {
    static let registry = Mutex<ProbeRegistry?>(nil)

    static var kind: CompletionKind {
        .custom { arguments, _, _ in ids(arguments) }
    }

    static func ids(_ arguments: [String]) -> [String] {
        guard let registry = registry.withLock({ $0 }) else { return [] }
        if let i = arguments.firstIndex(of: "--probes"), i + 1 < arguments.count,
            let specs = try? ManifestLoader.load(arguments[i + 1], registry: registry)
        {
            return specs.map(\.id)
        }
        return registry.defaultSpecs.map(\.id)
    }
}
