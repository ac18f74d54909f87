/// A Markdown table of the run, as GitHub renders it (the job summary `check` writes to
/// `$GITHUB_STEP_SUMMARY`, and `--format markdown`): a heading with the verdict, one row per
/// probe (status, time, message and hint), the configuration warnings below. Cell text is
/// escaped so that a server's words cannot break the table or inject markup.
public enum MarkdownReporter: Reporter {
    public static let identifier = "markdown"

    public static func report(_ run: RunReport, options: ReportOptions) -> String {
        table(title: HumanReporter.summary(run, paint: Paint(enabled: false)), rows: run.probes, counts: run.counts, warnings: run.warnings)
    }

    /// The table for any list of results (`keys`' findings and `diff`'s checks too):
    /// `title` as the heading, `counts` deciding which warnings still pass, and a time
    /// column only when `timed`.
    public static func table(
        title: String, rows: [ProbeResult], counts: (ProbeResult) -> Bool, warnings: [String] = [], timed: Bool = true, column: String = "probe"
    ) -> String {
        var lines = ["### " + cell(title), ""]
        lines.append(timed ? "| | \(column) | status | time | result |" : "| | \(column) | status | result |")
        lines.append(timed ? "|---|---|---|---|---|" : "|---|---|---|---|")
        for p in rows {
            var result = cell(p.message)
            if let hint = p.hint { result += "<br>**hint:** " + cell(hint) }
            for sub in p.subChecks where sub.status != .pass {
                result += "<br>• `\(code(sub.id))` \(sub.status.rawValue): " + cell(sub.message)
            }
            let status = p.code.map { "\(p.status.rawValue) `\(code($0.rawValue))`" } ?? p.status.rawValue
            let name = "`\(code(p.id))`\(p.critical ? " (critical)" : "")"
            let time = timed ? " \(HumanReporter.formatMs(p.durationMs)) |" : ""
            lines.append("| \(icon(p, counts(p))) | \(name) | \(status) |\(time) \(result) |")
        }
        if !warnings.isEmpty {
            lines.append("")
            for warning in warnings { lines.append("- **warning:** " + cell(warning)) }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func icon(_ p: ProbeResult, _ passes: Bool) -> String {
        switch p.status {
        case .pass: "✅"
        case .warn: passes ? "⚠️" : "❌"
        case .skip: "⏭️"
        case .fail, .error: "❌"
        }
    }

    /// Text for a table cell: one line, `|` escaped, HTML's specials as entities (GitHub
    /// renders inline HTML), Markdown's emphasis and link characters backslash-escaped.
    public static func cell(_ text: String) -> String {
        var out = ""
        for c in TerminalText.oneLine(text) {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "|": out += "\\|"
            case "\\", "`", "*", "_", "[", "]", "~", "#": out += "\\" + String(c)
            default: out.append(c)
            }
        }
        return out
    }

    /// Text inside a code span: no backtick can end it early.
    static func code(_ text: String) -> String { TerminalText.oneLine(text).replacing("`", with: "'") }
}

/// TAP version 14 (testanything.org): a plan, one test point per probe, and a YAML block of
/// diagnostics (status, code, message, hint, duration, attempts) for every warning,
/// failure and error. A skip is `ok ... # SKIP`; a warning is `ok` (`not ok` with
/// `--fail-on warn`); fail and error are `not ok`.
public enum TAPReporter: Reporter {
    public static let identifier = "tap"

    public static func report(_ run: RunReport, options: ReportOptions) -> String {
        points(
            run.probes, counts: run.counts,
            comments: run.warnings.map { "warning: " + $0 } + [HumanReporter.summary(run, paint: Paint(enabled: false))])
    }

    /// The points for any list of results (`keys`' findings and `diff`'s checks too), then
    /// `comments` as `#` lines.
    public static func points(_ rows: [ProbeResult], counts: (ProbeResult) -> Bool, comments: [String]) -> String {
        var lines = ["TAP version 14", "1..\(rows.count)"]
        for (i, p) in rows.enumerated() {
            if p.status == .skip {
                lines.append("ok \(i + 1) - \(description(p.id)) # SKIP \(description(p.message))")
                continue
            }
            lines.append("\(counts(p) ? "ok" : "not ok") \(i + 1) - \(description(p.id + ": " + p.message))")
            guard p.status != .pass else { continue }
            lines.append("  ---")
            lines.append("  status: \(p.status.rawValue)")
            if let code = p.code { lines.append("  code: \(yaml(code.rawValue))") }
            lines.append("  message: \(yaml(p.message))")
            if let hint = p.hint { lines.append("  hint: \(yaml(hint))") }
            lines.append("  duration_ms: \(p.durationMs)")
            lines.append("  attempts: \(p.attempts)")
            let subs = p.subChecks.filter { $0.status != .pass }
            if !subs.isEmpty {
                lines.append("  checks:")
                for sub in subs {
                    lines.append("    - id: \(yaml(sub.id))")
                    lines.append("      status: \(sub.status.rawValue)")
                    lines.append("      message: \(yaml(sub.message))")
                }
            }
            lines.append("  ...")
        }
        for comment in comments { lines.append("# " + TerminalText.oneLine(comment)) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A test point's description: one line, `\` and `#` escaped (TAP 14).
    static func description(_ text: String) -> String {
        TerminalText.oneLine(text).replacing("\\", with: "\\\\").replacing("#", with: "\\#")
    }

    /// A YAML scalar: a JSON string, which YAML reads as a double-quoted scalar.
    static func yaml(_ text: String) -> String { JSONWriter.write(.string(TerminalText.oneLine(text)), pretty: false) }
}
