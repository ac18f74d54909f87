/// `${VAR}` expansion, shared by env files and manifests.
public enum Interpolation {
    /// A part of a value: `text` is expanded, `literal` (an escaped `\$`, a compose
    /// single-quoted value) is not.
    public enum Piece: Equatable {
        case text(String)
        case literal(String)

        var text: String {
            switch self {
            case .text(let t), .literal(let t): t
            }
        }
    }

    /// Which `$` forms expand: python-dotenv's and manifests' (braces only) or compose's.
    public enum Style {
        /// python-dotenv and manifests: `${VAR}` and `${VAR:-default}` only; `$VAR` is literal.
        case braces
        /// compose-go: also `$VAR`, `$$`, `${VAR-d}`, `${VAR:?err}`, `${VAR?err}`, `${VAR:+alt}`,
        /// `${VAR+alt}`, and nested expressions in the default.
        case compose
    }

    /// Expands `pieces`. An unset variable becomes "" and adds a note; `${VAR:?err}` on an
    /// unset variable throws the error built by `failure`.
    public static func expand<E: Error>(_ pieces: [Piece], style: Style, lookup: (String) -> String?,
                                        notes: inout [String], failure: (String) -> E) throws(E) -> String {
        var out = ""
        for piece in pieces {
            switch piece {
            case .literal(let t): out += t
            case .text(let t): out += try expand(Array(t.unicodeScalars), style: style, lookup: lookup, notes: &notes, failure: failure)
            }
        }
        return out
    }

    /// Expands one string with `${VAR}` / `${VAR:-default}` (the manifest entry point);
    /// also returns the names that were not set.
    public static func expand(_ text: String, lookup: (String) -> String?) -> (value: String, unset: [String]) {
        struct NeverThrown: Error {}
        var notes: [String] = []
        var unset: [String] = []
        let value = (try? expand([.text(text)], style: .braces, lookup: { name in
            let v = lookup(name)
            if v == nil { unset.append(name) }
            return v
        }, notes: &notes, failure: { _ in NeverThrown() })) ?? text
        return (value, unset)
    }

    private static func isNameStart(_ c: Unicode.Scalar) -> Bool {
        (c >= "A" && c <= "Z") || (c >= "a" && c <= "z") || c == "_"
    }

    private static func isName(_ c: Unicode.Scalar) -> Bool { isNameStart(c) || (c >= "0" && c <= "9") }

    private static func expand<E: Error>(_ s: [Unicode.Scalar], style: Style, lookup: (String) -> String?,
                                         notes: inout [String], failure: (String) -> E) throws(E) -> String {
        var out = String.UnicodeScalarView()
        var i = 0
        while i < s.count {
            guard s[i] == "$", i + 1 < s.count else { out.append(s[i]); i += 1; continue }
            let next = s[i + 1]
            if style == .compose, next == "$" { out.append("$"); i += 2; continue }
            if style == .compose, isNameStart(next) {
                var j = i + 1
                while j < s.count, isName(s[j]) { j += 1 }
                let name = String(String.UnicodeScalarView(s[(i + 1)..<j]))
                out.append(contentsOf: resolve(name, lookup: lookup, notes: &notes).unicodeScalars)
                i = j
                continue
            }
            guard next == "{", let close = matchingBrace(s, from: i + 2) else { out.append(s[i]); i += 1; continue }
            let body = Array(s[(i + 2)..<close])
            let value = try braced(body, style: style, lookup: lookup, notes: &notes, failure: failure)
            guard let value else { out.append(s[i]); i += 1; continue }
            out.append(contentsOf: value.unicodeScalars)
            i = close + 1
        }
        return String(out)
    }

    /// The index of the `}` closing a `${` whose body starts at `start`, nesting counted.
    private static func matchingBrace(_ s: [Unicode.Scalar], from start: Int) -> Int? {
        var depth = 0
        var j = start
        while j < s.count {
            if s[j] == "$", j + 1 < s.count, s[j + 1] == "{" { depth += 1; j += 2; continue }
            if s[j] == "}" {
                if depth == 0 { return j }
                depth -= 1
            }
            j += 1
        }
        return nil
    }

    /// The value of a `${...}` body, or nil when it is not an expression (kept literally).
    private static func braced<E: Error>(_ body: [Unicode.Scalar], style: Style, lookup: (String) -> String?,
                                         notes: inout [String], failure: (String) -> E) throws(E) -> String? {
        var n = 0
        while n < body.count, isName(body[n]) { n += 1 }
        let name = String(String.UnicodeScalarView(body[0..<n]))
        guard !name.isEmpty, isNameStart(body[0]) else { return nil }
        let rest = Array(body[n...])
        if rest.isEmpty { return resolve(name, lookup: lookup, notes: &notes) }
        let ops: [String] = style == .compose ? [":-", "-", ":?", "?", ":+", "+"] : [":-"]
        guard let op = ops.first(where: { rest.starts(with: Array($0.unicodeScalars)) }) else { return nil }
        let argument = try expand(Array(rest.dropFirst(op.unicodeScalars.count)), style: style, lookup: lookup,
                                  notes: &notes, failure: failure)
        let value = lookup(name)
        let isSet = value != nil
        let isNonEmpty = !(value ?? "").isEmpty
        switch op {
        case ":-": return isNonEmpty ? value! : argument
        case "-": return isSet ? value! : argument
        case ":+": return isNonEmpty ? argument : ""
        case "+": return isSet ? argument : ""
        default:
            let ok = op == ":?" ? isNonEmpty : isSet
            if ok { return value! }
            throw failure("required variable \(name) is missing a value\(argument.isEmpty ? "" : ": \(argument)")")
        }
    }

    private static func resolve(_ name: String, lookup: (String) -> String?, notes: inout [String]) -> String {
        if let v = lookup(name) { return v }
        notes.append("${\(name)} is not set, so it was interpolated as an empty string")
        return ""
    }
}
