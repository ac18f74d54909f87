import EnvCheckCore

/// A token of the Python subset settings files use.
struct PyToken: Equatable, Sendable {
    enum Kind: Equatable, Sendable {
        case name
        /// `text` is the decoded value (escapes read as Python does for the common ones).
        case string
        case number
        case op
    }

    let kind: Kind
    let text: String
    let line: Int

    func isOp(_ op: String) -> Bool { kind == .op && text == op }
    func isName(_ name: String) -> Bool { kind == .name && text == name }
}

/// One logical line: tokens up to a newline outside brackets, with its indentation.
struct PyLine: Sendable {
    let indent: Int
    let line: Int
    let tokens: [PyToken]
}

/// Splits Python source into logical lines of tokens, without running it: comments,
/// strings (prefixed, triple-quoted, implicitly concatenated later), brackets spanning
/// lines, backslash continuations. Enough to read class bodies; not a full Python lexer.
/// Line breaks are read as Python reads them (`\r\n` and a bare `\r` too); brackets nest at
/// most ``Limits/sourceNesting`` deep.
struct PythonTokenizer {
    let s: [Unicode.Scalar]
    let path: String
    var i = 0
    var line = 1

    static let twoCharOps: Set<String> = ["==", "!=", "<=", ">=", "->", ":=", "**", "//", "+=", "-=", "*=", "/=", "|=", "&=", "<<", ">>"]

    static func lines(_ text: String, path: String) throws(KeysInputError) -> [PyLine] {
        let scalars: [Unicode.Scalar]
        do { scalars = try TextInput.scalars(text) } catch {
            throw KeysInputError(path: path, line: error.line, message: error.message)
        }
        var t = PythonTokenizer(s: scalars, path: path)
        return try t.logicalLines()
    }

    init(s: [Unicode.Scalar], path: String) {
        self.s = s
        self.path = path
    }

    mutating func logicalLines() throws(KeysInputError) -> [PyLine] {
        var result: [PyLine] = []
        var tokens: [PyToken] = []
        var depth = 0
        var indent = 0
        var column = 0
        var atLineStart = true
        while i < s.count {
            let c = s[i]
            if c == "\n" {
                line += 1
                i += 1
                if depth == 0 {
                    if !tokens.isEmpty { result.append(PyLine(indent: indent, line: tokens[0].line, tokens: tokens)) }
                    tokens = []
                    atLineStart = true
                    column = 0
                }
                continue
            }
            if c == " " || c == "\t" || c == "\u{0C}" {
                if atLineStart { column = c == "\t" ? (column / 8 + 1) * 8 : column + 1 }
                i += 1
                continue
            }
            if c == "#" {
                while i < s.count, s[i] != "\n" { i += 1 }
                continue
            }
            if c == "\\", i + 1 < s.count, s[i + 1] == "\n" {
                i += 2
                line += 1
                continue
            }
            if atLineStart && tokens.isEmpty { indent = column }
            atLineStart = false
            let token = try next()
            if token.kind == .op {
                if "([{".contains(token.text) {
                    depth += 1
                    guard depth <= Limits.sourceNesting else {
                        throw KeysInputError(
                            path: path, line: token.line,
                            message: "brackets are nested more than \(Limits.sourceNesting) deep (the limit for a settings module)")
                    }
                }
                if ")]}".contains(token.text) { depth = max(0, depth - 1) }
            }
            tokens.append(token)
        }
        if !tokens.isEmpty { result.append(PyLine(indent: indent, line: tokens[0].line, tokens: tokens)) }
        return result
    }

    mutating func next() throws(KeysInputError) -> PyToken {
        let c = s[i]
        let start = i
        if PythonTokenizer.isNameStart(c) {
            while i < s.count, PythonTokenizer.isNameStart(s[i]) || (s[i] >= "0" && s[i] <= "9") { i += 1 }
            let word = String(String.UnicodeScalarView(s[start..<i]))
            if i < s.count, s[i] == "\"" || s[i] == "'", word.count <= 2, word.lowercased().allSatisfy({ "rbuf".contains($0) }) {
                return try string(raw: word.lowercased().contains("r"))
            }
            return PyToken(kind: .name, text: word, line: line)
        }
        if c == "\"" || c == "'" { return try string(raw: false) }
        if (c >= "0" && c <= "9") || (c == "." && i + 1 < s.count && s[i + 1] >= "0" && s[i + 1] <= "9") {
            let isHex = c == "0" && i + 1 < s.count && (s[i + 1] == "x" || s[i + 1] == "X")
            while i < s.count {
                let d = s[i]
                let isSign = (d == "+" || d == "-") && (s[i - 1] == "e" || s[i - 1] == "E") && !isHex
                guard PythonTokenizer.isNameStart(d) || (d >= "0" && d <= "9") || d == "." || isSign else { break }
                i += 1
            }
            return PyToken(kind: .number, text: String(String.UnicodeScalarView(s[start..<i])), line: line)
        }
        if c == ".", i + 2 < s.count, s[i + 1] == ".", s[i + 2] == "." {
            i += 3
            return PyToken(kind: .op, text: "...", line: line)
        }
        if i + 1 < s.count {
            let pair = String(String.UnicodeScalarView([c, s[i + 1]]))
            if PythonTokenizer.twoCharOps.contains(pair) {
                i += 2
                return PyToken(kind: .op, text: pair, line: line)
            }
        }
        i += 1
        return PyToken(kind: .op, text: String(c), line: line)
    }

    /// A string literal at `i` (past any prefix): single, double or triple quoted.
    mutating func string(raw: Bool) throws(KeysInputError) -> PyToken {
        let startLine = line
        let quote = s[i]
        let triple = i + 2 < s.count && s[i + 1] == quote && s[i + 2] == quote
        i += triple ? 3 : 1
        var value = String.UnicodeScalarView()
        while i < s.count {
            let c = s[i]
            if c == quote && (!triple || (i + 2 < s.count && s[i + 1] == quote && s[i + 2] == quote)) {
                i += triple ? 3 : 1
                return PyToken(kind: .string, text: String(value), line: startLine)
            }
            if c == "\n" {
                guard triple else { break }
                line += 1
            }
            if c == "\\", i + 1 < s.count {
                let e = s[i + 1]
                i += 2
                if e == "\n" {
                    line += 1
                    if !raw { continue }
                }
                if raw {
                    value.append(c)
                    value.append(e)
                    continue
                }
                switch e {
                case "n": value.append("\n")
                case "t": value.append("\t")
                case "\\", "'", "\"": value.append(e)
                default:
                    value.append(c)
                    value.append(e)
                }
                continue
            }
            value.append(c)
            i += 1
        }
        throw KeysInputError(path: path, line: startLine, message: "unterminated string literal")
    }

    static func isNameStart(_ c: Unicode.Scalar) -> Bool {
        (c >= "A" && c <= "Z") || (c >= "a" && c <= "z") || c == "_" || c.value > 0x7F
    }
}
