import ArgumentParser
import EnvCheckCore
import EnvCheckProbes

/// `envcheck check`: every selected probe, reports on stdout and in files, exit 0/1/2.
struct CheckCommand: AsyncParsableCommand, Executable {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Run the probes and report (the default command)."
    )

    @OptionGroup(title: "Configuration") var configOptions: ConfigOptions
    @OptionGroup(title: "Probes") var selectionOptions: SelectionOptions
    @OptionGroup(title: "Deadlines") var timing: TimingOptions
    @OptionGroup(title: "Output") var output: OutputOptions

    @Option(help: ArgumentHelp("Post-deploy mode: retry failing probes with backoff until they pass or this much time has passed.", valueName: "duration"))
    var wait: String?

    @Option(
        name: .customLong("retry-on"),
        help: ArgumentHelp(
            "With --wait, also retry these codes (comma-separated, repeatable), which do not heal by waiting (auth_failed, no_such_bucket, ...: see list --codes).",
            valueName: "codes"))
    var retryOn: [String] = []

    @Option(
        name: .customLong("initial-backoff"),
        help: ArgumentHelp("With --wait, the first pause between attempts (default 250ms; doubling).", valueName: "duration"))
    var initialBackoff: String?

    @Option(name: .customLong("max-backoff"), help: ArgumentHelp("With --wait, the longest pause between attempts (default 5s).", valueName: "duration"))
    var maxBackoff: String?

    @Flag(name: .customLong("write-check"), help: "Also prove writes work (unique temporary names, cleaned up).")
    var writeCheck = false

    func validate() throws {
        try output.validate(formats: Reporters.identifiers)
        var parsed: [String: Duration] = [:]
        for (flag, value) in [("--wait", wait), ("--initial-backoff", initialBackoff), ("--max-backoff", maxBackoff)] {
            guard let value else { continue }
            do { parsed[flag] = try DurationParser.parse(value) } catch { throw ValidationError("\(flag): \(error)") }
            guard parsed[flag]! > .zero else { throw ValidationError("\(flag) must be more than 0") }
        }
        if wait == nil,
            let flag = [("--retry-on", !retryOn.isEmpty), ("--initial-backoff", initialBackoff != nil), ("--max-backoff", maxBackoff != nil)]
                .first(where: \.1)?.0
        {
            throw ValidationError("\(flag) tunes --wait: give --wait too")
        }
        if let initial = parsed["--initial-backoff"], let max = parsed["--max-backoff"], initial > max {
            throw ValidationError("--initial-backoff must not be longer than --max-backoff")
        }
    }

    /// `--wait` and its tuning; `--retry-on` codes must be codes some kind declares.
    func waitPolicy(_ registry: ProbeRegistry) throws(UsageFailure) -> WaitPolicy? {
        guard let duration = wait.flatMap({ try? DurationParser.parse($0) }) else { return nil }
        var policy = WaitPolicy(duration: duration)
        let known = Set(registry.kinds.flatMap { $0.allCodes.map(\.code.rawValue) })
        for code in SelectionOptions.split(retryOn) {
            guard known.contains(code) else {
                let guess = Spelling.suggestion(for: code, among: Array(known)).map { " (did you mean \($0)?)" } ?? ""
                throw UsageFailure("--retry-on: \(code) is no code of any probe\(guess); envcheck list --codes lists them")
            }
            policy.retryOn.insert(ErrorCode(code))
        }
        if let initial = initialBackoff.flatMap({ try? DurationParser.parse($0) }) { policy.initialBackoff = initial }
        if let max = maxBackoff.flatMap({ try? DurationParser.parse($0) }) { policy.maxBackoff = max }
        policy.maxBackoff = Swift.max(policy.maxBackoff, policy.initialBackoff)
        return policy
    }

    func execute(_ environment: [String: String]) async -> Int32 {
        let session = Session(environment: environment)
        do {
            let report = try await run(session, environment: environment)
            return try write(report, environment: environment)
        } catch {
            Output.stderr("envcheck: \(error.message)\n")
            return 2
        }
    }

    /// The run; with the human report on stdout, each probe's lines are printed as it settles.
    private func run(_ session: Session, environment: [String: String]) async throws(UsageFailure) -> RunReport {
        let options = output.reportOptions(environment: environment)
        var stream: (@Sendable ([ProbePlan], ProbeResult) -> Void)? = nil
        if output.stdoutIsHuman {
            stream = { plans, result in
                let ids: [String] = plans.map { $0.id }
                Output.stdout(HumanReporter.streamed(result, ids: ids, options: options))
            }
        }
        return try await session.run(
            mode: .check, configOptions, selectionOptions, timing: timing, wait: try waitPolicy(session.registry), writeCheck: writeCheck,
            settled: stream)
    }

    private func write(_ run: RunReport, environment: [String: String]) throws(UsageFailure) -> Int32 {
        var report = run
        report.failOnWarn = output.failOn.warn
        let options = output.reportOptions(environment: environment)
        if output.stdoutIsHuman {
            // The probes' lines were printed as they settled: what follows them.
            Output.stdout(HumanReporter.tail(report, options: options).joined(separator: "\n") + "\n")
        } else {
            Output.stdout((Reporters.named(output.stdoutFormat) ?? JSONReporter.self).report(report, options: options))
        }
        for (path, format) in output.files {
            let kind = Reporters.named(format) ?? JSONReporter.self
            do {
                try FileSystem.write(kind.report(report, options: options), to: path)
            } catch {
                throw UsageFailure("cannot write the \(kind.identifier) report: \(error)")
            }
        }
        if environment["GITHUB_ACTIONS"] == "true" { GitHubActions.publish(report, environment: environment, stdoutIsHuman: output.stdoutIsHuman) }
        return report.exitCode
    }
}

/// What `check` adds inside a GitHub Actions job: annotations (on stdout when it carries the
/// human report, else on stderr) and the Markdown table appended to `$GITHUB_STEP_SUMMARY`.
/// A summary that cannot be written is a warning on stderr, never the run's verdict.
enum GitHubActions {
    static func publish(_ report: RunReport, environment: [String: String], stdoutIsHuman: Bool) {
        let annotations = GitHubAnnotations.commands(report)
        if stdoutIsHuman { Output.stdout(annotations) } else { Output.stderr(annotations) }
        guard let summary = environment["GITHUB_STEP_SUMMARY"], !summary.isEmpty else { return }
        do {
            try FileSystem.write(MarkdownReporter.report(report, options: ReportOptions()) + "\n", to: summary, append: true)
        } catch {
            Output.stderr("envcheck: warning: cannot write the GitHub job summary: \(error)\n")
        }
    }
}
