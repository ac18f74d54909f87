/// Reads `KEY=value` lines in one of three dialects (see ``EnvDialect``), one assignment at
/// a time, so interpolation sees every value assigned before it.
///
/// Line handling shared by all dialects: a UTF-8 BOM is dropped, CRLF and a bare CR are
/// each one line break (as python-dotenv and systemd read them), a missing final newline is
/// fine, blank lines and whole-line `#` comments are skipped, and quoted values may span
/// lines. Anything it cannot read is an ``EnvFileError`` naming `file:line`; no line is
/// silently dropped. The ``Limits`` (file size, line length, keys per file, nesting and
/// size of interpolation) are errors of the same kind.
public struct EnvFileParser {
    public let path: String
    public let dialect: EnvDialect
    var s: [Unicode.Scalar]
    var i = 0
    /// The line the parser has reached: after ``next(lookup:)``, where the assignment it
    /// returned ends (a quoted value may span lines).
    public internal(set) var line = 1
    /// Assignments read so far, against ``Limits/keysPerFile``.
    var assignments = 0
    /// Bytes of values read so far, against ``Limits/fileValueBytes``.
    var valueBytes = 0

    public init(bytes: [UInt8], path: String, dialect: EnvDialect) throws(EnvFileError) {
        self.path = path
        self.dialect = dialect
        do {
            s = try TextInput.scalars(bytes)
        } catch {
            throw EnvFileError(path: path, line: error.line, message: error.message)
        }
    }

    /// Parses a whole file with a fixed lookup (tests and one-off uses).
    public static func parseAll(
        _ text: String, path: String = "test.env", dialect: EnvDialect,
        lookup: (String) -> String? = { _ in nil }
    ) throws(EnvFileError) -> [EnvAssignment] {
        var parser = try EnvFileParser(bytes: Array(text.utf8), path: path, dialect: dialect)
        var defined: [String: String] = [:]
        var result: [EnvAssignment] = []
        while let a = try parser.next(lookup: { defined[$0] ?? lookup($0) }) {
            defined[a.key] = a.value
            result.append(a)
        }
        return result
    }

    /// The next assignment, or nil at the end of the file. `lookup` answers interpolation.
    public mutating func next(lookup: (String) -> String?) throws(EnvFileError) -> EnvAssignment? {
        while true {
            skip { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
            guard i < s.count else { return nil }
            if s[i] == "#" || (dialect == .systemd && s[i] == ";") {
                skipComment()
                continue
            }
            let keyLine = line
            var key = readKey()
            if key == "export", i < s.count, s[i] == " " || s[i] == "\t" {
                guard dialect != .systemd else {
                    throw fail(
                        keyLine, "'export' is not valid in a systemd EnvironmentFile (systemd ignores the whole line); remove it or use --env-dialect dotenv")
                }
                skipInlineSpace()
                key = readKey()
            }
            try validate(key: key, line: keyLine)
            skipInlineSpace()
            // A bare name (no '='): python-dotenv and compose would read it as "declared, value
            // from the environment", but in practice it is a broken multi-line value or a
            // stray paste, so it is an error rather than a silently dropped line. The name is
            // not quoted: it may be a fragment of a secret.
            guard !atLineEnd else {
                throw fail(keyLine, "this line has no '=': expected KEY=value (a multi-line value must be quoted; a name alone assigns nothing)")
            }
            guard s[i] == "=" else { throw fail(keyLine, "expected '=' after the name: this line is not a KEY=value assignment") }
            i += 1
            var notes: [String] = []
            assignments += 1
            guard assignments <= Limits.keysPerFile else {
                throw fail(keyLine, "more than \(Limits.keysPerFile) assignments in one file (the limit for an env file)")
            }
            let value: String
            switch dialect {
            case .systemd: value = try systemdValue(key: key, notes: &notes)
            case .dotenv, .compose: value = try shellValue(key: key, keyLine: keyLine, lookup: lookup, notes: &notes)
            }
            valueBytes += value.utf8.count
            guard valueBytes <= Limits.fileValueBytes else {
                throw fail(
                    keyLine,
                    "\(key): the file's values add up to more than \(Limits.describe(bytes: Limits.fileValueBytes)) after interpolation (the limit for one env file)"
                )
            }
            return EnvAssignment(key: key, value: value, line: keyLine, notes: notes)
        }
    }

    // MARK: scanning helpers

    var atLineEnd: Bool { i >= s.count || s[i] == "\n" }

    mutating func skip(while predicate: (Unicode.Scalar) -> Bool) {
        while i < s.count, predicate(s[i]) {
            if s[i] == "\n" { line += 1 }
            i += 1
        }
    }

    mutating func skipInlineSpace() { skip { $0 == " " || $0 == "\t" } }

    /// Skips to the end of the line. In systemd a comment ending in a backslash continues.
    mutating func skipComment() {
        while i < s.count, s[i] != "\n" {
            if dialect == .systemd, s[i] == "\\", i + 1 < s.count, s[i + 1] == "\n" {
                i += 1
                line += 1
            }
            i += 1
        }
    }

    mutating func readKey() -> String {
        var key = String.UnicodeScalarView()
        while i < s.count, s[i] != "=", s[i] != " ", s[i] != "\t", s[i] != "\n" {
            key.append(s[i])
            i += 1
        }
        return String(key)
    }

    func validate(key: String, line: Int) throws(EnvFileError) {
        guard !key.isEmpty else { throw fail(line, "expected a variable name before '='") }
        let extra: Set<Unicode.Scalar> =
            switch dialect {
            case .systemd: []
            case .dotenv: [".", "-"]
            case .compose: [".", "-", "[", "]"]
            }
        let valid = key.unicodeScalars.enumerated().allSatisfy { n, c in
            let isLetter = (c >= "A" && c <= "Z") || (c >= "a" && c <= "z") || c == "_"
            return isLetter || (n > 0 && ((c >= "0" && c <= "9") || extra.contains(c)))
        }
        // The text is not quoted: a line that is not an assignment may be part of a secret
        // (an unquoted multi-line key, a pasted URL), and errors print before any redaction.
        guard valid else {
            throw fail(
                line,
                "this line is not a KEY=value assignment: the name before '=' must be letters, digits and '_', not starting with a digit (a multi-line value must be quoted)"
            )
        }
    }

    func fail(_ line: Int, _ message: String) -> EnvFileError {
        EnvFileError(path: path, line: line, message: message)
    }
}
