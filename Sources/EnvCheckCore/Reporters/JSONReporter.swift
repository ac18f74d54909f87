/// The machine-readable report; its shape is pinned by `schemas/report.schema.json`.
public enum JSONReporter: Reporter {
    public static let identifier = "json"
    public static let schemaVersion = ReportEnvelope.schemaVersion

    public static func report(_ run: RunReport, options: ReportOptions) -> String {
        JSONWriter.write(.object(document(run)), pretty: true) + "\n"
    }

    public static func document(_ run: RunReport) -> JSONObject {
        var root = JSONObject()
        var summary = JSONObject()
        summary["total"] = .int(run.probes.count)
        for status in ProbeStatus.allCases { summary[status.rawValue] = .int(run.count(status)) }
        root["summary"] = .object(summary)
        root["probes"] = .array(run.probes.map { .object(probe($0)) })
        root["warnings"] = .array(run.warnings.map { .string($0) })
        return ReportEnvelope.json(
            mode: run.mode.rawValue, status: run.passed ? "pass" : "fail", startedAtEpochMs: run.startedAtEpochMs, durationMs: run.durationMs, body: root)
    }

    public static func probe(_ p: ProbeResult) -> JSONObject {
        var o = JSONObject()
        o["id"] = .string(p.id)
        o["kind"] = .string(p.kind)
        o["critical"] = .bool(p.critical)
        o["status"] = .string(p.status.rawValue)
        o["duration_ms"] = .int(p.durationMs)
        o["attempts"] = .int(p.attempts)
        o["message"] = .string(p.message)
        o["code"] = p.status == .pass ? .null : p.code.map { .string($0.rawValue) } ?? .null
        o["hint"] = p.status == .pass ? .null : p.hint.map { .string($0) } ?? .null
        o["details"] = .object(p.details)
        return o
    }
}
