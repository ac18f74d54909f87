/// `envcheck config`: every key envcheck loaded, grouped by who reads it (a probe, the
/// next_public scan, nobody), each with every source that set it (winner first), set,
/// empty or unset, its value (secrets only as length + keyed fingerprint, URL credentials
/// masked), "did you mean" for a misspelt key, and warnings about suspicious values.
///
/// Keys, sources and file paths are labels; only values are scrubbed, so a dev password
/// that is also a common word does not wreck the table.
public struct ConfigReport: Sendable {
    /// Who reads a key.
    public enum Group: String, Sendable, Equatable {
        /// A selected probe's input or option (``Row/probes`` says which).
        case probe
        /// `NEXT_PUBLIC_*`: the next_public scan looks for its value in the build.
        case nextPublic = "next_public"
        /// Loaded, but no selected probe reads it.
        case unread
    }

    /// Set, empty (set to nothing or spaces: not configured, for every probe) or unset.
    public enum State: String, Sendable, Equatable {
        case set, empty, unset
    }

    /// One key: its winning entry (nil: unset) and how secret its value is.
    public struct Row: Sendable, Equatable {
        public let key: String
        public let entry: ConfigEntry?
        /// The whole value is secret: by the input it feeds, or by its name.
        public let secret: Bool
        /// The probes that read the key.
        public let probes: [String]
        public let group: Group
        /// For an unset key a probe reads: a set key it was probably misspelt as; for an
        /// unread key: the known key it probably misspells.
        public let suggestion: String?

        public var state: State {
            guard let entry else { return .unset }
            return entry.value.trimmingSpaces.isEmpty ? .empty : .set
        }
    }

    /// Every row, probes' keys first (in the order the probes read them), then
    /// `NEXT_PUBLIC_*`, then unread keys (sorted).
    public let rows: [Row]
    public let warnings: [ConfigWarning]
    public let files: [String]
    /// Lines about the report itself (fingerprints off, and how to turn them on).
    public let notes: [String]
    /// List every unread key (`--all`); otherwise the human report counts them and names
    /// only those that look misspelt.
    public let showAll: Bool
    let fingerprinter: Fingerprinter?

    /// `keys` maps each key to the probes that read it, in first-seen order; `secrecy`
    /// says which keys feed secret inputs (``KeyUsage/secrecy(for:registry:)``). Without a
    /// `fingerprinter` (a run's warnings) there are no fingerprints and no notes on them.
    public init(
        config: ResolvedConfig, keys: [(key: String, probes: [String])], requiredKeys: Set<String>,
        secrecy: [String: InputSecrecy] = [:], fingerprinter: Fingerprinter? = nil, weakCredentials: [WeakCredential] = [],
        showAll: Bool = false
    ) {
        let read = Set(keys.map(\.key))
        // envcheck's own settings (ENVCHECK_FINGERPRINT_KEY, ...) are nobody's typo.
        let unreadKeys = config.keys.filter { !read.contains($0) && !$0.hasPrefix("ENVCHECK_") }
        func isSecret(_ key: String) -> Bool { secrecy[key] == .whole || SecretPolicy.isSecretKey(key) }
        var unreadNames = Spelling.Candidates(unreadKeys)
        var rows = keys.map { k in
            let entry = config[k.key]
            // An unset key a probe reads, and a set key nobody reads that is one slip away.
            let suggestion = entry == nil ? unreadNames.suggestion(for: k.key) : nil
            return Row(key: k.key, entry: entry, secret: isSecret(k.key), probes: k.probes, group: .probe, suggestion: suggestion)
        }
        let known = keys.map(\.key)
        var knownNames = Spelling.Candidates(known)
        for key in unreadKeys where key.hasPrefix(SecretPolicy.publicPrefix) {
            rows.append(Row(key: key, entry: config[key], secret: isSecret(key), probes: [], group: .nextPublic, suggestion: nil))
        }
        for key in unreadKeys where !key.hasPrefix(SecretPolicy.publicPrefix) {
            let suggestion = knownNames.suggestion(for: key)
            rows.append(Row(key: key, entry: config[key], secret: isSecret(key), probes: [], group: .unread, suggestion: suggestion))
        }
        self.rows = rows
        self.fingerprinter = fingerprinter
        self.showAll = showAll
        warnings = Self.warnings(
            config: config, keys: known, requiredKeys: requiredKeys, secrecy: secrecy, fingerprints: fingerprinter != nil,
            weakCredentials: weakCredentials, showAll: showAll)
        files = config.files
        notes = fingerprinter?.disabledReason.map { [$0] } ?? []
    }

    /// The warnings alone, for a `check` run's report: about the keys a probe reads and
    /// about whole files (with `showAll`, about any set key), without building the rows, so
    /// a run pays nothing for the unread keys and their spelling.
    public static func warnings(
        config: ResolvedConfig, keys: [String], requiredKeys: Set<String>, secrecy: [String: InputSecrecy] = [:],
        fingerprints: Bool = false, weakCredentials: [WeakCredential] = [], showAll: Bool = false
    ) -> [ConfigWarning] {
        let read = Set(keys)
        var warnings = config.warnings.filter { $0.key.isEmpty || read.contains($0.key) || (showAll && config[$0.key] != nil) }
        var seen = Set<String>()
        for key in keys where seen.insert(key).inserted {
            guard let entry = config[key] else { continue }
            if requiredKeys.contains(key), entry.value.trimmingSpaces.isEmpty {
                warnings.append(ConfigWarning(key: key, source: entry.source, message: "is set but empty, and a required probe reads it"))
            }
            let secret = secrecy[key] == .whole || SecretPolicy.isSecretKey(key)
            if fingerprints, secret, !entry.value.isEmpty, entry.value.count < Fingerprinter.minimumSecretLength {
                warnings.append(
                    ConfigWarning(
                        key: key, source: entry.source,
                        message: "short_secret: a secret under \(Fingerprinter.minimumSecretLength) characters is easy to guess and gets no fingerprint"))
            }
        }
        for weak in weakCredentials {
            warnings.append(
                ConfigWarning(
                    key: weak.source, source: config[weak.source]?.source ?? .environment,
                    message: "\(WeakCredential.code.rawValue): the secret \(weak.reason)"))
        }
        return warnings
    }

    /// The unread keys that look like a misspelt known key.
    public var misspelt: [Row] { rows.filter { $0.group == .unread && $0.suggestion != nil } }

    /// What is shown for a value: secrets as `<secret: N chars, hmac:...>` (or the length
    /// alone), others scrubbed of every secret form and URL credential.
    public func display(_ row: Row, redactor: Redactor) -> String? {
        row.entry.map { display($0.value, secret: row.secret, redactor: redactor) }
    }

    func display(_ value: String, secret: Bool, redactor: Redactor) -> String {
        if value.isEmpty { return "<empty>" }
        if secret {
            return "<secret: \(value.count) chars" + (fingerprinter?.fingerprint(value).map { ", " + $0 } ?? "") + ">"
        }
        // A URL's own password is masked by position; its scheme, user and host are shown
        // (a password equal to one of them is a weak credential), other secrets scrubbed.
        let own = URLCredentials.passwords(in: value)
        return own.isEmpty ? redactor.scrub(value) : redactor.excluding(own).scrub(URLCredentials.redact(value))
    }

    /// The rows the human table lists: unread keys only with `showAll`.
    var listed: [Row] { rows.filter { showAll || $0.group != .unread } }

    public func human(redactor: Redactor, color: Bool) -> String {
        let paint = Paint(enabled: color)
        let listed = listed
        let keyWidth = max(3, listed.map(\.key.count).max() ?? 0)
        let sourceWidth = max(6, listed.map { $0.entry?.source.description.count ?? 1 }.max() ?? 0)
        var lines = ["\("KEY".padding(to: keyWidth))  STATUS  \("SOURCE".padding(to: sourceWidth))  VALUE"]
        var group: Group?
        for row in listed {
            if row.group != group, row.group != .probe {
                lines.append(row.group == .nextPublic ? "# NEXT_PUBLIC_* (read by next_public)" : "# not read by any probe")
            }
            group = row.group
            let status: String =
                switch row.state {
                case .unset: paint.dim("unset ")
                case .empty: "empty "
                case .set: "set   "
                }
            let source = (row.entry?.source.description ?? "-").padding(to: sourceWidth)
            var value = display(row, redactor: redactor) ?? "-"
            if let suggestion = row.suggestion {
                value += row.entry == nil ? "  (did you mean \(suggestion)? it is set)" : "  (did you mean \(suggestion)?)"
            }
            lines.append("\(row.key.padding(to: keyWidth))  \(status)  \(source)  \(TerminalText.oneLine(value))")
            for shadowed in row.entry?.sources.dropFirst() ?? [] {
                let shown = display(shadowed.value, secret: row.secret, redactor: redactor)
                lines.append(
                    "\("".padding(to: keyWidth))  \(paint.dim("over  "))  \(shadowed.source.description.padding(to: sourceWidth))  "
                        + TerminalText.oneLine(shown))
            }
        }
        let unread = rows.filter { $0.group == .unread }
        if !showAll, !unread.isEmpty {
            let fromFiles = unread.filter { $0.entry?.source != .environment }.count
            var line =
                "\(unread.count) more \(unread.count == 1 ? "key is" : "keys are") set but not read by any probe "
                + "(\(fromFiles) from env files, \(unread.count - fromFiles) from the environment; --all lists them)"
            let misspelt = misspelt
            if !misspelt.isEmpty {
                line +=
                    "; "
                    + misspelt.map { "\($0.key) (\($0.entry?.source.description ?? "env")): did you mean \($0.suggestion ?? "")?" }
                    .joined(separator: ", ")
            }
            lines.append(line)
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
            rows.filter { showAll || $0.group != .unread || $0.suggestion != nil }.map { row in
                var o = JSONObject()
                o["key"] = .string(row.key)
                o["group"] = .string(row.group.rawValue)
                o["status"] = .string(row.state.rawValue)
                o["set"] = .bool(row.entry != nil)
                o["empty"] = .bool(row.state == .empty)
                o["source"] = row.entry.map { .string($0.source.description) } ?? .null
                o["sources"] = .array(
                    (row.entry?.sources ?? []).map { assignment in
                        .object([
                            "source": .string(assignment.source.description),
                            "value": .string(display(assignment.value, secret: row.secret, redactor: redactor)),
                        ])
                    })
                o["secret"] = .bool(row.secret)
                o["value"] = display(row, redactor: redactor).map { .string($0) } ?? .null
                o["length"] = row.entry.map { .int($0.value.count) } ?? .null
                o["fingerprint"] = row.secret ? row.entry.flatMap { fingerprinter?.fingerprint($0.value) }.map { .string($0) } ?? .null : .null
                o["probes"] = .array(row.probes.map { .string($0) })
                o["did_you_mean"] = row.suggestion.map { .string($0) } ?? .null
                return .object(o)
            })
        root["unread"] = .int(rows.filter { $0.group == .unread }.count)
        root["warnings"] = .array(
            warnings.map { w in
                .object(["key": .string(w.key), "source": .string(w.source.description), "message": .string(w.message)])
            })
        root["notes"] = .array(notes.map { .string($0) })
        return JSONWriter.write(.object(ReportEnvelope.json(mode: "config", body: root))) + "\n"
    }
}
