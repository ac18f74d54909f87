/// Values in the dotenv and compose dialects: quoting, escapes, inline comments, interpolation.
extension EnvFileParser {
    mutating func shellValue(
        key: String, keyLine: Int, lookup: (String) -> String?,
        notes: inout [String]
    ) throws(EnvFileError) -> String {
        skipInlineSpace()
        var pieces: [Interpolation.Piece]
        if i < s.count, s[i] == "'" || s[i] == "\"" {
            let quote = s[i]
            let openLine = line
            pieces = try quoted(quote, key: key, openLine: openLine, notes: &notes)
            skipInlineSpace()
            if i < s.count, s[i] == "#" { skipComment() }
            guard atLineEnd else {
                if let second = AssignmentName.at(s, i) {
                    // python-dotenv cannot parse such a line and drops both keys, with a log line.
                    throw fail(
                        line,
                        "two assignments on one line: '\(key)' and '\(second)' (a template most likely rendered them without a "
                            + "newline between: end each assignment with a newline in the template)")
                }
                throw fail(line, "unexpected text after the closing quote of '\(key)' (quote the whole value, or put a space before a '#' comment)")
            }
            // Single quotes are literal in compose; python-dotenv interpolates them anyway.
            if quote == "'", dialect == .compose { pieces = pieces.map { .literal($0.text) } }
        } else {
            pieces = [.text(unquoted())]
        }
        let style: Interpolation.Style = dialect == .compose ? .compose : .braces
        return try Interpolation.expand(pieces, style: style, lookup: lookup, notes: &notes) { message in
            fail(keyLine, "\(key): \(message)")
        }
    }

    /// An unquoted value: to the end of the line, without an inline ` # comment`, trimmed.
    mutating func unquoted() -> String {
        var value = String.UnicodeScalarView()
        while i < s.count, s[i] != "\n" {
            if s[i] == "#", let last = value.last, last == " " || last == "\t" {
                skipComment()
                break
            }
            value.append(s[i])
            i += 1
        }
        return String(value).trimmingSpaces
    }

    /// A quoted value, which may span lines; a backslash escapes the next character.
    mutating func quoted(
        _ quote: Unicode.Scalar, key: String, openLine: Int,
        notes: inout [String]
    ) throws(EnvFileError) -> [Interpolation.Piece] {
        i += 1
        var pieces: [Interpolation.Piece] = []
        var run = String.UnicodeScalarView()
        let literalSingle = quote == "'" && dialect == .compose
        while i < s.count {
            let c = s[i]
            i += 1
            if c == quote {
                pieces.append(.text(String(run)))
                return pieces
            }
            if c == "\n" { line += 1 }
            guard c == "\\", !literalSingle, i < s.count else {
                run.append(c)
                continue
            }
            let e = s[i]
            i += 1
            if e == "\n" { line += 1 }
            if quote == "'" {
                // python-dotenv decodes only \' and \\ in single quotes.
                if e != "'" && e != "\\" { run.append("\\") }
                run.append(e)
            } else if let decoded = Self.doubleQuoteEscape(e, dialect: dialect) {
                if dialect == .compose, e == "$" {
                    pieces.append(.text(String(run)))
                    pieces.append(.literal("$"))
                    run = String.UnicodeScalarView()
                } else {
                    run.append(decoded)
                }
            } else {
                run.append("\\")
                run.append(e)
                if e == "x" || e == "u" || e == "U" {
                    notes.append("the escape \\\(e)... is kept literally by the \(dialect.rawValue) dialect (no consumer decodes it)")
                }
            }
        }
        let kind = quote == "'" ? "single" : "double"
        throw fail(openLine, "unterminated \(kind)-quoted value for '\(key)' (the quote opened here is never closed)")
    }

    /// The character a backslash escape stands for inside double quotes, or nil to keep it.
    static func doubleQuoteEscape(_ e: Unicode.Scalar, dialect: EnvDialect) -> Unicode.Scalar? {
        switch e {
        case "\\", "\"", "'": e
        case "n": "\n"
        case "t": "\t"
        case "r": "\r"
        case "a": "\u{07}"
        case "b": "\u{08}"
        case "f": "\u{0C}"
        case "v": "\u{0B}"
        case "$" where dialect == .compose: "$"
        default: nil
        }
    }
}
