import EnvCheckCore

/// Splits a template into literal text and actions, applying the trim markers.
struct TemplateScanner {
    let s: [Unicode.Scalar]
    let path: String
    var i = 0
    var line = 1

    init(_ s: [Unicode.Scalar], path: String) {
        self.s = s
        self.path = path
    }

    mutating func pieces() throws(KeysInputError) -> [TemplateParser.Piece] {
        var pieces: [TemplateParser.Piece] = []
        var text: [Unicode.Scalar] = []
        var textLine = 1
        var trimNext = false
        while i < s.count {
            guard starts("{{") else {
                if s[i] == "\n" { line += 1 }
                text.append(s[i])
                i += 1
                continue
            }
            let actionLine = line
            i += 2
            let trimLeft = starts("- ") || starts("-\t") || starts("-\n")
            if trimLeft { i += 1 }
            if trimLeft { while let last = text.last, Self.isSpace(last) { text.removeLast() } }
            if trimNext { textLine = Self.trimLeading(&text, line: textLine) }
            pieces.append(.text(text, line: textLine))
            let (body, trimRight) = try action(openedAt: actionLine)
            pieces.append(.action(body, line: actionLine))
            text = []
            textLine = line
            trimNext = trimRight
        }
        if trimNext { textLine = Self.trimLeading(&text, line: textLine) }
        pieces.append(.text(text, line: textLine))
        return pieces
    }

    /// The action's body (trimmed) up to `}}`, and whether it ended with ` -}}`.
    mutating func action(openedAt actionLine: Int) throws(KeysInputError) -> (String, Bool) {
        var body = String.UnicodeScalarView()
        skipSpace()
        if starts("/*") {
            // A comment: `{{/* ... */}}`, possibly with trim markers.
            while i < s.count, !starts("*/") { advance() }
            guard i < s.count else { throw unterminated(actionLine, "comment", go: "unclosed comment") }
            i += 2
            skipSpace()
            let trimRight = starts("-}}")
            if trimRight { i += 1 }
            guard starts("}}") else { throw KeysInputError(path: path, line: line, message: "a comment must end with */}}") }
            i += 2
            return ("", trimRight)
        }
        while i < s.count {
            if s[i] == "\"" || s[i] == "`" || s[i] == "'" {
                body.append(contentsOf: try quoted(openedAt: actionLine))
                continue
            }
            if starts(" -}}") || starts("\t-}}") || starts("\n-}}") {
                advance()
                i += 3
                return (String(body).trimmingSpaces, true)
            }
            if starts("}}") {
                i += 2
                return (String(body).trimmingSpaces, false)
            }
            body.append(s[i])
            advance()
        }
        throw unterminated(actionLine, "action", go: "unclosed action")
    }

    /// A Go string, raw string or rune literal inside an action.
    mutating func quoted(openedAt actionLine: Int) throws(KeysInputError) -> [Unicode.Scalar] {
        let quote = s[i]
        var out: [Unicode.Scalar] = [quote]
        advance()
        while i < s.count {
            let c = s[i]
            out.append(c)
            advance()
            if c == quote { return out }
            if c == "\\", quote != "`", i < s.count {
                out.append(s[i])
                advance()
            }
        }
        throw unterminated(actionLine, "string in an action", go: "unterminated quoted string")
    }

    func starts(_ prefix: String) -> Bool {
        var j = i
        for c in prefix.unicodeScalars {
            guard j < s.count, s[j] == c else { return false }
            j += 1
        }
        return true
    }

    mutating func advance() {
        if s[i] == "\n" { line += 1 }
        i += 1
    }

    mutating func skipSpace() { while i < s.count, Self.isSpace(s[i]) { advance() } }

    /// `go`: how Go's text/template (consul-template, vault-agent) words the same error.
    func unterminated(_ line: Int, _ what: String, go: String) -> KeysInputError {
        KeysInputError(path: path, line: line, message: "unterminated template \(what) (no closing }}; Go's text/template: \(go))")
    }

    static func isSpace(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" || c == "\n" || c == "\r" }

    /// Drops leading whitespace (a ` -}}` before it); returns the line the text now starts on.
    static func trimLeading(_ text: inout [Unicode.Scalar], line: Int) -> Int {
        let n = text.prefix { isSpace($0) }.count
        let newlines = text.prefix(n).count { $0 == "\n" }
        text.removeFirst(n)
        return line + newlines
    }
}
