/// Turns one manifest probe entry into a ``ProbeSpec``, checking every key, name and type
/// against the registry. Errors never quote a value (it may be a secret), only its type.
struct ManifestReader {
    static let probeKeys = ["id", "kind", "critical", "required", "timeout", "inputs", "options"]

    let path: String
    let registry: ProbeRegistry

    func error(_ node: YAMLNode, _ message: String) -> ManifestError {
        ManifestError(path: path, line: node.line, column: node.column, message: message)
    }

    func error(_ entry: YAMLEntry, _ message: String) -> ManifestError {
        ManifestError(path: path, line: entry.line, column: entry.column, message: message)
    }

    func unknownKey(_ entry: YAMLEntry, in place: String, allowed: [String]) -> ManifestError {
        error(entry, "unknown key '\(entry.key)' in \(place) (allowed: \(allowed.joined(separator: ", ")))")
    }

    func checkVersion(_ node: YAMLNode) throws(ManifestError) {
        guard node.scalar == .int(ManifestLoader.supportedVersion) else {
            throw error(node, "unsupported manifest version (this envcheck reads 'version: \(ManifestLoader.supportedVersion)')")
        }
    }

    /// The spec, and the node to blame for a duplicate id (the `id`, else the `kind`).
    func probe(_ node: YAMLNode) throws(ManifestError) -> (ProbeSpec, YAMLNode) {
        guard case .mapping(let entries) = node.content else {
            throw error(node, "each probe is a mapping with at least 'kind', found \(node.kindDescription)")
        }
        if let unknown = entries.first(where: { !Self.probeKeys.contains($0.key) }) {
            throw unknownKey(unknown, in: "a probe", allowed: Self.probeKeys)
        }
        let field = { (name: String) in entries.first { $0.key == name }?.value }
        let known = registry.kinds.isEmpty ? "none are registered" : registry.kinds.map(\.kind).joined(separator: ", ")
        guard let kindNode = field("kind") else { throw error(node, "the probe has no 'kind' (one of: \(known))") }
        let kindName = try string(kindNode, "'kind'")
        guard let kind = registry.kind(kindName) else {
            throw error(kindNode, "unknown probe kind '\(kindName)' (known: \(known))")
        }
        var spec = ProbeSpec(id: kindName, kind: kindName)
        if let idNode = field("id") { spec.id = try id(idNode) }
        let subject = "probe '\(spec.id)'"
        if let n = field("critical") { spec.critical = try bool(n, "'critical' of \(subject)") }
        if let n = field("required") { spec.required = try bool(n, "'required' of \(subject)") }
        if let n = field("timeout") { spec.timeout = try timeout(n, "'timeout' of \(subject)") }
        if let n = field("inputs") { spec.bindings = try inputs(n, kind: kind, subject: subject) }
        if let n = field("options") { spec.options = try options(n, kind: kind, subject: subject) }
        return (spec, field("id") ?? kindNode)
    }

    private func id(_ node: YAMLNode) throws(ManifestError) -> String {
        let id = try string(node, "'id'")
        let allowed = id.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "_-.".unicodeScalars.contains($0))
        }
        guard allowed, let first = id.unicodeScalars.first, first != "-", first != "." else {
            throw error(node, "probe id '\(id)' must be letters, digits, '_', '-' or '.' (it is used in --only and --skip)")
        }
        return id
    }

    private func inputs(_ node: YAMLNode, kind: ProbeKind, subject: String) throws(ManifestError) -> [String: String] {
        let names = kind.inputs.map(\.name)
        var bindings: [String: String] = [:]
        for entry in try mapping(node, "'inputs' of \(subject)") {
            guard names.contains(entry.key) else {
                throw error(entry, "unknown input '\(entry.key)' for kind \(kind.kind) (inputs: \(names.joined(separator: ", ")))")
            }
            let what = "input '\(entry.key)' of \(subject)"
            guard let text = entry.value.text else {
                throw error(entry.value, "\(what) must be a ${VAR} template or a value, found \(entry.value.kindDescription)")
            }
            try checkTemplate(text, entry.value, what)
            bindings[entry.key] = text
        }
        return bindings
    }

    private func options(_ node: YAMLNode, kind: ProbeKind, subject: String) throws(ManifestError) -> JSONObject {
        let allowed = kind.options + ProbeOption.common
        var options = JSONObject()
        for entry in try mapping(node, "'options' of \(subject)") {
            guard let option = allowed.first(where: { $0.name == entry.key }) else {
                let names = allowed.map(\.name).joined(separator: ", ")
                throw error(entry, "unknown option '\(entry.key)' for kind \(kind.kind) (options: \(names))")
            }
            options[entry.key] = try value(entry.value, as: option.type, "option '\(entry.key)' of \(subject)")
        }
        return options
    }

    // MARK: - Typed values

    private func mapping(_ node: YAMLNode, _ what: String) throws(ManifestError) -> [YAMLEntry] {
        guard case .mapping(let entries) = node.content else {
            throw error(node, "\(what) must be a mapping of 'name: value' lines, found \(node.kindDescription)")
        }
        return entries
    }

    func string(_ node: YAMLNode, _ what: String) throws(ManifestError) -> String {
        guard case .string(let s) = node.scalar else { throw error(node, "\(what) must be a string, found \(node.kindDescription)") }
        guard !s.isEmpty else { throw error(node, "\(what) is empty") }
        return s
    }

    private func bool(_ node: YAMLNode, _ what: String) throws(ManifestError) -> Bool {
        guard case .bool(let b) = node.scalar else { throw error(node, "\(what) must be true or false, found \(node.kindDescription)") }
        return b
    }

    private func timeout(_ node: YAMLNode, _ what: String) throws(ManifestError) -> Duration {
        guard case .string(let text) = node.scalar else {
            throw error(node, "\(what) must be a duration such as 250ms, 5s or 2m, found \(node.kindDescription)")
        }
        let d: Duration
        do { d = try DurationParser.parse(text) } catch { throw self.error(node, "\(what): \(error)") }
        guard d > .zero else { throw error(node, "\(what) must be greater than zero") }
        return d
    }

    /// An option value of `type`. Bool, number and duration options may also be a `${VAR}`
    /// template, resolved from the config when the probe is set up.
    private func value(_ node: YAMLNode, as type: ProbeOption.ValueType, _ what: String) throws(ManifestError) -> JSONValue {
        let scalar = node.scalar
        if case .string(let s) = scalar, s.contains("${"), type != .stringList, type != .stringMap {
            try checkTemplate(s, node, what)
            return .string(s)
        }
        switch (type, scalar) {
        case (.string, .string(let s)):
            return .string(s)
        case (.string, .int), (.string, .double):
            return .string(node.text ?? "")
        case (.bool, .bool(let b)):
            return .bool(b)
        case (.number, .int(let i)):
            return .int(i)
        case (.number, .double(let d)):
            return .double(d)
        case (.duration, .string(let s)):
            do { _ = try DurationParser.parse(s) } catch { throw self.error(node, "\(what): \(error)") }
            return .string(s)
        case (.stringList, nil):
            return try stringList(node, what)
        case (.stringMap, nil):
            return try stringMap(node, what)
        default:
            let expected =
                switch type {
                case .string: "a string"
                case .bool: "true or false"
                case .number: "a number"
                case .duration: "a duration such as 250ms, 5s or 2m"
                case .stringList: "a list of strings"
                case .stringMap: "a mapping of names to strings"
                }
            throw error(node, "\(what) must be \(expected), found \(node.kindDescription)")
        }
    }

    private func stringList(_ node: YAMLNode, _ what: String) throws(ManifestError) -> JSONValue {
        guard case .sequence(let items) = node.content else {
            throw error(node, "\(what) must be a list of strings, found \(node.kindDescription)")
        }
        var values: [JSONValue] = []
        for item in items {
            switch item.scalar {
            case .string(let s): values.append(.string(s))
            case .int, .double: values.append(.string(item.text ?? ""))
            default: throw error(item, "every item of \(what) must be a string, found \(item.kindDescription)")
            }
        }
        return .array(values)
    }

    /// `name: value` lines, each value a string (numbers read as their text) that may be a
    /// `${VAR}` template; a bool, null, list or mapping value is an error naming its line.
    private func stringMap(_ node: YAMLNode, _ what: String) throws(ManifestError) -> JSONValue {
        guard case .mapping(let entries) = node.content else {
            throw error(node, "\(what) must be a mapping of names to strings, found \(node.kindDescription)")
        }
        var map = JSONObject()
        for entry in entries {
            guard !entry.key.isEmpty else { throw error(entry, "\(what) has an empty name") }
            let text: String
            switch entry.value.scalar {
            case .string(let s): text = s
            case .int, .double: text = entry.value.text ?? ""
            default: throw error(entry.value, "'\(entry.key)' of \(what) must be a string, found \(entry.value.kindDescription)")
            }
            try checkTemplate(text, entry.value, "'\(entry.key)' of \(what)")
            map[entry.key] = .string(text)
        }
        return .object(map)
    }

    /// Every `${` must open `${NAME}` or `${NAME:-default}` (nested), closed on the same value.
    private func checkTemplate(_ text: String, _ node: YAMLNode, _ what: String) throws(ManifestError) {
        if let problem = ManifestTemplate.problem(in: text) { throw error(node, "\(what): \(problem)") }
    }
}
