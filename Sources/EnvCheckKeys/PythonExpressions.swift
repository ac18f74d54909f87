import EnvCheckCore

/// Reading the few Python expressions settings classes use, from tokens: calls with
/// keyword arguments, string literals, type annotations.
enum PyExpr {
    /// One argument of a call: `keyword=value` or a positional `value`.
    struct Argument {
        let keyword: String?
        let value: [PyToken]
    }

    /// The index of the bracket closing the one at `open`.
    static func closing(_ t: [PyToken], from open: Int) -> Int? {
        var depth = 0
        for j in open..<t.count where t[j].kind == .op {
            if "([{".contains(t[j].text) { depth += 1 }
            if ")]}".contains(t[j].text) {
                depth -= 1
                if depth == 0 { return j }
            }
        }
        return nil
    }

    /// `t` split at `separator` outside brackets.
    static func split(_ t: ArraySlice<PyToken>, by separator: String) -> [ArraySlice<PyToken>] {
        var parts: [ArraySlice<PyToken>] = []
        var depth = 0
        var start = t.startIndex
        for j in t.indices where t[j].kind == .op {
            if "([{".contains(t[j].text) { depth += 1 }
            if ")]}".contains(t[j].text) { depth -= 1 }
            if depth == 0, t[j].text == separator {
                parts.append(t[start..<j])
                start = j + 1
            }
        }
        parts.append(t[start..<t.endIndex])
        return parts.filter { !$0.isEmpty }
    }

    /// The index of the first `=` outside brackets.
    static func assignment(_ t: [PyToken]) -> Int? {
        var depth = 0
        for (j, tok) in t.enumerated() where tok.kind == .op {
            if "([{".contains(tok.text) { depth += 1 }
            if ")]}".contains(tok.text) { depth -= 1 }
            if depth == 0, tok.text == "=" { return j }
        }
        return nil
    }

    /// `a.b.Name(args)` when the tokens are exactly one call: the callee's last name and
    /// the arguments.
    static func call<C: Collection<PyToken>>(_ c: C) -> (callee: String, args: [Argument])? where C.Index == Int {
        let t = Array(c)
        var j = 0
        var callee = ""
        while j < t.count, t[j].kind == .name {
            callee = t[j].text
            j += 1
            guard j < t.count, t[j].isOp(".") else { break }
            j += 1
        }
        guard !callee.isEmpty, j < t.count, t[j].isOp("("), closing(t, from: j) == t.count - 1 else { return nil }
        let args = split(t[(j + 1)..<(t.count - 1)], by: ",").map { arg -> Argument in
            if arg.count >= 2, arg[arg.startIndex].kind == .name, arg[arg.startIndex + 1].isOp("=") {
                return Argument(keyword: arg[arg.startIndex].text, value: Array(arg.dropFirst(2)))
            }
            return Argument(keyword: nil, value: Array(arg))
        }
        return (callee, args)
    }

    /// The value of a string literal (adjacent literals concatenated), or nil.
    static func string(_ t: [PyToken]) -> String? {
        guard !t.isEmpty, t.allSatisfy({ $0.kind == .string }) else { return nil }
        return t.map(\.text).joined()
    }

    /// `True` / `False`.
    static func bool(_ t: [PyToken]) -> Bool? {
        guard t.count == 1, t[0].kind == .name else { return nil }
        return t[0].text == "True" ? true : t[0].text == "False" ? false : nil
    }

    /// The env names an alias expression gives: `"X"`, `AliasChoices("A", "B")`,
    /// `AliasPath("A", 0)` (env var `A`), or a list/tuple of names (pydantic v1 `env=`).
    static func aliasNames(_ t: [PyToken]) -> [String]? {
        if let s = string(t) { return [s] }
        if let (callee, args) = call(t) {
            switch callee {
            case "AliasChoices": return args.flatMap { aliasNames($0.value) ?? [] }
            case "AliasPath": return args.first.flatMap { string($0.value) }.map { [$0] }
            default: return nil
            }
        }
        if let first = t.first, first.isOp("[") || first.isOp("("), closing(t, from: 0) == t.count - 1 {
            return split(t[1..<(t.count - 1)], by: ",").compactMap { string(Array($0)) }
        }
        return nil
    }

    /// The text of the tokens, for messages.
    static func text<C: Collection<PyToken>>(_ t: C) -> String {
        var out = ""
        for tok in t {
            if tok.isOp("|") {
                out += " | "
                continue
            }
            out += tok.kind == .string ? "\"\(tok.text)\"" : tok.text
            if tok.isOp(",") { out += " " }
        }
        return out
    }
}
