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

    /// What every run of `specs` starts from (`check`'s, and each round of `serve`): the
    /// configuration resolved, the plans, a redactor for their secrets, and the run's
    /// deadline (`--deadline`, else the wait plus the longest timeout plus 250 ms).
    func prepare(
        _ specs: [ProbeSpec], _ configOptions: ConfigOptions, _ selectionOptions: SelectionOptions, timing: TimingOptions, wait: Duration?,
        start: ContinuousClock.Instant
    ) throws(UsageFailure) -> (config: ResolvedConfig, plans: [ProbePlan], redactor: Redactor, deadline: Deadline) {
        let config = try config(configOptions)
        let timeouts = Planner.Timeouts(override: timing.timeoutValue)
        let plans = Planner.plan(specs, registry: registry, config: config, global: try global(selectionOptions, configOptions), timeouts: timeouts)
        let longest = plans.map(\.timeout).max() ?? timeouts.defaultTimeout
        let runBudget = timing.deadlineValue ?? (wait ?? .zero) + longest + .milliseconds(250)
        return (config, plans, redactor(config, plans: plans), Deadline(start + runBudget))
    }

    /// Resolves, plans and runs the selected probes: `check`'s run, also `snapshot --check`'s.
    func run(
        mode: RunReport.Mode, _ configOptions: ConfigOptions, _ selectionOptions: SelectionOptions, timing: TimingOptions, wait: WaitPolicy?,
        writeCheck: Bool, settled: (@Sendable ([ProbePlan], ProbeResult) -> Void)? = nil
    ) async throws(UsageFailure) -> RunReport {
        let startedAt = Timestamp.nowEpochMs()
        let start = ContinuousClock.now
        let specs = try specs(selectionOptions.selection, manifest: selectionOptions.probes)
        let (config, plans, redactor, runDeadline) = try prepare(
            specs, configOptions, selectionOptions, timing: timing, wait: wait?.duration, start: start)
        let live = Output.isTerminal(2)
        var runner = Runner(
            runDeadline: runDeadline, wait: wait?.duration, writeCheck: writeCheck, redactor: redactor, interruption: interruption
        ) { progress in
            let line =
                "envcheck: \(progress.id) attempt \(progress.attempt): \(TerminalText.oneLine(redactor.adding(progress.outcome.revealed).render(progress.outcome.message))); retrying in \(progress.retryIn.shortDescription)"
            Output.stderr(live ? "\r\u{1B}[2K" + line : line + "\n")
        }
        runner.limits = timing.limits
        if let wait {
            runner.retryOn = wait.retryOn
            runner.initialBackoff = wait.initialBackoff
            runner.maxBackoff = wait.maxBackoff
        }
        if let settled {
            let all = plans
            runner.settled = { result in
                if live && wait != nil { Output.stderr("\r\u{1B}[2K") }
                settled(all, result)
            }
        }
        let results = await runner.run(plans)
        if live && wait != nil { Output.stderr("\r\u{1B}[2K") }
        return RunReport(
            mode: mode, startedAtEpochMs: startedAt, durationMs: (ContinuousClock.now - start).milliseconds,
            probes: results, warnings: warnings(config, specs: specs, redactor: redactor))
    }
}

/// `--wait` and its tuning: how long, which codes to retry although they do not heal, and
/// the backoff between attempts.
struct WaitPolicy: Sendable {
    var duration: Duration
    var retryOn: Set<ErrorCode> = []
    var initialBackoff: Duration = .milliseconds(250)
    var maxBackoff: Duration = .seconds(5)
}
