import EnvCheckCore

/// A field as a class body declares it: `name: annotation [= value]`.
struct PyField {
    let name: String
    let className: String
    let line: Int
    let annotation: [PyToken]
    /// The default expression's tokens, empty when there is none.
    let value: [PyToken]
}

/// A top-level class: its bases (last dotted names), fields and settings config.
struct PyClass {
    let name: String
    let line: Int
    let bases: [String]
    private(set) var fields: [PyField] = []
    var envPrefix: String?
    var caseSensitive: Bool?
    /// `env_ignore_empty`: an empty value counts as unset (the default applies).
    var ignoreEmpty: Bool?
    /// `env_parse_none_str`: a value equal to it (exactly) becomes None.
    var parseNoneString: String?
    /// Field names the body declares more than once.
    var redeclared: [(name: String, first: Int, line: Int)] = []
    /// Where each field name sits in `fields`.
    private var positions: [String: Int] = [:]

    init(name: String, line: Int, bases: [String]) {
        self.name = name
        self.line = line
        self.bases = bases
    }

    /// Adds or replaces (a subclass overriding its parent's field keeps one field).
    mutating func add(_ field: PyField) {
        if let i = positions[field.name] {
            fields[i] = field
        } else {
            positions[field.name] = fields.count
            fields.append(field)
        }
    }
}

/// Finds the top-level classes of a tokenized Python file and reads their bodies:
/// annotated fields, `model_config = SettingsConfigDict(...)` (or `ConfigDict(...)`, or a
/// dict literal) and a legacy inner `class Config:`. Methods, decorators, docstrings,
/// `ClassVar`s and private names are ignored. A module declares at most
/// ``Limits/classesPerFile`` classes and ``Limits/keysPerFile`` fields.
enum PyClassReader {
    static func classes(in lines: [PyLine], path: String) throws(KeysInputError) -> [PyClass] {
        var result: [PyClass] = []
        var fields = 0
        var n = 0
        while n < lines.count {
            let header = lines[n]
            n += 1
            guard header.indent == 0, header.tokens.first?.isName("class") == true, header.tokens.count >= 2 else { continue }
            guard result.count < Limits.classesPerFile else {
                throw KeysInputError(path: path, line: header.line, message: "more than \(Limits.classesPerFile) classes in one settings module (the limit)")
            }
            var body: [PyLine] = []
            while n < lines.count, lines[n].indent > 0 {
                body.append(lines[n])
                n += 1
            }
            let c = read(header, body: body)
            guard fields + c.fields.count + c.redeclared.count <= Limits.keysPerFile else {
                let over = c.fields.dropFirst(max(0, Limits.keysPerFile - fields)).first?.line ?? header.line
                throw KeysInputError(path: path, line: over, message: "more than \(Limits.keysPerFile) fields in one settings module (the limit)")
            }
            fields += c.fields.count + c.redeclared.count
            result.append(c)
        }
        return result
    }

    static func bases(_ t: [PyToken]) -> [String] {
        guard t.count > 2, t[2].isOp("("), let end = PyExpr.closing(t, from: 2) else { return [] }
        return PyExpr.split(t[3..<end], by: ",").compactMap { part -> String? in
            guard part.count < 2 || !part[part.startIndex + 1].isOp("=") else { return nil }  // metaclass=...
            var name: String?
            for tok in part {
                if tok.kind == .name { name = tok.text } else if !tok.isOp(".") { break }
            }
            return name
        }
    }

    static func read(_ header: PyLine, body: [PyLine]) -> PyClass {
        var c = PyClass(name: header.tokens[1].text, line: header.line, bases: bases(header.tokens))
        guard let bodyIndent = body.first?.indent else { return c }
        var firstLine: [String: Int] = [:]
        var k = 0
        while k < body.count {
            let line = body[k]
            k += 1
            guard line.indent == bodyIndent, let first = line.tokens.first else { continue }
            if first.isName("class"), line.tokens.count > 1, line.tokens[1].isName("Config") {
                var inner: [PyLine] = []
                while k < body.count, body[k].indent > bodyIndent {
                    inner.append(body[k])
                    k += 1
                }
                for l in inner { applyConfig(name: l.tokens.first?.text, value: valueTokens(l.tokens), to: &c) }
                continue
            }
            guard first.kind == .name, line.tokens.count > 1 else { continue }
            let t = line.tokens
            if first.text == "model_config" {
                readModelConfig(valueTokens(t), into: &c)
            } else if t[1].isOp(":"), !first.text.hasPrefix("_"), !["def", "class", "async"].contains(first.text) {
                let eq = PyExpr.assignment(t)
                let annotation = Array(t[2..<(eq ?? t.count)])
                if annotation.first?.isName("ClassVar") == true || annotation.contains(where: { $0.isName("ClassVar") }) { continue }
                let field = PyField(
                    name: first.text, className: c.name, line: line.line, annotation: annotation,
                    value: eq.map { Array(t[($0 + 1)...]) } ?? [])
                if let previous = firstLine[field.name] {
                    c.redeclared.append((field.name, previous, field.line))
                } else {
                    firstLine[field.name] = field.line
                }
                c.add(field)
            }
        }
        return c
    }

    /// The tokens after the first top-level `=`.
    static func valueTokens(_ t: [PyToken]) -> [PyToken] {
        guard let eq = PyExpr.assignment(t) else { return [] }
        return Array(t[(eq + 1)...])
    }

    static func readModelConfig(_ value: [PyToken], into c: inout PyClass) {
        if let (_, args) = PyExpr.call(value) {
            for arg in args { applyConfig(name: arg.keyword, value: arg.value, to: &c) }
        } else if value.first?.isOp("{") == true, PyExpr.closing(value, from: 0) == value.count - 1 {
            for entry in PyExpr.split(value[1..<(value.count - 1)], by: ",") {
                let parts = PyExpr.split(entry, by: ":")
                guard parts.count == 2 else { continue }
                applyConfig(name: PyExpr.string(Array(parts[0])), value: Array(parts[1]), to: &c)
            }
        }
    }

    static func applyConfig(name: String?, value: [PyToken], to c: inout PyClass) {
        switch name {
        case "env_prefix": if let s = PyExpr.string(value) { c.envPrefix = s }
        case "case_sensitive": if let b = PyExpr.bool(value) { c.caseSensitive = b }
        case "env_ignore_empty": if let b = PyExpr.bool(value) { c.ignoreEmpty = b }
        case "env_parse_none_str": if let s = PyExpr.string(value) { c.parseNoneString = s }
        default: break
        }
    }
}
