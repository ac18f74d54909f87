/// The parts every machine-readable report shares, built once: the JSON envelope
/// (`schema_version`, `tool`, `mode`, and the run's timestamps when it has them) and the
/// JUnit document with its counts and one `<testsuite>`. Reporters add only their body.
public enum ReportEnvelope {
    /// `schema_version` of every JSON report: additive changes keep it; a removal or
    /// rename bumps it (schemas/).
    public static let schemaVersion = 1
    public static let tool = "envcheck"
    /// The envcheck version (`--version`, `envcheck_build_info`).
    public static let version = "0.1.0"

    /// `{"schema_version", "tool", "mode", ["status", "started_at", "duration_ms"]}` then
    /// `body`'s keys. `status` (`pass`/`fail`) is the verdict of reports that have one.
    public static func json(
        mode: String, status: String? = nil, startedAtEpochMs: Int64? = nil, durationMs: Int? = nil,
        body: JSONObject
    ) -> JSONObject {
        var root = JSONObject()
        root["schema_version"] = .int(schemaVersion)
        root["tool"] = .string(tool)
        root["mode"] = .string(mode)
        if let status { root["status"] = .string(status) }
        if let startedAtEpochMs { root["started_at"] = .string(Timestamp.iso8601(epochMs: startedAtEpochMs)) }
        if let durationMs { root["duration_ms"] = .int(durationMs) }
        for (key, value) in body.entries { root[key] = value }
        return root
    }

    /// The counts of a JUnit suite.
    public struct JUnitCounts: Sendable {
        public var tests, failures, errors, skipped: Int
        public var durationMs: Int

        public init(tests: Int, failures: Int, errors: Int, skipped: Int, durationMs: Int) {
            self.tests = tests
            self.failures = failures
            self.errors = errors
            self.skipped = skipped
            self.durationMs = durationMs
        }

        var attributes: String {
            "tests=\"\(tests)\" failures=\"\(failures)\" errors=\"\(errors)\" skipped=\"\(skipped)\" time=\"\(JUnitReporter.seconds(durationMs))\""
        }
    }

    /// `<?xml …?><testsuites name="envcheck"><testsuite name="envcheck.MODE" …>` + `cases`
    /// (already-indented `<testcase>` elements and any `<system-err>`) + the closing tags.
    public static func junit(mode: String, counts: JUnitCounts, startedAtEpochMs: Int64?, hostname: String?, cases: String) -> String {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"\(tool)\" \(counts.attributes)>\n"
        var suite = "  <testsuite name=\"\(tool).\(XML.attribute(mode))\" \(counts.attributes)"
        if let startedAtEpochMs { suite += " timestamp=\"\(Timestamp.iso8601(epochMs: startedAtEpochMs, plain: true))\"" }
        if let hostname { suite += " hostname=\"\(XML.attribute(hostname))\"" }
        xml += suite + ">\n" + cases
        xml += "  </testsuite>\n</testsuites>\n"
        return xml
    }
}
