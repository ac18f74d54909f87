/// `envcheck healthcheck`'s one line: `healthy: postgres 3ms, s3 5ms` or
/// `unhealthy: s3 timeout after 2000ms (...)`, on one line of at most ``maxLineBytes``
/// (Docker keeps 4096 bytes of a health check's output). A weak credential on a healthy
/// probe is mentioned, never a reason to be unhealthy (docs/security.md).
public enum HealthcheckReporter: Reporter {
    public static let identifier = "healthcheck"
    public static let maxLineBytes = 4000

    public static func report(_ run: RunReport, options: ReportOptions) -> String {
        verdict(run.probes, failOnWarn: run.failOnWarn) + "\n"
    }

    /// With `failOnWarn` (`--fail-on warn`), a warning is unhealthy too.
    public static func verdict(_ results: [ProbeResult], failOnWarn: Bool = false) -> String {
        let bad = results.filter { !$0.status.isPassing || (failOnWarn && $0.status == .warn) }
        if bad.isEmpty {
            let parts = results.map { r in
                r.status == .skip ? "\(r.id) skipped" : "\(r.id) \(r.durationMs)ms" + (r.details["weak_credential"] != nil ? " (weak_credential)" : "")
            }
            return truncate("healthy: " + (parts.isEmpty ? "no critical probes selected" : parts.joined(separator: ", ")))
        }
        let parts = bad.map { "\($0.id) \($0.code?.rawValue ?? $0.status.rawValue) after \($0.durationMs)ms (\($0.message))" }
        return truncate("unhealthy: " + parts.joined(separator: "; "))
    }

    /// The line when envcheck could not run at all (a usage or configuration error).
    public static func couldNotRun(_ message: String) -> String {
        truncate("unhealthy: envcheck could not run: \(message)") + "\n"
    }

    static func truncate(_ line: String) -> String {
        let oneLine = TerminalText.oneLine(line)
        guard oneLine.utf8.count > maxLineBytes else { return oneLine }
        return String(decoding: oneLine.utf8.prefix(maxLineBytes - 3), as: UTF8.self) + "..."
    }
}
