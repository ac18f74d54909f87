import ArgumentParser
import EnvCheckCore
import EnvCheckProbes

/// `envcheck healthcheck`: critical probes only, one line, exit 0 or 1 only, done well
/// inside Docker's and Kubernetes' timeouts, nothing written to disk.
struct HealthcheckCommand: AsyncParsableCommand, Executable {
    static let configuration = CommandConfiguration(
        commandName: "healthcheck",
        abstract: "Critical probes only: one line, exit 0 (healthy) or 1 (unhealthy)."
    )

    static let defaultDeadline = Duration.seconds(3)

    @OptionGroup(title: "Configuration") var configOptions: ConfigOptions
    @OptionGroup(title: "Probes") var selectionOptions: SelectionOptions
    @OptionGroup(title: "Deadlines") var timing: TimingOptions
    @OptionGroup(title: "Output") var failOn: FailOnOption

    func execute(_ environment: [String: String]) async -> Int32 {
        let start = ContinuousClock.now
        let session = Session(environment: environment)
        do {
            let config = try session.config(configOptions)
            var selection = selectionOptions.selection
            selection.criticalOnly = true
            let specs = try session.specs(selection, manifest: selectionOptions.probes)
            let budget = timing.deadlineValue ?? Self.defaultDeadline
            let timeouts = Planner.Timeouts(override: timing.timeoutValue, cap: budget)
            let global = try session.global(selectionOptions, configOptions)
            let plans = Planner.plan(specs, registry: session.registry, config: config, global: global, timeouts: timeouts)
            var runner = Runner(
                runDeadline: Deadline(start + budget), redactor: session.redactor(config, plans: plans),
                interruption: session.interruption)
            // A working container must not restart in a loop over a weak password: mentioned only.
            runner.weakCredentialsChangeStatus = false
            runner.limits = timing.limits
            let results = await runner.run(plans)
            Output.stdout(HealthcheckReporter.verdict(results, failOnWarn: failOn.warn) + "\n")
            return results.allSatisfy { $0.status.isPassing && !(failOn.warn && $0.status == .warn) } ? 0 : 1
        } catch {
            Output.stdout(HealthcheckReporter.couldNotRun(error.message))
            return 1
        }
    }

    /// Interrupted, the container is not known to be healthy: 1, like any unhealthy verdict
    /// (and never 2 or more, which Docker reserves).
    func interruptedStatus(signal: Int32) -> Int32 { 1 }
}
