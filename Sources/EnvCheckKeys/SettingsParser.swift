import EnvCheckCore

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
    /// The default when it is a string literal (`= "dev_key"`, `Field("x")`,
    /// `SecretStr("x")`, `Field(default="x")`), for the development-default check.
    public var defaultValue: String? = nil
    /// The class sets `env_ignore_empty=True`: `KEY=` leaves the default in place.
    public var ignoresEmpty: Bool = false
    /// The class's `env_parse_none_str`: a value equal to it becomes None.
    public var noneString: String? = nil
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
/// `env_prefix` / `case_sensitive` / `env_ignore_empty` / `env_parse_none_str` from `model_config` or a legacy inner `class Config`.
/// Only the most derived settings classes are returned (a parent's fields are checked
/// through its children).
public enum SettingsParser {
    public static func parse(_ text: String, path: String) throws(KeysInputError) -> [SettingsClass] {
        let lines = try PythonTokenizer.lines(text, path: path)
        let classes = try PyClassReader.classes(in: lines, path: path)
        var hierarchy = Hierarchy(classes, path: path)
        var settings: [PyClass] = []
        for c in classes where try hierarchy.isSettings(c.name) { settings.append(c) }
        guard !settings.isEmpty else {
            throw KeysInputError(path: path, message: "no class deriving from BaseSettings (pydantic-settings) was found")
        }
        let usedAsBase = Set(classes.flatMap(\.bases))
        let modelNames = Set(classes.map(\.name))
        let reader = AnnotationReader(modelClasses: modelNames)
        var result: [SettingsClass] = []
        for leaf in settings where !usedAsBase.contains(leaf.name) {
            let merged = try hierarchy.merged(leaf.name)
            let fields = merged.fields.map { raw in
                field(raw, className: leaf.name, config: merged, reader: reader, modelNames: modelNames, path: path)
            }
            result.append(SettingsClass(name: leaf.name, file: path, line: leaf.line, fields: fields, redeclared: leaf.redeclared))
        }
        return result
    }

    /// The classes of one module by name (the last definition wins), with what has been
    /// worked out about each: whether it derives from `BaseSettings`, and its fields with
    /// its bases' folded in. Each is remembered once known, so a diamond-shaped hierarchy
    /// costs no more than a tree. A base that is being worked out further up (a cycle, from
    /// a class redefined later in the module) is skipped, and a result that skipped one is
    /// not remembered. Inheritance deeper than ``Limits/sourceNesting`` and more than
    /// ``Limits/inheritedFields`` steps of work are errors.
    struct Hierarchy {
        let byName: [String: PyClass]
        let path: String
        var settings: [String: Bool] = [:]
        var mergedClasses: [String: PyClass] = [:]
        var work = 0

        init(_ classes: [PyClass], path: String) {
            byName = Dictionary(classes.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
            self.path = path
        }

        mutating func isSettings(_ name: String) throws(KeysInputError) -> Bool {
            do { return try isSettings(name, depth: 0, open: []).result } catch { throw failure(error, name) }
        }

        mutating func merged(_ name: String) throws(KeysInputError) -> PyClass {
            do { return try merged(name, depth: 0, open: []).result } catch { throw failure(error, name) }
        }

        /// Why the hierarchy cannot be read.
        enum Problem: Error {
            case tooDeep
            case tooMuchWork
        }

        func failure(_ problem: Problem, _ name: String) -> KeysInputError {
            switch problem {
            case .tooDeep:
                KeysInputError(
                    path: path, line: byName[name]?.line,
                    message: "class \(name) inherits through more than \(Limits.sourceNesting) classes (the limit for a settings module)")
            case .tooMuchWork:
                KeysInputError(
                    path: path,
                    message:
                        "the class hierarchy is too large to read: more than \(Limits.inheritedFields) inherited fields and bases (the limit for a settings module)"
                )
            }
        }

        /// Whether `name` is `BaseSettings` or derives from it through classes of the module;
        /// `cut`: a base was skipped as part of a cycle.
        private mutating func isSettings(_ name: String, depth: Int, open: Set<String>) throws(Problem) -> (result: Bool, cut: Bool) {
            if name == "BaseSettings" { return (true, false) }
            if let known = settings[name] { return (known, false) }
            guard let c = byName[name] else { return (false, false) }
            if open.contains(name) { return (false, true) }
            guard depth < Limits.sourceNesting else { throw .tooDeep }
            try spend(1 + c.bases.count)
            var cut = false
            for base in c.bases {
                let (found, baseCut) = try isSettings(base, depth: depth + 1, open: open.union([name]))
                if found {
                    settings[name] = true
                    return (true, false)
                }
                cut = cut || baseCut
            }
            if !cut { settings[name] = false }
            return (false, cut)
        }

        /// The class with its bases' fields and config folded in (first base wins, own last).
        private mutating func merged(_ name: String, depth: Int, open: Set<String>) throws(Problem) -> (result: PyClass, cut: Bool) {
            if let known = mergedClasses[name] { return (known, false) }
            guard let c = byName[name] else { return (PyClass(name: name, line: 0, bases: []), false) }
            guard depth < Limits.sourceNesting else { throw .tooDeep }
            var result = PyClass(name: c.name, line: c.line, bases: c.bases)
            var cut = false
            for base in c.bases.reversed() where byName[base] != nil {
                if open.contains(base) || base == name {
                    cut = true
                    continue
                }
                let (p, baseCut) = try merged(base, depth: depth + 1, open: open.union([name]))
                cut = cut || baseCut
                try spend(1 + p.fields.count)
                for f in p.fields { result.add(f) }
                result.envPrefix = p.envPrefix ?? result.envPrefix
                result.caseSensitive = p.caseSensitive ?? result.caseSensitive
                result.ignoreEmpty = p.ignoreEmpty ?? result.ignoreEmpty
                result.parseNoneString = p.parseNoneString ?? result.parseNoneString
            }
            try spend(1 + c.fields.count)
            for f in c.fields { result.add(f) }
            result.envPrefix = c.envPrefix ?? result.envPrefix
            result.caseSensitive = c.caseSensitive ?? result.caseSensitive
            result.ignoreEmpty = c.ignoreEmpty ?? result.ignoreEmpty
            result.parseNoneString = c.parseNoneString ?? result.parseNoneString
            if !cut { mergedClasses[name] = result }
            return (result, cut)
        }

        mutating func spend(_ steps: Int) throws(Problem) {
            work += steps
            guard work <= Limits.inheritedFields else { throw .tooMuchWork }
        }
    }

    static func field(
        _ raw: PyField, className: String, config: PyClass, reader: AnnotationReader,
        modelNames: Set<String>, path: String
    ) -> SettingsField {
        let (type, annotatedCall) = reader.read(raw.annotation)
        let valueCall = PyExpr.call(raw.value).flatMap { $0.callee == "Field" ? $0.args : nil }
        let annotatedArgs = annotatedCall.flatMap { PyExpr.call($0)?.args }
        let hasDefault =
            raw.value.isEmpty
            ? annotatedArgs.map(fieldCallHasDefault) ?? false
            : valueCall.map(fieldCallHasDefault) ?? true
        var aliases: [String]?
        for args in [valueCall, annotatedArgs].compactMap({ $0 }) {
            for keyword in ["validation_alias", "alias", "env"] {
                // An alias whose names cannot be read (`AliasChoices()` or a typo inside it)
                // counts as none: a field always has at least one env name.
                if aliases == nil, let names = args.first(where: { $0.keyword == keyword }).flatMap({ PyExpr.aliasNames($0.value) }),
                    !names.isEmpty
                {
                    aliases = names
                }
            }
        }
        let caseSensitive = config.caseSensitive ?? false
        let envName = (config.envPrefix ?? "") + raw.name
        let names = aliases ?? [caseSensitive ? envName : envName.uppercased()]
        let nested =
            type.kinds.count == 1 && type.kinds[0] == .jsonObject
            && modelNames.contains(raw.annotation.last { $0.kind == .name && $0.text != "None" }?.text ?? "")
        var field = SettingsField(
            name: raw.name, className: className, declaredIn: raw.className, envNames: names,
            caseSensitive: caseSensitive, type: type, hasDefault: hasDefault, isNestedModel: nested,
            file: path, line: raw.line)
        field.ignoresEmpty = config.ignoreEmpty ?? false
        field.noneString = config.parseNoneString
        if hasDefault {
            let fromField = (valueCall ?? (raw.value.isEmpty ? annotatedArgs : nil)).flatMap { args in
                (args.first { $0.keyword == nil } ?? args.first { $0.keyword == "default" }).map(\.value)
            }
            field.defaultValue = stringLiteral(fromField ?? raw.value)
        }
        return field
    }

    /// `"x"` or `SecretStr("x")` / `SecretBytes(b"x")`: the literal; anything else nil.
    static func stringLiteral(_ tokens: [PyToken]) -> String? {
        if tokens.count == 1, tokens[0].kind == .string { return tokens[0].text }
        if let call = PyExpr.call(tokens), ["SecretStr", "SecretBytes"].contains(call.callee), call.args.count == 1,
            call.args[0].keyword == nil
        {
            return stringLiteral(call.args[0].value)
        }
        return nil
    }

    /// `Field(...)` is required; `Field("x")`, `Field(default=...)`, `Field(default_factory=...)` are not.
    static func fieldCallHasDefault(_ args: [PyExpr.Argument]) -> Bool {
        if let first = args.first, first.keyword == nil { return !(first.value.count == 1 && first.value[0].isOp("...")) }
        if let d = args.first(where: { $0.keyword == "default" }) { return !(d.value.count == 1 && d.value[0].isOp("...")) }
        return args.contains { $0.keyword == "default_factory" }
    }
}
