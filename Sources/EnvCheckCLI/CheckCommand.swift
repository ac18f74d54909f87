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

    @Flag(name: .customLong("write-check"), help: "Also prove writes work (unique temporary names, cleaned up).")
    var writeCheck = false

    func validate() throws {
        try output.validate(formats: Reporters.identifiers)
        if let wait {
            do { _ = try DurationParser.parse(wait) } catch { throw ValidationError("--wait: \(error)") }
        }
    }

    func execute(_ environment: [String: String]) async -> Int32 {
        let session = Session(environment: environment)
        do {
            let report = try await run(session)
            return try write(report, environment: environment)
        } catch {
            Output.stderr("envcheck: \(error.message)\n")
            return 2
        }
    }

    private func run(_ session: Session) async throws(UsageFailure) -> RunReport {
        let waitDuration = wait.flatMap { try? DurationParser.parse($0) }
        return try await session.run(
            mode: .check, configOptions, selectionOptions, timing: timing, wait: waitDuration, writeCheck: writeCheck)
    }

    private func write(_ run: RunReport, environment: [String: String]) throws(UsageFailure) -> Int32 {
        var report = run
        report.failOnWarn = output.failOn.warn
        let options = output.reportOptions(environment: environment)
        let reporter = Reporters.named(output.stdoutFormat) ?? HumanReporter.self
        Output.stdout(reporter.report(report, options: options))
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
