import EnvCheckCore

/// A key a consul-template file renders (`KEY={{ ... }}`), with where it sits in the
/// template's `if`/`with`/`range` blocks.
public struct TemplateKey: Sendable, Equatable {
    /// One enclosing block and the arm (`0`, then one more per `else`) the key is in.
    public struct Arm: Sendable, Equatable {
        public let block: Int
        public let arm: Int
    }

    public let key: String
    public let file: String
    public let line: Int
    public let arms: [Arm]
    /// The key rendered earlier on the same output line (`A={{ .a }} B={{ .b }}`): the
    /// line is two assignments, which python-dotenv cannot parse.
    public var sameLineAs: String? = nil

    /// Whether the two keys can never both be rendered: they sit in different arms of the
    /// same block (`{{ with secret ... }}A=..{{ else }}A=..{{ end }}`).
    public func isExclusive(with other: TemplateKey) -> Bool {
        guard file == other.file else { return false }
        // Both lists run outermost first and blocks are numbered as they open, so each is
        // sorted by block: one merge walk finds the blocks they share.
        var a = 0
        var b = 0
        while a < arms.count, b < other.arms.count {
            let x = arms[a]
            let y = other.arms[b]
            if x.block == y.block {
                if x.arm != y.arm { return true }
                a += 1
                b += 1
            } else if x.block < y.block {
                a += 1
            } else {
                b += 1
            }
        }
        return false
    }
}

/// Reads the keys a Go text/template (consul-template) file renders, without evaluating it.
///
/// The file is split into literal text and `{{ actions }}`; `{{- ` and ` -}}` trim the
/// whitespace (newlines too) on their side, as Go does; `{{/* comments */}}` and strings
/// inside actions (which may contain `}}`) are skipped. A key is `NAME=` (or
/// `export NAME=`) where the rendered line so far holds only whitespace and actions, so
/// keys inside nested `with`/`if`/`range`/`else` blocks and lines outside any block are
/// found alike, and `# comment` lines are not keys. Blocks nest at most
/// ``Limits/sourceNesting`` deep and a file renders at most ``Limits/keysPerFile`` keys.
public enum TemplateParser {
    enum Piece {
        case text([Unicode.Scalar], line: Int)
        case action(String, line: Int)
    }

    public static func parse(_ text: String, path: String) throws(KeysInputError) -> [TemplateKey] {
        let scalars: [Unicode.Scalar]
        do { scalars = try TextInput.scalars(text) } catch {
            throw KeysInputError(path: path, line: error.line, message: error.message)
        }
        var scanner = TemplateScanner(scalars, path: path)
        let pieces = try scanner.pieces()
        return try keys(in: pieces, path: path)
    }

    /// An open block: its current arm, and whether a line had just started when it opened
    /// and at the end of each arm (only one arm renders, so each starts afresh).
    struct Block {
        var arm: TemplateKey.Arm
        let word: String
        let line: Int
        let openedAtLineStart: Bool
        var armEnds: [Bool] = []
    }

    static func keys(in pieces: [Piece], path: String) throws(KeysInputError) -> [TemplateKey] {
        var result: [TemplateKey] = []
        var stack: [Block] = []
        var nextBlock = 0
        var atLineStart = true
        var lineKey: String?  // the key the current output line assigns
        var awaitingEquals = false
        for piece in pieces {
            switch piece {
            case .action(let body, let line):
                let word = body.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "(" }).first.map(String.init) ?? ""
                switch word {
                case "if", "with", "range", "block", "define":
                    if body.trimmingSpaces == word {
                        throw KeysInputError(path: path, line: line, message: "{{ \(word) }} needs a value (Go's text/template: missing value for \(word))")
                    }
                    guard stack.count < Limits.sourceNesting else {
                        throw KeysInputError(
                            path: path, line: line, message: "blocks are nested more than \(Limits.sourceNesting) deep (the limit for a template)")
                    }
                    stack.append(Block(arm: TemplateKey.Arm(block: nextBlock, arm: 0), word: word, line: line, openedAtLineStart: atLineStart))
                    nextBlock += 1
                case "else":
                    guard var top = stack.popLast() else {
                        throw KeysInputError(path: path, line: line, message: "{{ else }} outside any block (Go's text/template: unexpected {{else}})")
                    }
                    top.armEnds.append(atLineStart)
                    top.arm = TemplateKey.Arm(block: top.arm.block, arm: top.arm.arm + 1)
                    atLineStart = top.openedAtLineStart
                    stack.append(top)
                case "end":
                    guard let top = stack.popLast() else {
                        throw KeysInputError(path: path, line: line, message: "{{ end }} without an open block (Go's text/template: unexpected {{end}})")
                    }
                    // Without an else, the block may render nothing at all.
                    let ends = top.armEnds + [atLineStart] + (top.arm.arm == 0 ? [top.openedAtLineStart] : [])
                    atLineStart = ends.contains(true)
                default: break
                }
            case .text(let scalars, let startLine):
                var line = startLine
                for (i, c) in scalars.enumerated() {
                    if c == "\n" {
                        atLineStart = true
                        lineKey = nil
                        awaitingEquals = false
                        line += 1
                        continue
                    }
                    if awaitingEquals {  // still in the name of the key just found
                        if c == "=" { awaitingEquals = false }
                        continue
                    }
                    if c == " " || c == "\t" || c == "\r" { continue }
                    // A key at the start of a line, or a second one after a space on a line
                    // that already assigns one (`A={{ .a }} B={{ .b }}`). Right after an
                    // action with no space, `A={{ .a }}B=1` is one assignment of "…B=1".
                    let second = !atLineStart && lineKey != nil && i > 0 && (scalars[i - 1] == " " || scalars[i - 1] == "\t")
                    if atLineStart || second, let key = AssignmentName.at(scalars, i) {
                        guard result.count < Limits.keysPerFile else {
                            throw KeysInputError(path: path, line: line, message: "more than \(Limits.keysPerFile) keys in one template (the limit)")
                        }
                        var found = TemplateKey(key: key, file: path, line: line, arms: stack.map(\.arm))
                        found.sameLineAs = second ? lineKey : nil
                        result.append(found)
                        lineKey = key
                        awaitingEquals = true
                    }
                    atLineStart = false
                }
            }
        }
        if let open = stack.last {
            throw KeysInputError(path: path, line: open.line, message: "{{ \(open.word) }} is never closed by {{ end }} (Go's text/template: unexpected EOF)")
        }
        return result
    }
}
