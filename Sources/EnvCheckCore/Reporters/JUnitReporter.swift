/// JUnit XML in the shape CI systems read (Jenkins' junit-10.xsd; docs/protocols.md §7):
/// one testsuite per run, one testcase per probe (per rule for `policy`); fail → `<failure>`, error → `<error>`,
/// skip → `<skipped>`, warn → a passed case with its message in `<system-out>` and a
/// `warning` property (also with `--fail-on warn`, whose verdict is the exit code's).
/// The schema the tests validate against is `schemas/junit.xsd`.
public enum JUnitReporter: Reporter {
    public static let identifier = "junit"

    public static func report(_ run: RunReport, options: ReportOptions) -> String {
        let all = run.probes.flatMap(testcases)
        let counts = ReportEnvelope.JUnitCounts(
            tests: all.count, failures: all.count { $0.status == .fail }, errors: all.count { $0.status == .error },
            skipped: all.count { $0.status == .skip }, durationMs: run.durationMs)
        var cases = all.map(\.xml).joined()
        if !run.warnings.isEmpty {
            cases += "    <system-err>\(XML.text(run.warnings.map { "warning: \($0)" }.joined(separator: "\n")))</system-err>\n"
        }
        return ReportEnvelope.junit(
            mode: run.mode.rawValue, counts: counts, startedAtEpochMs: run.startedAtEpochMs,
            hostname: options.hostname, cases: cases)
    }

    /// One case per probe, or, for a result made of several checks (``SubCheck``), one per
    /// check, named `probe.check`; the probe's time goes to the first.
    static func testcases(_ p: ProbeResult) -> [(status: ProbeStatus, xml: String)] {
        let subs = p.subChecks
        guard !subs.isEmpty else { return [(p.status, testcase(p))] }
        return subs.enumerated().map { i, sub in
            var one = ProbeResult(
                id: "\(p.id).\(sub.id)", kind: p.kind, critical: p.critical, status: sub.status, durationMs: i == 0 ? p.durationMs : 0,
                attempts: p.attempts, message: sub.message, code: sub.status.isPassing && sub.status != .warn ? nil : ErrorCode(sub.id),
                hint: p.code?.rawValue == sub.id ? p.hint : nil)
            if !sub.keys.isEmpty { one.details = ["keys": .string(sub.keys.joined(separator: ", "))] }
            return (sub.status, testcase(one))
        }
    }

    /// One `<testcase>`: `<properties>` (status, code, attempts, and a warning's message),
    /// then the outcome element, then `<system-out>` with the evidence: a pass's message, a
    /// warning's whole text (so CI shows it, though the case passes).
    static func testcase(_ p: ProbeResult) -> String {
        let open = "    <testcase name=\"\(XML.attribute(p.id))\" classname=\"envcheck.\(XML.attribute(p.kind))\" time=\"\(seconds(p.durationMs))\">\n"
        var properties: [(String, String)] = [("status", p.status.rawValue)]
        if let code = p.code { properties.append(("code", code.rawValue)) }
        properties.append(("attempts", String(p.attempts)))
        if p.status == .warn { properties.append(("warning", p.message)) }
        var body = "      <properties>\n"
        for (name, value) in properties { body += "        <property name=\"\(name)\" value=\"\(XML.attribute(value))\"/>\n" }
        body += "      </properties>\n"
        let text = failureText(p)
        switch p.status {
        case .pass:
            body += "      <system-out>\(XML.text(p.message))</system-out>\n"
        case .warn:
            body += "      <system-out>\(XML.text("warning: " + text))</system-out>\n"
        case .skip:
            body += "      <skipped message=\"\(XML.attribute(p.message))\"/>\n"
        case .fail, .error:
            let element = p.status == .fail ? "failure" : "error"
            let type = XML.attribute(p.code?.rawValue ?? p.status.rawValue)
            body += "      <\(element) message=\"\(XML.attribute(p.message))\" type=\"\(type)\">\(XML.text(text))</\(element)>\n"
        }
        return open + body + "    </testcase>\n"
    }

    static func failureText(_ p: ProbeResult) -> String {
        var lines = [p.message]
        if let code = p.code { lines.append("code: \(code.rawValue)") }
        if let hint = p.hint { lines.append("hint: \(hint)") }
        if p.attempts > 1 { lines.append("attempts: \(p.attempts)") }
        for (k, v) in p.details.entries { lines.append("\(k): \(HumanReporter.render(v))") }
        return lines.joined(separator: "\n")
    }

    /// Seconds with three decimals and a `.` separator, whatever the locale.
    public static func seconds(_ ms: Int) -> String {
        let frac = String(ms % 1000)
        return "\(ms / 1000).\(String(repeating: "0", count: 3 - frac.count))\(frac)"
    }
}
