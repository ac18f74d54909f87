/// Parses the YAML subset probe manifests need, without a YAML library (Yams would pull in
/// Foundation, and every healthcheck would pay its start-up):
///
/// - block mappings and block sequences, nested by indentation (spaces only);
/// - `- ` list items, including an item that starts a mapping (`- id: x`) or a list, and a
///   list under a key at the key's own indentation;
/// - plain, 'single-quoted' and "double-quoted" scalars on one line, and `[a, b]` lists;
/// - `#` comments, blank lines and a leading `---`.
///
/// Everything else is rejected with a ``ManifestError`` naming `file:line:column`: tabs in
/// indentation, anchors, aliases, tags, block scalars (`|`, `>`), flow mappings, multi-line
/// values, several documents, directives, duplicate keys; so is going past the ``Limits``
/// (file size, line length, collections nested more than ``Limits/yamlNesting`` deep).
/// `\r\n` and a bare `\r` are line breaks, as YAML 1.2 reads them.
public struct YAMLParser {
    /// One line with content: its text as scalars, where the content starts, and its
    /// indentation. A `- ` item is re-read as a line whose content starts after the dash.
    struct Line {
        let number: Int
        let chars: [Unicode.Scalar]
        var start: Int
        var indent: Int { start }
    }

    let path: String
    var lines: [Line]
    var index = 0
    /// Collections open around the current line, against ``Limits/yamlNesting``.
    var depth = 0

    init(path: String, lines: [Line]) {
        self.path = path
        self.lines = lines
    }

    /// Parses one document. An empty document (only comments) is a null node at line 1.
    public static func parse(_ text: String, path: String) throws(ManifestError) -> YAMLNode {
        var parser = YAMLParser(path: path, lines: try splitLines(text, path: path))
        guard !parser.lines.isEmpty else { return YAMLNode(.null, line: 1, column: 1) }
        let rootIndent = parser.lines[0].indent
        let root = try parser.parseBlock()
        if parser.index < parser.lines.count {
            let line = parser.lines[parser.index]
            let what =
                if line.indent < rootIndent {
                    "less indented than the start of the document"
                } else if line.indent > rootIndent {
                    "unexpected indentation"
                } else if case .sequence = root.content {
                    "expected a '- item' (the document is a list)"
                } else {
                    "unexpected content after the document's value"
                }
            throw parser.error(line, line.start, what)
        }
        return root
    }

    /// The lines with content, after checking indentation and document markers.
    static func splitLines(_ text: String, path: String) throws(ManifestError) -> [Line] {
        let scalars: [Unicode.Scalar]
        do { scalars = try TextInput.scalars(text) } catch {
            throw ManifestError(path: path, line: error.line, column: 0, message: error.message)
        }
        var result: [Line] = []
        var sawStart = false
        for (n, raw) in scalars.split(separator: "\n", omittingEmptySubsequences: false).map(Array.init).enumerated() {
            let number = n + 1
            let fail = { (column: Int, message: String) in ManifestError(path: path, line: number, column: column, message: message) }
            guard let first = raw.firstIndex(where: { $0 != " " && $0 != "\t" }), raw[first] != "#" else { continue }
            if let tab = raw[..<first].firstIndex(of: "\t") {
                throw fail(tab + 1, "tab in indentation: YAML indents with spaces only")
            }
            if first == 0, Self.isMarker(raw, "---") {
                if sawStart || !result.isEmpty { throw fail(1, "a second document ('---') is not supported: a manifest is one document") }
                guard Self.restIsComment(raw, from: 3) else { throw fail(5, "content after '---' is not supported; start it on the next line") }
                sawStart = true
                continue
            }
            if first == 0, Self.isMarker(raw, "...") { throw fail(1, "the document end marker '...' is not supported") }
            if first == 0, raw[0] == "%" { throw fail(1, "directives (%YAML, %TAG) are not supported") }
            result.append(Line(number: number, chars: raw, start: first))
        }
        return result
    }

    private static func isMarker(_ raw: [Unicode.Scalar], _ marker: String) -> Bool {
        let m = Array(marker.unicodeScalars)
        return raw.starts(with: m) && (raw.count == m.count || raw[m.count] == " " || raw[m.count] == "\t")
    }

    private static func restIsComment(_ raw: [Unicode.Scalar], from i: Int) -> Bool {
        guard let j = raw[i...].firstIndex(where: { $0 != " " && $0 != "\t" }) else { return true }
        return raw[j] == "#"
    }

    // MARK: - Blocks

    /// The node starting at the current line: a sequence, a mapping or a lone scalar.
    mutating func parseBlock() throws(ManifestError) -> YAMLNode {
        let line = lines[index]
        if isSequenceItem(line) { return try parseSequence(indent: line.indent) }
        if try scanKey(line) != nil { return try parseMapping(indent: line.indent) }
        let node = try scanValue(line, from: line.start)
        index += 1
        return node
    }

    func isSequenceItem(_ line: Line) -> Bool {
        let c = line.chars
        let p = line.start
        return c[p] == "-" && (p + 1 == c.count || c[p + 1] == " " || c[p + 1] == "\t")
    }

    /// Counts a collection opening on `line`; deeper than the limit is an error.
    mutating func enter(_ line: Line, _ column: Int) throws(ManifestError) {
        depth += 1
        guard depth <= Limits.yamlNesting else {
            throw error(line, column, "lists and mappings are nested more than \(Limits.yamlNesting) deep (the limit for a manifest)")
        }
    }

    mutating func parseSequence(indent: Int) throws(ManifestError) -> YAMLNode {
        let first = lines[index]
        try enter(first, first.start)
        defer { depth -= 1 }
        var items: [YAMLNode] = []
        while index < lines.count, lines[index].indent == indent, isSequenceItem(lines[index]) {
            let line = lines[index]
            var p = line.start + 1
            while p < line.chars.count, line.chars[p] == " " { p += 1 }
            if p < line.chars.count, line.chars[p] == "\t" { throw error(line, p, "tab after '-': use spaces") }
            if p == line.chars.count || line.chars[p] == "#" {
                index += 1
                if index < lines.count, lines[index].indent > indent {
                    items.append(try parseBlock())
                } else {
                    items.append(YAMLNode(.null, line: line.number, column: line.start + 2))
                }
            } else {
                // The item's content is read as a line of its own, indented to where it starts,
                // so `- id: x` followed by `  kind: y` is one mapping.
                lines[index].start = p
                items.append(try parseBlock())
            }
        }
        if index < lines.count, lines[index].indent > indent {
            throw error(lines[index], lines[index].start, "unexpected indentation")
        }
        return YAMLNode(.sequence(items), line: first.number, column: first.start + 1)
    }

    mutating func parseMapping(indent: Int) throws(ManifestError) -> YAMLNode {
        let first = lines[index]
        try enter(first, first.start)
        defer { depth -= 1 }
        var entries: [YAMLEntry] = []
        var seen: [String: Int] = [:]
        while index < lines.count, lines[index].indent == indent {
            let line = lines[index]
            if isSequenceItem(line) { throw error(line, line.start, "a list item where a 'key: value' was expected") }
            guard let key = try scanKey(line) else {
                throw error(line, line.start, "expected 'key: value' (a key, a colon and a space) at this indentation")
            }
            if let firstLine = seen[key.text] {
                throw error(line, key.start, "duplicate key '\(key.text)' (first at line \(firstLine))")
            }
            seen[key.text] = line.number
            entries.append(
                YAMLEntry(
                    key: key.text, line: line.number, column: key.start + 1,
                    value: try parseValue(after: key, on: line, indent: indent)))
        }
        if index < lines.count, lines[index].indent > indent {
            throw error(
                lines[index], lines[index].start,
                "unexpected indentation (values must fit on one line; nested blocks go under a key ending in ':')")
        }
        return YAMLNode(.mapping(entries), line: first.number, column: first.start + 1)
    }

    /// The value of a key: inline on its line, else the indented block below it (or a list
    /// at the key's own indentation), else null.
    private mutating func parseValue(after key: KeyScan, on line: Line, indent: Int) throws(ManifestError) -> YAMLNode {
        if !Self.restIsComment(line.chars, from: key.valueStart) {
            let value = try scanValue(line, from: key.valueStart)
            index += 1
            return value
        }
        index += 1
        if index < lines.count, lines[index].indent > indent { return try parseBlock() }
        if index < lines.count, lines[index].indent == indent, isSequenceItem(lines[index]) {
            return try parseSequence(indent: indent)
        }
        return YAMLNode(.null, line: line.number, column: key.valueStart + 1)
    }

    func error(_ line: Line, _ index: Int, _ message: String) -> ManifestError {
        ManifestError(path: path, line: line.number, column: index + 1, message: message)
    }
}
