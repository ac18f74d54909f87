import EnvCheckCore

/// Turns a type annotation's tokens into a ``FieldType``: unions (`X | None`,
/// `Optional[X]`, `Union[...]`), `Annotated[X, Field(...)]` (whose `Field` call is handed
/// back), containers read as JSON, pydantic's URL types, and classes of the same file.
struct AnnotationReader {
    /// A parsed annotation: `name[args]`; a `|` union is `Union[...]`.
    struct Node {
        var name: String
        var args: [Node] = []
        /// `Annotated[X, ...]` metadata, raw.
        var metadata: [[PyToken]] = []
        /// `Literal[...]`'s values, when each is a string or an integer.
        var literals: [FieldType.LiteralValue]?
    }

    /// Classes the annotation may name that read as a JSON object (models of the file).
    let modelClasses: Set<String>

    func read(_ tokens: [PyToken]) -> (type: FieldType, fieldCall: [PyToken]?) {
        var i = 0
        let node = parseUnion(tokens, &i)
        let text = PyExpr.text(tokens)
        guard let node else { return (FieldType(kinds: [.any], isOptional: false, text: text), nil) }
        var members: [Node] = []
        var optional = false
        var fieldCall: [PyToken]?
        flatten(node, into: &members, optional: &optional, fieldCall: &fieldCall)
        let kinds = members.map(kind)
        return (FieldType(kinds: kinds.contains(.any) ? [.any] : kinds, isOptional: optional, text: text), fieldCall)
    }

    func flatten(_ node: Node, into members: inout [Node], optional: inout Bool, fieldCall: inout [PyToken]?) {
        switch node.name {
        case "None", "NoneType": optional = true
        case "Optional":
            optional = true
            for arg in node.args { flatten(arg, into: &members, optional: &optional, fieldCall: &fieldCall) }
        case "Union":
            for arg in node.args { flatten(arg, into: &members, optional: &optional, fieldCall: &fieldCall) }
        case "Annotated":
            if let meta = node.metadata.first(where: { PyExpr.call($0)?.callee == "Field" }) { fieldCall = meta }
            if let inner = node.args.first { flatten(inner, into: &members, optional: &optional, fieldCall: &fieldCall) }
        default: members.append(node)
        }
    }

    func kind(_ node: Node) -> FieldType.Kind {
        let name = node.name
        if name == "Literal" { return node.literals.map { .literal($0) } ?? .any }
        switch name {
        case "str", "SecretStr", "constr", "StrictStr", "EmailStr", "NameEmail", "bytes", "SecretBytes": return .string
        case "int", "StrictInt", "PositiveInt", "NegativeInt", "NonNegativeInt", "NonPositiveInt", "conint": return .int
        case "float", "StrictFloat", "PositiveFloat", "NegativeFloat", "NonNegativeFloat", "NonPositiveFloat",
            "confloat", "Decimal", "condecimal":
            return .float
        case "bool", "StrictBool": return .bool
        case "list", "List", "set", "Set", "frozenset", "FrozenSet", "tuple", "Tuple", "Sequence", "conlist", "conset": return .jsonArray
        case "dict", "Dict", "Mapping": return .jsonObject
        case "Json": return .json
        case "HttpUrl", "AnyHttpUrl": return .url(httpOnly: true, needsHost: true)
        default:
            if name.hasSuffix("Dsn") { return .url(httpOnly: false, needsHost: true) }
            if name.hasSuffix("Url") { return .url(httpOnly: false, needsHost: false) }
            return modelClasses.contains(name) ? .jsonObject : .any
        }
    }

    // MARK: parsing

    func parseUnion(_ t: [PyToken], _ i: inout Int) -> Node? {
        guard let first = parsePrimary(t, &i) else { return nil }
        var members = [first]
        while i < t.count, t[i].isOp("|") {
            i += 1
            guard let next = parsePrimary(t, &i) else { return nil }
            members.append(next)
        }
        return members.count == 1 ? first : Node(name: "Union", args: members)
    }

    func parsePrimary(_ t: [PyToken], _ i: inout Int) -> Node? {
        guard i < t.count else { return nil }
        let tok = t[i]
        if tok.kind == .string {
            // A forward reference: "Settings" or "int | None".
            i += 1
            let inner = (try? PythonTokenizer.lines(tok.text, path: ""))?.first?.tokens ?? []
            var j = 0
            return parseUnion(inner, &j) ?? Node(name: tok.text)
        }
        guard tok.kind == .name else {
            // `[int, str]` in Callable, `...`, numbers in Literal: opaque.
            if tok.kind == .op, "([".contains(tok.text), let end = PyExpr.closing(t, from: i) { i = end + 1 } else { i += 1 }
            return Node(name: "?")
        }
        var name = tok.text
        i += 1
        while i + 1 < t.count, t[i].isOp("."), t[i + 1].kind == .name {
            name = t[i + 1].text
            i += 2
        }
        var node = Node(name: name)
        if i < t.count, t[i].isOp("["), let end = PyExpr.closing(t, from: i) {
            let parts = PyExpr.split(t[(i + 1)..<end], by: ",")
            i = end + 1
            if name == "Literal" {
                node.literals = Self.literals(parts.map(Array.init))
                return node
            }
            for (n, part) in parts.enumerated() {
                if name == "Annotated" && n > 0 {
                    node.metadata.append(Array(part))
                    continue
                }
                var j = 0
                node.args.append(parseUnion(Array(part), &j) ?? Node(name: "?"))
            }
        }
        return node
    }

    /// The values of `Literal["a", "b"]` or `Literal[1, -2]`; nil when any is something else
    /// (`True`, `None`, an enum member), which is then not checked.
    static func literals(_ parts: [[PyToken]]) -> [FieldType.LiteralValue]? {
        var values: [FieldType.LiteralValue] = []
        for part in parts {
            switch part.count {
            case 1 where part[0].kind == .string: values.append(.string(part[0].text))
            case 1 where part[0].kind == .number:
                guard let n = Int(part[0].text) else { return nil }
                values.append(.int(n))
            case 2 where part[0].isOp("-") && part[1].kind == .number:
                guard let n = Int(part[1].text) else { return nil }
                values.append(.int(-n))
            case 0: continue  // a trailing comma
            default: return nil
            }
        }
        return values.isEmpty ? nil : values
    }
}
