/// `envcheck config`: every key the selected probes read, its winning source, set or
/// unset, its value (secrets only as length + fingerprint, URL passwords masked), and
/// warnings about suspicious values.
public struct ConfigReport: Sendable {
    /// One key: its winning entry (nil: unset) and whether its value is a secret.
    public struct Row: Sendable, Equatable {
        public let key: String
        public let entry: ConfigEntry?
        public let secret: Bool
        /// The probes that read the key.
        public let probes: [String]
    }

    public let rows: [Row]
    public let warnings: [ConfigWarning]
    public let files: [String]

    /// `keys` maps each key to the probes that read it, in first-seen order.
    public init(config: ResolvedConfig, keys: [(key: String, probes: [String])], requiredKeys: Set<String>) {
        rows = keys.map { k in
            Row(key: k.key, entry: config[k.key], secret: SecretPolicy.isSecretKey(k.key), probes: k.probes)
        }
        let shown = Set(keys.map(\.key))
        var warnings = config.warnings.filter { shown.contains($0.key) }
        for row in rows where requiredKeys.contains(row.key) {
            if let entry = row.entry, entry.value.trimmingSpaces.isEmpty {
                warnings.append(ConfigWarning(key: row.key, source: entry.source, message: "is set but empty, and a required probe reads it"))
            }
        }
        self.warnings = warnings
        files = config.files
    }

    /// What is shown for a value: secrets as `<secret: N chars, sha256:...>`, others with
    /// any URL password masked.
    public static func display(_ row: Row, fingerprint: (String) -> String) -> String? {
        guard let entry = row.entry else { return nil }
        if row.secret {
            return entry.value.isEmpty ? "<empty>" : "<secret: \(entry.value.count) chars, \(fingerprint(entry.value))>"
        }
        return URLCredentials.redact(entry.value)
    }

    public func human(fingerprint: (String) -> String, color: Bool) -> String {
        let paint = Paint(enabled: color)
        let keyWidth = max(3, rows.map(\.key.count).max() ?? 0)
        let sourceWidth = max(6, rows.map { $0.entry?.source.description.count ?? 1 }.max() ?? 0)
        var lines = ["\("KEY".padding(to: keyWidth))  STATUS  \("SOURCE".padding(to: sourceWidth))  VALUE"]
        for row in rows {
            let status = row.entry == nil ? paint.dim("unset ") : "set   "
            let source = (row.entry?.source.description ?? "-").padding(to: sourceWidth)
            let value = Self.display(row, fingerprint: fingerprint) ?? "-"
            lines.append("\(row.key.padding(to: keyWidth))  \(status)  \(source)  \(TerminalText.oneLine(value))")
        }
        if !files.isEmpty { lines.append("env files: " + files.joined(separator: ", ")) }
        for w in warnings { lines.append(paint.yellow("warning: ") + TerminalText.oneLine(w.description)) }
        return lines.joined(separator: "\n") + "\n"
    }

    public func json(fingerprint: (String) -> String) -> String {
        var root = JSONObject()
        root["schema_version"] = .int(JSONReporter.schemaVersion)
        root["tool"] = "envcheck"
        root["mode"] = "config"
        root["files"] = .array(files.map { .string($0) })
        root["keys"] = .array(rows.map { row in
            var o = JSONObject()
            o["key"] = .string(row.key)
            o["set"] = .bool(row.entry != nil)
            o["source"] = row.entry.map { .string($0.source.description) } ?? .null
            o["secret"] = .bool(row.secret)
            o["value"] = Self.display(row, fingerprint: fingerprint).map { .string($0) } ?? .null
            o["length"] = row.entry.map { .int($0.value.count) } ?? .null
            o["fingerprint"] = row.secret ? row.entry.map { .string(fingerprint($0.value)) } ?? .null : .null
            o["probes"] = .array(row.probes.map { .string($0) })
            return .object(o)
        })
        root["warnings"] = .array(warnings.map { w in
            .object(["key": .string(w.key), "source": .string(w.source.description), "message": .string(w.message)])
        })
        return JSONWriter.write(.object(root)) + "\n"
    }
}
