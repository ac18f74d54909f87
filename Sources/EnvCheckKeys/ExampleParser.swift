import EnvCheckCore

/// A key a documented `.env.example` declares.
public struct ExampleEntry: Sendable, Equatable {
    public let key: String
    /// The value as the app would read it (dotenv dialect); nil for a commented-out `# KEY=`.
    public let value: String?
    /// Marked `[VAULT]` (production-managed) in a comment above it or at the end of its line.
    public var isVault: Bool
    /// The comment lines above it and its end-of-line comment, without the `#`.
    public let comment: String
    public let file: String
    public let line: Int
    /// With `--vault-markers block`: the line of the comment header whose marker covers it.
    public var vaultHeader: Int? = nil
    /// Which blank-line-separated group of lines of its file it is in (0, 1, ...).
    public var paragraph: Int = 0

    public var isCommentedOut: Bool { value == nil }
    /// A value was given (not commented out, not empty).
    public var hasValue: Bool { !(value ?? "").trimmingSpaces.isEmpty }
}

/// Reads a `.env.example`: values through core's ``EnvFileParser`` (dotenv dialect, so
/// quoting, escapes and inline comments are read as python-dotenv does), plus what that
/// parser drops on purpose: commented-out `# KEY=value` lines (documented, optional keys)
/// and the comments that mark production-managed keys with `[VAULT]` — on a comment line
/// directly above the key (the comment block since the previous key or blank line) or at
/// the end of its line.
public enum ExampleParser {
    public static let vaultMarker = "[vault]"

    /// How far a `[VAULT]` marker reaches (`--vault-markers`).
    public enum VaultMarkers: String, Sendable, CaseIterable {
        /// The key the marker's comment sits directly above, or on whose line it is.
        case line
        /// Every key below a comment header that holds the marker, until a blank line or
        /// the next comment header (`# [VAULT] rendered by secrets.ctmpl` over a group).
        case block
    }

    public static func parse(_ original: String, path: String, markers: VaultMarkers = .line) throws(KeysInputError) -> [ExampleEntry] {
        // Line breaks as the env-file parser reads them, so both agree on line numbers.
        let text: String
        do { text = try TextInput.normalised(original.utf8) } catch {
            throw KeysInputError(path: path, line: error.line, message: error.message)
        }
        // Each assignment with the line its value ends on (a quoted value may span lines).
        var assignments: [(assignment: EnvAssignment, endLine: Int)] = []
        do {
            var parser = try EnvFileParser(bytes: Array(text.utf8), path: path, dialect: .dotenv)
            var defined: [String: String] = [:]
            while let a = try parser.next(lookup: { defined[$0] }) {
                defined[a.key] = a.value
                assignments.append((a, parser.line))
            }
        } catch {
            throw KeysInputError(path: path, line: error.line, message: error.message)
        }
        let byLine = Dictionary(assignments.map { ($0.assignment.line, $0) }, uniquingKeysWith: { first, _ in first })
        let rawLines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var entries: [ExampleEntry] = []
        var block: [String] = []
        var valueEnd = 0  // last line of a multi-line quoted value
        // Block markers: the header line that marks the keys below it, until a blank line
        // or a new comment header after a key.
        var header: Int?
        var afterKey = false
        var paragraph = 0
        var blankBefore = false
        func marked(_ e: ExampleEntry) -> ExampleEntry {
            var e = e
            e.paragraph = paragraph
            if markers == .block, let header, !e.isVault {
                e.isVault = true
                e.vaultHeader = header
            }
            return e
        }
        for (index, raw) in rawLines.enumerated() {
            let number = index + 1
            if let (a, endLine) = byLine[number] {
                if blankBefore {
                    paragraph += 1
                    blankBefore = false
                }
                // A multi-line quoted value: its end-of-line comment follows the closing quote.
                let last = rawLines[endLine - 1]
                let tail = endLine == number ? last : last[(last.lastIndex { $0 == "\"" || $0 == "'" } ?? last.startIndex)...].dropFirst()
                let trailing = trailingComment(endLine == number ? tail : " " + tail)
                guard entries.count < Limits.keysPerFile else {
                    throw KeysInputError(path: path, line: number, message: "more than \(Limits.keysPerFile) keys in one example (the limit)")
                }
                entries.append(marked(entry(a.key, value: a.value, block: block, trailing: trailing, path: path, line: number)))
                block = []
                afterKey = true
                valueEnd = endLine
                continue
            }
            guard number > valueEnd else { continue }
            let trimmed = raw.trimmingSpaces
            if trimmed.isEmpty {
                block = []
                header = nil
                afterKey = false
                blankBefore = true
                continue
            }
            if blankBefore {
                paragraph += 1
                blankBefore = false
            }
            guard trimmed.hasPrefix("#") else { continue }
            let content = String(trimmed.drop { $0 == "#" }).trimmingSpaces
            if let key = AssignmentName.at(Array(content.unicodeScalars), 0) {
                guard entries.count < Limits.keysPerFile else {
                    throw KeysInputError(path: path, line: number, message: "more than \(Limits.keysPerFile) keys in one example (the limit)")
                }
                entries.append(marked(entry(key, value: nil, block: block, trailing: trailingComment(Substring(content)), path: path, line: number)))
                block = []
                afterKey = true
            } else {
                if afterKey {  // a new comment header ends the marked block
                    header = nil
                    afterKey = false
                }
                block.append(content)
                if content.lowercased().contains(vaultMarker) { header = number }
            }
        }
        return entries
    }

    static func entry(_ key: String, value: String?, block: [String], trailing: String?, path: String, line: Int) -> ExampleEntry {
        let comment = (block + [trailing].compactMap { $0 }).joined(separator: "\n")
        return ExampleEntry(
            key: key, value: value, isVault: comment.lowercased().contains(vaultMarker),
            comment: comment, file: path, line: line)
    }

    /// `r`, `b`, `f`, `rb`... when `value` starts with a Python string prefix and a quote
    /// (`KEY=r"^a+$"`, copied from the settings code), else nil.
    static func rawStringPrefix(_ value: String) -> String? {
        let scalars = Array(value.unicodeScalars.prefix(3))
        var n = 0
        while n < scalars.count, n < 2, "rRbBfFuU".unicodeScalars.contains(scalars[n]) { n += 1 }
        guard n > 0, n < scalars.count, scalars[n] == "\"" || scalars[n] == "'" else { return nil }
        return String(String.UnicodeScalarView(scalars[0..<n]))
    }

    /// The text after a ` #` outside quotes, if any.
    static func trailingComment(_ line: Substring) -> String? {
        var quote: Character?
        var previous: Character = " "
        for (offset, c) in line.enumerated() {
            if let q = quote {
                if c == q && previous != "\\" { quote = nil }
            } else if c == "'" || c == "\"" {
                quote = c
            } else if c == "#", previous == " " || previous == "\t" {
                return String(line.dropFirst(offset + 1)).trimmingSpaces
            }
            previous = c
        }
        return nil
    }
}
