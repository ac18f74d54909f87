/// Reads a probe manifest (`probes/*.yaml`, `--probes PATH`) into ``ProbeSpec``s, checked
/// against the ``ProbeRegistry`` before anything runs:
///
/// ```yaml
/// version: 1                 # optional; only 1 exists
/// probes:
///   - id: primary-db         # optional, defaults to the kind; unique
///     kind: postgres         # a registered kind
///     critical: true         # optional, default: the kind's
///     required: true         # optional, default: critical
///     timeout: 5s            # optional, default: --timeout or 5s
///     inputs:                # optional: input name -> ${VAR} / ${VAR:-default} template
///       url: ${APP_DATABASE_URL:-${DATABASE_URL}}
///     options:               # optional: the kind's options and ca_file, tls_verify
///       expect_primary: true
/// ```
///
/// Any problem is a ``ManifestError`` naming `file:line:column` (exit 2).
public enum ManifestLoader {
    public static let topLevelKeys = ["version", "probes"]
    public static let supportedVersion = 1

    /// `--probes NAME` without a slash or a `.yaml`/`.yml` suffix means `probes/NAME.yaml`.
    public static func resolvePath(_ argument: String) -> String {
        if argument.contains("/") || argument.hasSuffix(".yaml") || argument.hasSuffix(".yml") { return argument }
        return "probes/\(argument).yaml"
    }

    /// Reads and validates the manifest `argument` names (see ``resolvePath(_:)``).
    public static func load(
        _ argument: String, registry: ProbeRegistry,
        read: (String) throws(FileSystem.Failure) -> [UInt8] = FileSystem.readInput
    ) throws(ManifestError) -> [ProbeSpec] {
        let path = resolvePath(argument)
        let bytes: [UInt8]
        do {
            bytes = try read(path)
        } catch {
            let note = path == argument ? "" : " ('\(argument)' names \(path))"
            throw ManifestError(path: path, line: 0, column: 0, message: "cannot read the probe manifest\(note): \(error.reason)")
        }
        let text: String
        do { text = try TextInput.normalised(bytes) } catch {
            let message = error.message == "invalid UTF-8" ? "the probe manifest is not valid UTF-8" : error.message
            throw ManifestError(path: path, line: error.line, column: 0, message: message)
        }
        return try parse(text, path: path, registry: registry)
    }

    /// Parses and validates manifest text; `path` is only used in errors.
    public static func parse(_ text: String, path: String, registry: ProbeRegistry) throws(ManifestError) -> [ProbeSpec] {
        let root = try YAMLParser.parse(text, path: path)
        let reader = ManifestReader(path: path, registry: registry)
        guard case .mapping(let entries) = root.content else {
            throw reader.error(root, "a probe manifest is a mapping with 'version' and 'probes', found \(root.kindDescription)")
        }
        var probes: YAMLEntry?
        for entry in entries {
            switch entry.key {
            case "version": try reader.checkVersion(entry.value)
            case "probes": probes = entry
            default: throw reader.unknownKey(entry, in: "the manifest", allowed: topLevelKeys)
            }
        }
        guard let probes else { throw reader.error(root, "the manifest has no 'probes' list") }
        guard case .sequence(let items) = probes.value.content else {
            throw reader.error(probes.value, "'probes' must be a list of probes ('- kind: ...'), found \(probes.value.kindDescription)")
        }
        guard !items.isEmpty else { throw reader.error(probes.value, "'probes' is empty: list at least one probe") }
        if items.count > Limits.manifestProbes {
            throw reader.error(items[Limits.manifestProbes], "more than \(Limits.manifestProbes) probes in one manifest (the limit)")
        }
        var specs: [ProbeSpec] = []
        var firstLine: [String: Int] = [:]
        for item in items {
            let (spec, idNode) = try reader.probe(item)
            if let line = firstLine[spec.id] {
                throw reader.error(idNode, "duplicate probe id '\(spec.id)' (first at line \(line)); give one of them another 'id'")
            }
            firstLine[spec.id] = item.line
            specs.append(spec)
        }
        return specs
    }
}
