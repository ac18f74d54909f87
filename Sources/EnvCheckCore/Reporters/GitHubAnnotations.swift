/// GitHub Actions workflow commands for a run (docs.github.com, "Workflow commands"): one
/// `::error` per failed or errored probe and one `::warning` per warning (an `::error`
/// with `--fail-on warn`), titled with the probe id, the message and hint as the text. The
/// results are already redacted; the commands' own escapes keep a server's words from
/// ending the command or starting another.
public enum GitHubAnnotations {
    public static func commands(_ run: RunReport) -> String {
        var lines: [String] = []
        for p in run.probes where p.status != .pass && p.status != .skip {
            let level = run.counts(p) ? "warning" : "error"
            var text = p.message
            if let code = p.code { text += " [\(code.rawValue)]" }
            if let hint = p.hint { text += "\nhint: " + hint }
            lines.append("::\(level) title=\(property("envcheck \(p.id)"))::\(data(text))")
        }
        return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
    }

    /// A command's message: `%`, CR and LF escaped.
    static func data(_ text: String) -> String {
        var out = ""
        for c in text.unicodeScalars {
            switch c {
            case "%": out += "%25"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// A property value: also `:` and `,`.
    static func property(_ text: String) -> String {
        data(text).replacing(":", with: "%3A").replacing(",", with: "%2C")
    }
}
