/// `envcheck config`: every key the selected probes read, its winning source, set or
/// unset, its value (secrets only as length + keyed fingerprint, URL credentials masked),
/// and warnings about suspicious values.
///
/// Keys, sources and file paths are labels; only values are scrubbed, so a dev password
/// that is also a common word does not wreck the table.
public struct ConfigReport: Sendable {
    /// One key: its winning entry (nil: unset) and how secret its value is.
    public struct Row: Sendable, Equatable {
        public let key: String
        public let entry: ConfigEntry?
        /// The whole value is secret: by the input it feeds, or by its name.
        public let secret: Bool
        /// The probes that read the key.
        public let probes: [String]
    }

    public let rows: [Row]
    public let warnings: [ConfigWarning]
    public let files: [String]
    /// Lines about the report itself (fingerprints off, and how to turn them on).
    public let notes: [String]
    let fingerprinter: Fingerprinter?

    /// `keys` maps each key to the probes that read it, in first-seen order; `secrecy`
    /// says which keys feed secret inputs (``KeyUsage/secrecy(for:registry:)``). Without a
    /// `fingerprinter` (a run's warnings) there are no fingerprints and no notes on them.
    public init(
        config: ResolvedConfig, keys: [(key: String, probes: [String])], requiredKeys: Set<String>,
        secrecy: [String: InputSecrecy] = [:], fingerprinter: Fingerprinter? = nil, weakCredentials: [WeakCredential] = []
    ) {
        rows = keys.map { k in
            Row(key: k.key, entry: config[k.key], secret: secrecy[k.key] == .whole || SecretPolicy.isSecretKey(k.key), probes: k.probes)
        }
        self.fingerprinter = fingerprinter
        let shown = Set(keys.map(\.key))
        var warnings = config.warnings.filter { shown.contains($0.key) }
        for row in rows {
            guard let entry = row.entry else { continue }
            if requiredKeys.contains(row.key), entry.value.trimmingSpaces.isEmpty {
                warnings.append(ConfigWarning(key: row.key, source: entry.source, message: "is set but empty, and a required probe reads it"))
            }
            if fingerprinter != nil, row.secret, !entry.value.isEmpty, entry.value.count < Fingerprinter.minimumSecretLength {
                warnings.append(
                    ConfigWarning(
                        key: row.key, source: entry.source,
                        message: "short_secret: a secret under \(Fingerprinter.minimumSecretLength) characters is easy to guess and gets no fingerprint"))
            }
        }
        for weak in weakCredentials {
            warnings.append(
                ConfigWarning(
                    key: weak.source, source: config[weak.source]?.source ?? .environment,
                    message: "\(WeakCredential.code.rawValue): the secret \(weak.reason)"))
        }
        self.warnings = warnings
        files = config.files
        notes = fingerprinter?.disabledReason.map { [$0] } ?? []
    }

    /// What is shown for a value: secrets as `<secret: N chars, hmac:...>` (or the length
    /// alone), others scrubbed of every secret form and URL credential.
    public func display(_ row: Row, redactor: Redactor) -> String? {
        guard let entry = row.entry else { return nil }
        if entry.value.isEmpty { return "<empty>" }
        if row.secret {
            return "<secret: \(entry.value.count) chars" + (fingerprinter?.fingerprint(entry.value).map { ", " + $0 } ?? "") + ">"
        }
        // A URL's own password is masked by position; its scheme, user and host are shown
        // (a password equal to one of them is a weak credential), other secrets scrubbed.
        let own = URLCredentials.passwords(in: entry.value)
        return own.isEmpty ? redactor.scrub(entry.value) : redactor.excluding(own).scrub(URLCredentials.redact(entry.value))
    }

    public func human(redactor: Redactor, color: Bool) -> String {
        let paint = Paint(enabled: color)
        let keyWidth = max(3, rows.map(\.key.count).max() ?? 0)
        let sourceWidth = max(6, rows.map { $0.entry?.source.description.count ?? 1 }.max() ?? 0)
        var lines = ["\("KEY".padding(to: keyWidth))  STATUS  \("SOURCE".padding(to: sourceWidth))  VALUE"]
        for row in rows {
            let status = row.entry == nil ? paint.dim("unset ") : row.entry?.value.isEmpty == true ? "empty " : "set   "
            let source = (row.entry?.source.description ?? "-").padding(to: sourceWidth)
            let value = display(row, redactor: redactor) ?? "-"
            lines.append("\(row.key.padding(to: keyWidth))  \(status)  \(source)  \(TerminalText.oneLine(value))")
        }
        if !files.isEmpty { lines.append("env files: " + files.joined(separator: ", ")) }
        for w in warnings { lines.append(paint.yellow("warning: ") + TerminalText.oneLine(redactor.render(w.text))) }
        for note in notes { lines.append(paint.dim("note: " + note)) }
        return lines.joined(separator: "\n") + "\n"
    }

    public func json(redactor: Redactor) -> String {
        var root = JSONObject()
        root["files"] = .array(files.map { .string($0) })
        root["keys"] = .array(
            rows.map { row in
                var o = JSONObject()
                o["key"] = .string(row.key)
                o["set"] = .bool(row.entry != nil)
                o["empty"] = .bool(row.entry?.value.isEmpty ?? false)
                o["source"] = row.entry.map { .string($0.source.description) } ?? .null
                o["secret"] = .bool(row.secret)
                o["value"] = display(row, redactor: redactor).map { .string($0) } ?? .null
                o["length"] = row.entry.map { .int($0.value.count) } ?? .null
                o["fingerprint"] = row.secret ? row.entry.flatMap { fingerprinter?.fingerprint($0.value) }.map { .string($0) } ?? .null : .null
                o["probes"] = .array(row.probes.map { .string($0) })
                return .object(o)
            })
        root["warnings"] = .array(
            warnings.map { w in
                .object(["key": .string(w.key), "source": .string(w.source.description), "message": .string(w.message)])
            })
        root["notes"] = .array(notes.map { .string($0) })
        return JSONWriter.write(.object(ReportEnvelope.json(mode: "config", body: root))) + "\n"
    }
}
