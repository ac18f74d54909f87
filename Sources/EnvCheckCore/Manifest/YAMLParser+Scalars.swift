/// Reading within one line: keys, scalars, `[a, b]` lists, trailing comments.
extension YAMLParser {
    struct KeyScan {
        let text: String
        /// Where the key starts and where its value may start (just after the colon).
        let start: Int
        let valueStart: Int
    }

    static func isSpace(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" }

    /// The key of a `key: value` line, or nil when the line is not one.
    func scanKey(_ line: Line) throws(ManifestError) -> KeyScan? {
        let c = line.chars
        let p = line.start
        func colon(at q: Int) -> Bool { q < c.count && c[q] == ":" && (q + 1 == c.count || Self.isSpace(c[q + 1])) }
        if c[p] == "\"" || c[p] == "'" {
            let (text, end) = try quoted(line, at: p)
            var q = end
            while q < c.count, Self.isSpace(c[q]) { q += 1 }
            return colon(at: q) ? KeyScan(text: text, start: p, valueStart: q + 1) : nil
        }
        if c[p] == "[" || c[p] == "{" { return nil }
        var j = p
        while j < c.count {
            if colon(at: j) {
                let text = String(String.UnicodeScalarView(c[p..<j])).trimmingSpaces
                guard !text.isEmpty else { throw error(line, p, "a key is missing before ':'") }
                try checkPlainStart(line, p)
                return KeyScan(text: text, start: p, valueStart: j + 1)
            }
            if c[j] == "#", j > p, Self.isSpace(c[j - 1]) { return nil }
            j += 1
        }
        return nil
    }

    /// The scalar or `[...]` list at `from` (after spaces), which must end the line.
    func scanValue(_ line: Line, from start: Int) throws(ManifestError) -> YAMLNode {
        let c = line.chars
        var p = start
        while p < c.count, Self.isSpace(c[p]) { p += 1 }
        let node: YAMLNode
        var end: Int
        switch c[p] {
        case "\"", "'":
            let (text, e) = try quoted(line, at: p)
            node = YAMLNode(.scalar(text, c[p] == "'" ? .singleQuoted : .doubleQuoted), line: line.number, column: p + 1)
            end = e
        case "[":
            guard depth < Limits.yamlNesting else {
                throw error(line, p, "lists and mappings are nested more than \(Limits.yamlNesting) deep (the limit for a manifest)")
            }
            let (items, e) = try flowSequence(line, at: p)
            node = YAMLNode(.sequence(items), line: line.number, column: p + 1)
            end = e
        default:
            if c[p] == "-", p + 1 == c.count || Self.isSpace(c[p + 1]) {
                throw error(line, p, "a list cannot start on the same line as its key; put each '- item' on a line of its own")
            }
            try checkPlainStart(line, p)
            end = p
            while end < c.count, !(c[end] == "#" && Self.isSpace(c[end - 1])) { end += 1 }
            let text = String(String.UnicodeScalarView(c[p..<end])).trimmingSpaces
            if text.contains(": ") || text.contains(":\t") {
                throw error(line, p, "an unquoted value cannot contain ': '; put the value in quotes")
            }
            node = YAMLNode(
                text == "~" || text == "null" || text == "Null" || text == "NULL" ? .null : .scalar(text, .plain),
                line: line.number, column: p + 1)
        }
        while end < c.count, Self.isSpace(c[end]) { end += 1 }
        if end < c.count, !(c[end] == "#" && Self.isSpace(c[end - 1])) {
            throw error(line, end, "unexpected text after the value")
        }
        return node
    }

    /// Rejects what a plain scalar may not start with in this subset, with the reason.
    func checkPlainStart(_ line: Line, _ p: Int) throws(ManifestError) {
        let c = line.chars
        let message: String? =
            switch c[p] {
            case "&": "anchors ('&') are not supported; repeat the value"
            case "*": "aliases ('*') are not supported; repeat the value"
            case "!": "tags ('!') are not supported"
            case "|", ">": "block scalars ('|' and '>') are not supported; write the value on one line, quoted if needed"
            case "{", "}": "flow mappings ('{...}') are not supported; use an indented block"
            case "]": "unexpected ']'"
            case "@", "`": "'\(c[p])' cannot start an unquoted value; put the value in quotes"
            case "%": "'%' cannot start an unquoted value; put the value in quotes"
            case "?" where p + 1 == c.count || Self.isSpace(c[p + 1]): "complex keys ('? ') are not supported"
            default: nil
            }
        if let message { throw error(line, p, message) }
    }

    /// A quoted scalar starting at `p`: its text and the index after the closing quote.
    func quoted(_ line: Line, at p: Int) throws(ManifestError) -> (String, Int) {
        let c = line.chars
        let quote = c[p]
        var out = String.UnicodeScalarView()
        var i = p + 1
        while i < c.count {
            let ch = c[i]
            if quote == "'" {
                guard ch == "'" else {
                    out.append(ch)
                    i += 1
                    continue
                }
                if i + 1 < c.count, c[i + 1] == "'" {
                    out.append("'")
                    i += 2
                    continue
                }
                return (String(out), i + 1)
            }
            if ch == "\"" { return (String(out), i + 1) }
            if ch == "\\" {
                let (scalar, length) = try escape(line, at: i)
                out.append(scalar)
                i += length
                continue
            }
            out.append(ch)
            i += 1
        }
        throw error(line, p, "unterminated quoted value (a quoted value must end on the same line)")
    }

    /// A double-quoted escape at `i` (the backslash): the scalar and the escape's length.
    private func escape(_ line: Line, at i: Int) throws(ManifestError) -> (Unicode.Scalar, Int) {
        let c = line.chars
        guard i + 1 < c.count else { throw error(line, i, "unterminated quoted value (a quoted value must end on the same line)") }
        let simple: [Unicode.Scalar: Unicode.Scalar] = [
            "0": "\0", "a": "\u{07}", "b": "\u{08}", "t": "\t", "\t": "\t", "n": "\n", "v": "\u{0B}", "f": "\u{0C}",
            "r": "\r", "e": "\u{1B}", " ": " ", "\"": "\"", "/": "/", "\\": "\\", "N": "\u{85}", "_": "\u{A0}",
            "L": "\u{2028}", "P": "\u{2029}",
        ]
        if let s = simple[c[i + 1]] { return (s, 2) }
        let digits = ["x": 2, "u": 4, "U": 8][String(c[i + 1])]
        if let digits, i + 2 + digits <= c.count,
            let code = UInt32(String(String.UnicodeScalarView(c[(i + 2)..<(i + 2 + digits)])), radix: 16),
            let scalar = Unicode.Scalar(code)
        {
            return (scalar, 2 + digits)
        }
        throw error(line, i, "invalid escape '\\\(c[i + 1])' in a double-quoted value")
    }

    /// A `[a, "b", c]` list on one line: its items and the index after `]`.
    func flowSequence(_ line: Line, at p: Int) throws(ManifestError) -> ([YAMLNode], Int) {
        let c = line.chars
        var items: [YAMLNode] = []
        var i = p + 1
        func skipSpaces() { while i < c.count, Self.isSpace(c[i]) { i += 1 } }
        let unterminated = error(line, p, "unterminated '[' (a [...] list must close on the same line)")
        while true {
            skipSpaces()
            guard i < c.count else { throw unterminated }
            if c[i] == "]" { return (items, i + 1) }
            items.append(try flowItem(line, at: &i))
            skipSpaces()
            guard i < c.count else { throw unterminated }
            if c[i] == "]" { return (items, i + 1) }
            guard c[i] == "," else { throw error(line, i, "expected ',' or ']' in a [...] list") }
            i += 1
        }
    }

    private func flowItem(_ line: Line, at i: inout Int) throws(ManifestError) -> YAMLNode {
        let c = line.chars
        let start = i
        switch c[i] {
        case "\"", "'":
            let (text, end) = try quoted(line, at: i)
            i = end
            return YAMLNode(.scalar(text, c[start] == "'" ? .singleQuoted : .doubleQuoted), line: line.number, column: start + 1)
        case "[": throw error(line, i, "lists inside a [...] list are not supported")
        case ",": throw error(line, i, "empty item in a [...] list")
        default: try checkPlainStart(line, i)
        }
        while i < c.count, c[i] != ",", c[i] != "]" {
            if c[i] == "[" || c[i] == "{" || c[i] == "}" {
                throw error(line, i, "'\(c[i])' inside an unquoted [...] item; put the item in quotes")
            }
            if c[i] == "#", Self.isSpace(c[i - 1]) { throw error(line, i, "unterminated '[' (a [...] list must close on the same line)") }
            i += 1
        }
        let text = String(String.UnicodeScalarView(c[start..<i])).trimmingSpaces
        if text.contains(": ") || text.hasSuffix(":") {
            throw error(line, start, "':' inside an unquoted [...] item; put the item in quotes")
        }
        return YAMLNode(.scalar(text, .plain), line: line.number, column: start + 1)
    }
}
