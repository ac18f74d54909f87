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

    /// Docker keeps 4096 bytes of output; the verdict must fit.
    static let maxLineBytes = 4000
    static let defaultDeadline = Duration.seconds(3)

    @OptionGroup(title: "Configuration") var configOptions: ConfigOptions
    @OptionGroup(title: "Probes") var selectionOptions: SelectionOptions
    @OptionGroup(title: "Deadlines") var timing: TimingOptions

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
            var runner = Runner(runDeadline: Deadline(start + budget), redactor: session.redactor(config, plans: plans),
                                interruption: session.interruption)
            // A working container must not restart in a loop over a weak password: mentioned only.
            runner.weakCredentialsChangeStatus = false
            let results = await runner.run(plans)
            let line = Self.verdict(results)
            Output.stdout(line + "\n")
            return results.allSatisfy(\.status.isPassing) ? 0 : 1
        } catch {
            Output.stdout(Self.truncate("unhealthy: envcheck could not run: \(error.message)") + "\n")
            return 1
        }
    }

    /// Interrupted, the container is not known to be healthy: 1, like any unhealthy verdict
    /// (and never 2 or more, which Docker reserves).
    func interruptedStatus(signal: Int32) -> Int32 { 1 }

    /// `healthy: postgres 3ms, s3 5ms` or `unhealthy: s3 timeout after 2000ms (...)`.
    static func verdict(_ results: [ProbeResult]) -> String {
        let bad = results.filter { !$0.status.isPassing }
        if bad.isEmpty {
            let parts = results.map { r in
                r.status == .skip ? "\(r.id) skipped" : "\(r.id) \(r.durationMs)ms" + (r.details["weak_credential"] != nil ? " (weak_credential)" : "")
            }
            return truncate("healthy: " + (parts.isEmpty ? "no critical probes selected" : parts.joined(separator: ", ")))
        }
        let parts = bad.map { "\($0.id) \($0.code?.rawValue ?? $0.status.rawValue) after \($0.durationMs)ms (\($0.message))" }
        return truncate("unhealthy: " + parts.joined(separator: "; "))
    }

    static func truncate(_ line: String) -> String {
        let oneLine = TerminalText.oneLine(line)
        guard oneLine.utf8.count > maxLineBytes else { return oneLine }
        return String(decoding: oneLine.utf8.prefix(maxLineBytes - 3), as: UTF8.self) + "..."
    }
}
