import EnvCheckCore

/// The result of `envcheck keys` and its three renderings (human, JSON, JUnit), pure
/// functions of the findings and the injected start time. Exit codes as for `check`:
/// 0 no failure (warnings allowed), 1 any failure.
public struct KeysReport: Sendable {
    public let startedAtEpochMs: Int64
    public let durationMs: Int
    public let findings: [KeyFinding]
    /// The files compared, in layer order.
    public let files: [String]
    /// `--fail-on warn`: a warning fails the run.
    public var failOnWarn = false

    public init(startedAtEpochMs: Int64, durationMs: Int, findings: [KeyFinding], files: [String]) {
        self.startedAtEpochMs = startedAtEpochMs
        self.durationMs = durationMs
        self.findings = findings
        self.files = files
    }

    public var failures: Int { findings.count { $0.severity == .fail } }
    public var warnings: Int { findings.count { $0.severity == .warn } }
    public var passed: Bool { failures == 0 && !(failOnWarn && warnings > 0) }
    public var exitCode: Int32 { passed ? 0 : 1 }

    /// The report in `format` (`human`, `json` or `junit`).
    public func render(_ format: String, options: ReportOptions) -> String {
        switch format {
        case JSONReporter.identifier: json()
        case JUnitReporter.identifier: junit(hostname: options.hostname)
        case MarkdownReporter.identifier:
            MarkdownReporter.table(title: summary(Paint(enabled: false)), rows: rows, counts: counts, timed: false, column: "finding")
        case TAPReporter.identifier: TAPReporter.points(rows, counts: counts, comments: [summary(Paint(enabled: false))])
        default: human(options)
        }
    }

    /// The formats `keys` writes.
    public static let formats = [
        HumanReporter.identifier, JSONReporter.identifier, JUnitReporter.identifier, MarkdownReporter.identifier, TAPReporter.identifier,
    ]

    /// Each finding as a result (`file:line key`), for the Markdown and TAP reports.
    var rows: [ProbeResult] {
        findings.map { f in
            ProbeResult(
                id: "\(f.location) \(f.key)", kind: "keys", critical: false, status: f.severity == .fail ? .fail : .warn, durationMs: 0, attempts: 1,
                message: f.message, code: f.code)
        }
    }

    /// Whether a finding lets the run pass (a warning does, unless `--fail-on warn`).
    func counts(_ row: ProbeResult) -> Bool { row.status == .warn && !failOnWarn }

    /// One line per finding (severity, `file:line`, code, message) and a summary line;
    /// `quiet` leaves warnings out.
    public func human(_ options: ReportOptions) -> String {
        let paint = Paint(enabled: options.color)
        let shown = findings.filter { !options.quiet || $0.severity == .fail }
        let width = min(40, shown.map(\.location.count).max() ?? 0)
        var lines = shown.map { f in
            let word = f.severity == .fail ? paint.red("FAIL ") : paint.yellow("WARN ")
            return "\(word) \(TerminalText.oneLine(f.location).padding(to: width))  \(TerminalText.oneLine(f.message)) " + paint.dim("[\(f.code.rawValue)]")
        }
        lines.append(summary(paint))
        return lines.joined(separator: "\n") + "\n"
    }

    /// `envcheck keys: FAIL - 2 failures · 1 warning across … in 12ms`.
    func summary(_ paint: Paint) -> String {
        let verdict = passed ? paint.green("PASS") : paint.red("FAIL")
        let counts = "\(failures) failure\(failures == 1 ? "" : "s") · \(warnings) warning\(warnings == 1 ? "" : "s")"
        return "envcheck keys: \(verdict) - \(counts) across \(files.joined(separator: ", ")) in \(HumanReporter.formatMs(durationMs))"
    }

    public func json() -> String {
        var root = JSONObject()
        root["summary"] = .object(["failures": .int(failures), "warnings": .int(warnings)])
        root["findings"] = .array(
            findings.map { f in
                .object([
                    "severity": .string(f.severity.rawValue), "code": .string(f.code.rawValue), "message": .string(f.message),
                    "key": .string(f.key), "file": .string(f.file), "line": .int(f.line), "layer": .string(f.layer.rawValue),
                ])
            })
        let document = ReportEnvelope.json(
            mode: RunReport.Mode.keys.rawValue, status: passed ? "pass" : "fail",
            startedAtEpochMs: startedAtEpochMs, durationMs: durationMs, body: root)
        return JSONWriter.write(.object(document), pretty: true) + "\n"
    }

    /// One testcase per check (every code, so CI shows a stable list): a failure lists
    /// the check's failing findings; warnings go to `<system-out>`.
    public func junit(hostname: String?) -> String {
        let codes = ErrorCode.keysCodes + findings.map(\.code).filter { !ErrorCode.keysCodes.contains($0) }
        let failed = codes.filter { code in findings.contains { $0.code == code && $0.severity == .fail } }.count
        let counts = ReportEnvelope.JUnitCounts(tests: codes.count, failures: failed, errors: 0, skipped: 0, durationMs: durationMs)
        return ReportEnvelope.junit(
            mode: RunReport.Mode.keys.rawValue, counts: counts, startedAtEpochMs: startedAtEpochMs,
            hostname: hostname, cases: codes.map(testcase).joined())
    }

    func testcase(_ code: ErrorCode) -> String {
        let open = "    <testcase name=\"\(XML.attribute(code.rawValue))\" classname=\"envcheck.keys\" time=\"0.000\""
        let fails = findings.filter { $0.code == code && $0.severity == .fail }
        let warns = findings.filter { $0.code == code && $0.severity == .warn }
        guard !fails.isEmpty || !warns.isEmpty else { return open + "/>\n" }
        var body = open + ">\n"
        if !fails.isEmpty {
            let message = fails.count == 1 ? fails[0].message : "\(fails.count) findings: \(fails[0].message) ..."
            let text = fails.map { "\($0.location): \($0.message)" }.joined(separator: "\n")
            body += "      <failure message=\"\(XML.attribute(message))\" type=\"\(XML.attribute(code.rawValue))\">\(XML.text(text))</failure>\n"
        }
        if !warns.isEmpty {
            body += "      <system-out>\(XML.text(warns.map { "warning: \($0.location): \($0.message)" }.joined(separator: "\n")))</system-out>\n"
        }
        return body + "    </testcase>\n"
    }
}
