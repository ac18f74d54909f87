import EnvCheckCore
import Testing

/// A compact rendering: `{k: v}`, `[a, b]`, plain `x`, `'single'`, `"double"`, null `~`.
func render(_ node: YAMLNode) -> String {
    switch node.content {
    case .null: "~"
    case .scalar(let s, .plain): s
    case .scalar(let s, .singleQuoted): "'\(s)'"
    case .scalar(let s, .doubleQuoted): "\"\(s)\""
    case .sequence(let items): "[" + items.map(render).joined(separator: ", ") + "]"
    case .mapping(let entries): "{" + entries.map { "\($0.key): \(render($0.value))" }.joined(separator: ", ") + "}"
    }
}

func yaml(_ text: String) throws -> String { render(try YAMLParser.parse(text, path: "t.yaml")) }

/// The error a document gives, as printed (`t.yaml:line:column: message`).
func yamlError(_ text: String) -> String {
    do {
        let node = try YAMLParser.parse(text, path: "t.yaml")
        return "no error: \(render(node))"
    } catch {
        return error.description
    }
}

@Suite struct YAMLParserTests {
    @Test func blockMappingsAndSequences() throws {
        let text = """
            version: 1
            probes:
              - id: a
                kind: postgres
                inputs:
                  url: ${DATABASE_URL}
              - kind: redis
            """
        #expect(try yaml(text) == "{version: 1, probes: [{id: a, kind: postgres, inputs: {url: ${DATABASE_URL}}}, {kind: redis}]}")
    }

    @Test func listUnderAKeyAtTheKeysIndentation() throws {
        #expect(try yaml("a:\n- x\n- y\nb: z\n") == "{a: [x, y], b: z}")
        #expect(try yaml("- a:\n  - 1\n  b: 2\n- c\n") == "[{a: [1], b: 2}, c]")
    }

    @Test func nestedAndEmptyListItems() throws {
        #expect(try yaml("- - a\n  - b\n- c\n") == "[[a, b], c]")
        #expect(try yaml("-\n  k: v\n-\n- x # note\n") == "[{k: v}, ~, x]")
        #expect(try yaml("-   k: v\n    l: w\n") == "[{k: v, l: w}]")
    }

    @Test func scalarStyles() throws {
        #expect(try yaml(#"a: 'it''s # not a comment'"#) == "{a: 'it's # not a comment'}")
        #expect(try yaml(#"a: "t\tab \"q\" \\ \x41\u00e9\U0001F600 \/""#) == "{a: \"t\tab \"q\" \\ Aé😀 /\"}")
        #expect(try yaml("a: plain text with spaces   \n") == "{a: plain text with spaces}")
        #expect(try yaml("a: b#c\nd: postgres://u@h:5432/db?x=1 # comment\n") == "{a: b#c, d: postgres://u@h:5432/db?x=1}")
        #expect(try yaml("\"quoted key\": 1\n'other: key': 2\n") == "{quoted key: 1, other: key: 2}")
        #expect(try yaml("a: ${A:-${B}}\n") == "{a: ${A:-${B}}}")
    }

    @Test func flowSequences() throws {
        #expect(try yaml("a: [x, 'y, z', \"w\"]\n") == "{a: [x, 'y, z', \"w\"]}")
        #expect(try yaml("a: []\nb: [ one ,two, ]  # trailing comma\n") == "{a: [], b: [one, two]}")
        #expect(try yaml("[a, b]") == "[a, b]")
    }

    @Test func emptyValuesAreNull() throws {
        #expect(try yaml("a:\nb: ~\nc: null  # c\nd:\n") == "{a: ~, b: ~, c: ~, d: ~}")
        #expect(try YAMLParser.parse("", path: "t.yaml") == YAMLNode(.null, line: 1, column: 1))
        #expect(try YAMLParser.parse("# only a comment\n\n---\n", path: "t.yaml").content == .null)
    }

    @Test func commentsBlankLinesStartMarkerBOMAndCRLF() throws {
        let text = "\u{FEFF}# header\n--- # start\n\n  # indented comment\na: 1\r\n\r\n\t\nb:   # nothing\n  c: 2\r\n"
        #expect(try yaml(text) == "{a: 1, b: {c: 2}}")
    }

    @Test func scalarTypesFollowTheCoreSchema() throws {
        let node = try YAMLParser.parse("[true, True, FALSE, 42, -3, +7, 1.5, -.5, 2e3, yes, on, 1.2.3, 0x1F, '5', \"true\", null, ~, inf]", path: "t")
        guard case .sequence(let items) = node.content else {
            Issue.record("not a list")
            return
        }
        let expected: [YAMLScalar?] = [
            .bool(true), .bool(true), .bool(false), .int(42), .int(-3), .int(7), .double(1.5), .double(-0.5), .double(2000),
            .string("yes"), .string("on"), .string("1.2.3"), .string("0x1F"), .string("5"), .string("true"), .null, .null,
            .string("inf"),
        ]
        #expect(items.map(\.scalar) == expected)
    }

    @Test func nodesRememberLineAndColumn() throws {
        let node = try YAMLParser.parse("# c\nprobes:\n  - id: a\n    tags: [x,  y]\n", path: "t")
        guard case .mapping(let top) = node.content, case .sequence(let items) = top[0].value.content,
            case .mapping(let probe) = items[0].content, case .sequence(let tags) = probe[1].value.content
        else {
            Issue.record("unexpected shape")
            return
        }
        #expect((node.line, node.column) == (2, 1))
        #expect((top[0].line, top[0].column) == (2, 1))
        #expect((items[0].line, items[0].column) == (3, 5))
        #expect((probe[1].line, probe[1].column, probe[1].value.column) == (4, 5, 11))
        #expect(tags.map(\.column) == [12, 16])
    }

    @Test(arguments: [
        ("a:\n\tb: 1\n", "t.yaml:2:1: tab in indentation: YAML indents with spaces only"),
        ("a:\n  \tb: 1\n", "t.yaml:2:3: tab in indentation: YAML indents with spaces only"),
        ("-\tx\n", "t.yaml:1:2: tab after '-': use spaces"),
        ("a: &x 1\n", "t.yaml:1:4: anchors ('&') are not supported; repeat the value"),
        ("a: 1\nb: *x\n", "t.yaml:2:4: aliases ('*') are not supported; repeat the value"),
        ("a: !!str 1\n", "t.yaml:1:4: tags ('!') are not supported"),
        ("a: |\n  text\n", "t.yaml:1:4: block scalars ('|' and '>') are not supported; write the value on one line, quoted if needed"),
        ("a: >\n  text\n", "t.yaml:1:4: block scalars ('|' and '>') are not supported; write the value on one line, quoted if needed"),
        ("a: {b: 1}\n", "t.yaml:1:4: flow mappings ('{...}') are not supported; use an indented block"),
        ("? a\n: b\n", "t.yaml:1:1: complex keys ('? ') are not supported"),
        ("a: 1\nb: 2\na: 3\n", "t.yaml:3:1: duplicate key 'a' (first at line 1)"),
        ("p:\n  - k: 1\n    k: 2\n", "t.yaml:3:5: duplicate key 'k' (first at line 2)"),
        ("a: 1\n---\nb: 2\n", "t.yaml:2:1: a second document ('---') is not supported: a manifest is one document"),
        ("--- a: 1\n", "t.yaml:1:5: content after '---' is not supported; start it on the next line"),
        ("a: 1\n...\n", "t.yaml:2:1: the document end marker '...' is not supported"),
        ("%YAML 1.2\n---\na: 1\n", "t.yaml:1:1: directives (%YAML, %TAG) are not supported"),
        ("a: 'open\n  close'\n", "t.yaml:1:4: unterminated quoted value (a quoted value must end on the same line)"),
        ("a: \"open\n", "t.yaml:1:4: unterminated quoted value (a quoted value must end on the same line)"),
        ("a: \"bad \\q\"\n", "t.yaml:1:9: invalid escape '\\q' in a double-quoted value"),
        ("a: \"bad \\u12\"\n", "t.yaml:1:9: invalid escape '\\u' in a double-quoted value"),
        ("a: \"x\" y\n", "t.yaml:1:8: unexpected text after the value"),
        ("a: [x, y\n", "t.yaml:1:4: unterminated '[' (a [...] list must close on the same line)"),
        ("a: [x, # c\n", "t.yaml:1:8: unterminated '[' (a [...] list must close on the same line)"),
        ("a: [x, [y]]\n", "t.yaml:1:8: lists inside a [...] list are not supported"),
        ("a: [x, , y]\n", "t.yaml:1:8: empty item in a [...] list"),
        ("a: [${A}]\n", "t.yaml:1:6: '{' inside an unquoted [...] item; put the item in quotes"),
        ("a: [k: v]\n", "t.yaml:1:5: ':' inside an unquoted [...] item; put the item in quotes"),
        ("a: [x y z] w\n", "t.yaml:1:12: unexpected text after the value"),
        ("a: [x] [y]\n", "t.yaml:1:8: unexpected text after the value"),
        ("a: [\"x\" \"y\"]\n", "t.yaml:1:9: expected ',' or ']' in a [...] list"),
        ("a: b: c\n", "t.yaml:1:4: an unquoted value cannot contain ': '; put the value in quotes"),
        ("a: - x\n", "t.yaml:1:4: a list cannot start on the same line as its key; put each '- item' on a line of its own"),
        ("a: x\n  b: y\n", "t.yaml:2:3: unexpected indentation (values must fit on one line; nested blocks go under a key ending in ':')"),
        ("a:\n  b: x\n c: y\n", "t.yaml:3:2: unexpected indentation (values must fit on one line; nested blocks go under a key ending in ':')"),
        ("  a: 1\nb: 2\n", "t.yaml:2:1: less indented than the start of the document"),
        ("a: 1\nplain words\n", "t.yaml:2:1: expected 'key: value' (a key, a colon and a space) at this indentation"),
        ("a: 1\nurl:postgres\n", "t.yaml:2:1: expected 'key: value' (a key, a colon and a space) at this indentation"),
        ("a: 1\n- x\n", "t.yaml:2:1: a list item where a 'key: value' was expected"),
        ("- x\n  - y\n", "t.yaml:2:3: unexpected indentation"),
        ("- x\nb: 1\n", "t.yaml:2:1: expected a '- item' (the document is a list)"),
        ("just text\nmore\n", "t.yaml:2:1: unexpected content after the document's value"),
        ("a: multi\n  line\n", "t.yaml:2:3: unexpected indentation (values must fit on one line; nested blocks go under a key ending in ':')"),
        (": x\n", "t.yaml:1:1: a key is missing before ':'"),
        ("a: @x\n", "t.yaml:1:4: '@' cannot start an unquoted value; put the value in quotes"),
    ])
    func rejections(_ text: String, _ expected: String) {
        #expect(yamlError(text) == expected)
    }
}
