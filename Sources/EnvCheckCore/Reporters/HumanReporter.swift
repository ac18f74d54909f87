/// The console report: one line per probe (status, id, duration, message), the hint under
/// anything that did not pass, configuration warnings, and a summary line.
public enum HumanReporter: Reporter {
    public static let identifier = "human"

    public static func report(_ run: RunReport, options: ReportOptions) -> String {
        let idWidth = min(24, run.probes.map(\.id.count).max() ?? 0)
        let timeWidth = run.probes.map { formatMs($0.durationMs).count }.max() ?? 0
        var lines: [String] = []
        for probe in run.probes { lines += block(probe, idWidth: idWidth, timeWidth: timeWidth, options: options) }
        return (lines + tail(run, options: options)).joined(separator: "\n") + "\n"
    }

    /// One probe's lines as they stream while the run goes on (`check` prints each as that
    /// probe settles): `ids` are every selected probe's, so the columns line up.
    public static func streamed(_ probe: ProbeResult, ids: [String], options: ReportOptions) -> String {
        let lines = block(probe, idWidth: min(24, ids.map(\.count).max() ?? 0), timeWidth: 5, options: options)
        return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
    }

    /// What follows the probes' lines: the configuration warnings and the summary.
    public static func tail(_ run: RunReport, options: ReportOptions) -> [String] {
        let paint = Paint(enabled: options.color)
        var lines: [String] = []
        if !options.quiet {
            for warning in run.warnings { lines.append(paint.yellow("warning: ") + TerminalText.oneLine(warning)) }
        }
        lines.append(summary(run, paint: paint))
        return lines
    }

    /// A probe's line, its hint, its other broken rules and (verbose) its details; nothing
    /// for a pass or skip when `quiet`.
    static func block(_ probe: ProbeResult, idWidth: Int, timeWidth: Int, options: ReportOptions) -> [String] {
        guard !options.quiet || !probe.status.isPassing else { return [] }
        let paint = Paint(enabled: options.color)
        let id = probe.id.padding(to: idWidth)
        let time = String(repeating: " ", count: max(0, timeWidth - formatMs(probe.durationMs).count)) + formatMs(probe.durationMs)
        var line = "\(paint.status(probe.status))  \(id)  \(time)  \(TerminalText.oneLine(probe.message))"
        if probe.attempts > 1 { line += " (\(probe.attempts) attempts)" }
        var lines = [line]
        let indent = String(repeating: " ", count: 6)
        if probe.status != .pass && probe.status != .skip, probe.code != nil || probe.hint != nil {
            let parts = [probe.code.map { "[\($0.rawValue)]" }, probe.hint.map(TerminalText.oneLine)].compactMap { $0 }
            lines.append(indent + paint.dim("hint: " + parts.joined(separator: " ")))
        }
        // A result made of several checks: each other one that did not pass, under it.
        for sub in probe.subChecks where sub.status == .fail || sub.status == .warn {
            guard probe.code?.rawValue != sub.id else { continue }
            lines.append(indent + "\(paint.status(sub.status))  \(sub.id): \(TerminalText.oneLine(sub.message))")
        }
        if options.verbose {
            for (key, value) in probe.details.entries {
                lines.append(indent + paint.dim("\(key): \(TerminalText.oneLine(render(value)))"))
            }
        }
        return lines
    }

    static func summary(_ run: RunReport, paint: Paint) -> String {
        let verdict = run.passed ? paint.green("PASS") : paint.red("FAIL")
        var parts: [String] = []
        for (status, word) in [(ProbeStatus.fail, "failed"), (.error, "error"), (.pass, "passed"), (.warn, "warning"), (.skip, "skipped")] {
            let n = run.count(status)
            let plural = n != 1 && (status == .error || status == .warn) ? "s" : ""
            if n > 0 || status == .pass { parts.append("\(n) \(word)\(plural)") }
        }
        let probes = run.probes.count == 1 ? "1 probe" : "\(run.probes.count) probes"
        return "envcheck \(run.mode.rawValue): \(verdict) - \(parts.joined(separator: " · ")) of \(probes) in \(formatMs(run.durationMs))"
    }

    /// A duration as the human report shows it: `850ms`, or `12.3s` from ten seconds on.
    public static func formatMs(_ ms: Int) -> String {
        ms < 10_000 ? "\(ms)ms" : "\(ms / 1000).\(ms % 1000 / 100)s"
    }

    static func render(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): s
        default: JSONWriter.write(value, pretty: false)
        }
    }
}

/// ANSI colour, or plain text when disabled.
public struct Paint {
    let enabled: Bool

    public init(enabled: Bool) { self.enabled = enabled }

    func wrap(_ code: String, _ text: String) -> String { enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
    public func green(_ t: String) -> String { wrap("32", t) }
    public func red(_ t: String) -> String { wrap("31", t) }
    public func yellow(_ t: String) -> String { wrap("33", t) }
    public func dim(_ t: String) -> String { wrap("2", t) }

    func status(_ s: ProbeStatus) -> String {
        let word = s.rawValue.uppercased().padding(to: 5)
        switch s {
        case .pass: return green(word)
        case .warn: return yellow(word)
        case .fail, .error: return red(word)
        case .skip: return dim(word)
        }
    }
}

extension String {
    /// The string with spaces added on the right up to `width` characters (never cut).
    public func padding(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
