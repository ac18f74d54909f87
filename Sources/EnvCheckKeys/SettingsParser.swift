/// A field of a settings class and the environment variable names that set it.
public struct SettingsField: Sendable, Equatable {
    /// The Python attribute name.
    public let name: String
    /// The settings class being checked (the leaf; `declaredIn` may be a parent).
    public let className: String
    public let declaredIn: String
    /// `env_prefix + NAME`, or the aliases (`validation_alias`, `alias`, `AliasChoices`).
    public let envNames: [String]
    public let caseSensitive: Bool
    public let type: FieldType
    public let hasDefault: Bool
    /// Typed as another model or settings class of the file (read through that class).
    public let isNestedModel: Bool
    public let file: String
    public let line: Int

    /// No default and not optional: pydantic refuses to start without it.
    public var isRequired: Bool { !hasDefault && !type.isOptional }

    public func accepts(_ key: String) -> Bool {
        caseSensitive ? envNames.contains(key) : envNames.contains { $0.lowercased() == key.lowercased() }
    }

    /// How the field is shown: `DATABASE_URL` or `A|B`.
    public var displayName: String { envNames.joined(separator: "|") }
}

/// One settings class with its effective fields (parents' included) and the field names
/// its own body declares twice.
public struct SettingsClass: Sendable {
    public let name: String
    public let file: String
    public let line: Int
    public let fields: [SettingsField]
    public let redeclared: [(name: String, first: Int, line: Int)]
}

/// Reads pydantic `BaseSettings` classes from a Python file without running Python: the
/// classes deriving from `BaseSettings` directly or through other classes of the file
/// (whose fields they inherit), their fields, types, defaults and env names, and
/// `env_prefix` / `case_sensitive` from `model_config` or a legacy inner `class Config`.
/// Only the most derived settings classes are returned (a parent's fields are checked
/// through its children).
public enum SettingsParser {
    public static func parse(_ text: String, path: String) throws(KeysInputError) -> [SettingsClass] {
        let lines = try PythonTokenizer.lines(text, path: path)
        let classes = PyClassReader.classes(in: lines)
        let byName = Dictionary(classes.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
        func isSettings(_ name: String, _ seen: Set<String> = []) -> Bool {
            if name == "BaseSettings" { return true }
            guard let c = byName[name], !seen.contains(name) else { return false }
            return c.bases.contains { isSettings($0, seen.union([name])) }
        }
        let settings = classes.filter { isSettings($0.name) }
        guard !settings.isEmpty else {
            throw KeysInputError(path: path, message: "no class deriving from BaseSettings (pydantic-settings) was found")
        }
        let usedAsBase = Set(classes.flatMap(\.bases))
        let modelNames = Set(classes.map(\.name))
        let reader = AnnotationReader(modelClasses: modelNames)
        return settings.filter { !usedAsBase.contains($0.name) }.map { leaf in
            let merged = merge(leaf, byName)
            let fields = merged.fields.map { raw in
                field(raw, className: leaf.name, config: merged, reader: reader, modelNames: modelNames, path: path)
            }
            return SettingsClass(name: leaf.name, file: path, line: leaf.line, fields: fields, redeclared: leaf.redeclared)
        }
    }

    /// The class with its bases' fields and config folded in (first base wins, own last).
    static func merge(_ c: PyClass, _ byName: [String: PyClass], seen: Set<String> = []) -> PyClass {
        var result = PyClass(name: c.name, line: c.line, bases: c.bases)
        for base in c.bases.reversed() {
            guard let parent = byName[base], !seen.contains(base) else { continue }
            let p = merge(parent, byName, seen: seen.union([c.name]))
            for f in p.fields { result.add(f) }
            result.envPrefix = p.envPrefix ?? result.envPrefix
            result.caseSensitive = p.caseSensitive ?? result.caseSensitive
        }
        for f in c.fields { result.add(f) }
        result.envPrefix = c.envPrefix ?? result.envPrefix
        result.caseSensitive = c.caseSensitive ?? result.caseSensitive
        return result
    }

    static func field(_ raw: PyField, className: String, config: PyClass, reader: AnnotationReader,
                      modelNames: Set<String>, path: String) -> SettingsField {
        let (type, annotatedCall) = reader.read(raw.annotation)
        let valueCall = PyExpr.call(raw.value).flatMap { $0.callee == "Field" ? $0.args : nil }
        let annotatedArgs = annotatedCall.flatMap { PyExpr.call($0)?.args }
        let hasDefault = raw.value.isEmpty
            ? annotatedArgs.map(fieldCallHasDefault) ?? false
            : valueCall.map(fieldCallHasDefault) ?? true
        var aliases: [String]?
        for args in [valueCall, annotatedArgs].compactMap({ $0 }) {
            for keyword in ["validation_alias", "alias", "env"] {
                if aliases == nil, let names = args.first(where: { $0.keyword == keyword }).flatMap({ PyExpr.aliasNames($0.value) }) {
                    aliases = names
                }
            }
        }
        let caseSensitive = config.caseSensitive ?? false
        let envName = (config.envPrefix ?? "") + raw.name
        let names = aliases ?? [caseSensitive ? envName : envName.uppercased()]
        let nested = type.kinds.count == 1 && type.kinds[0] == .jsonObject
            && modelNames.contains(raw.annotation.last { $0.kind == .name && $0.text != "None" }?.text ?? "")
        return SettingsField(name: raw.name, className: className, declaredIn: raw.className, envNames: names,
                             caseSensitive: caseSensitive, type: type, hasDefault: hasDefault, isNestedModel: nested,
                             file: path, line: raw.line)
    }

    /// `Field(...)` is required; `Field("x")`, `Field(default=...)`, `Field(default_factory=...)` are not.
    static func fieldCallHasDefault(_ args: [PyExpr.Argument]) -> Bool {
        if let first = args.first, first.keyword == nil { return !(first.value.count == 1 && first.value[0].isOp("...")) }
        if let d = args.first(where: { $0.keyword == "default" }) { return !(d.value.count == 1 && d.value[0].isOp("...")) }
        return args.contains { $0.keyword == "default_factory" }
    }
}
