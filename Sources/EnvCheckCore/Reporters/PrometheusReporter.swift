/// The Prometheus text exposition format (version 0.0.4) of probe results: what `envcheck
/// serve` shows at `/metrics` and `--format prometheus` writes once (node_exporter's
/// textfile collector). Per probe, labelled `probe`, `kind` and `critical`:
/// - `envcheck_probe_up` 1 for pass and warn, 0 for fail and error, no series for skip;
/// - `envcheck_probe_status{status}` one series per status, 1 for the current one;
/// - `envcheck_probe_duration_seconds`, `envcheck_probe_last_run_timestamp_seconds`;
/// - `envcheck_probe_attempts_total`, a counter;
/// and `envcheck_build_info{version}` 1.
public enum PrometheusReporter: Reporter {
    public static let identifier = "prometheus"

    /// One probe's latest result, when it ran, and its attempts so far.
    public struct Sample: Sendable {
        public var result: ProbeResult
        public var finishedAtEpochMs: Int64
        public var attemptsTotal: Int

        public init(result: ProbeResult, finishedAtEpochMs: Int64, attemptsTotal: Int) {
            self.result = result
            self.finishedAtEpochMs = finishedAtEpochMs
            self.attemptsTotal = attemptsTotal
        }
    }

    /// This run's results, each finished at the run's end, with this run's attempts.
    public static func report(_ run: RunReport, options: ReportOptions) -> String {
        let end = run.startedAtEpochMs + Int64(run.durationMs)
        return metrics(run.probes.map { Sample(result: $0, finishedAtEpochMs: end, attemptsTotal: $0.attempts) })
    }

    public static func metrics(_ samples: [Sample], version: String = ReportEnvelope.version) -> String {
        var out = ""
        func family(_ name: String, _ type: String, _ help: String, _ rows: [(labels: String, value: String)]) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            for row in rows { out += "\(name){\(row.labels)} \(row.value)\n" }
        }
        func labels(_ r: ProbeResult) -> String {
            "probe=\"\(escape(r.id))\",kind=\"\(escape(r.kind))\",critical=\"\(r.critical)\""
        }
        family(
            "envcheck_probe_up", "gauge", "1 when the probe passed or warned, 0 when it failed or errored (no series when skipped).",
            samples.compactMap { s in
                s.result.status == .skip ? nil : (labels(s.result), s.result.status.isPassing ? "1" : "0")
            })
        family(
            "envcheck_probe_status", "gauge", "1 for the probe's current status, 0 for the others.",
            samples.flatMap { s in
                ProbeStatus.allCases.map { status in (labels(s.result) + ",status=\"\(status.rawValue)\"", s.result.status == status ? "1" : "0") }
            })
        family(
            "envcheck_probe_duration_seconds", "gauge", "How long the probe's latest run took.",
            samples.map { (labels($0.result), seconds($0.result.durationMs)) })
        family(
            "envcheck_probe_last_run_timestamp_seconds", "gauge", "When the probe's latest run finished (Unix time).",
            samples.map { (labels($0.result), seconds(Int($0.finishedAtEpochMs))) })
        family(
            "envcheck_probe_attempts_total", "counter", "Attempts the probe has made (retries included).",
            samples.map { (labels($0.result), String($0.attemptsTotal)) })
        family("envcheck_build_info", "gauge", "The envcheck build: always 1.", [("version=\"\(escape(version))\"", "1")])
        return out
    }

    /// A label value: `\`, `"` and line breaks escaped.
    static func escape(_ text: String) -> String {
        text.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"").replacing("\n", with: "\\n")
    }

    /// Milliseconds as decimal seconds (`0.012`).
    static func seconds(_ ms: Int) -> String {
        let sign = ms < 0 ? "-" : ""
        let m = abs(ms)
        let frac = String(m % 1000)
        return "\(sign)\(m / 1000).\(String(repeating: "0", count: 3 - frac.count))\(frac)"
    }
}
