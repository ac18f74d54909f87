import EnvCheckCore
import Testing

@testable import EnvCheckKeys

@Suite struct TemplateParserTests {
    func keys(_ text: String) throws -> [String] {
        try TemplateParser.parse(text, path: "t.ctmpl").map { "\($0.key)@\($0.line)" }
    }

    @Test func keysInNestedWithElseBlocksAndOutsideAnyBlock() throws {
        let text = """
            {{/* header comment with KEY=not_a_key */}}
            PLAIN=1
            {{ with secret "secret/data/app" }}
              {{ if .Data.data.url }}
            DATABASE_URL={{ .Data.data.url }}
              {{ else }}
            DATABASE_URL={{ env "FALLBACK_URL" }}
              {{ end }}
            export API_KEY={{ .Data.data.key | toJSON }}
            {{ else }}
            API_KEY=
            {{ end }}
            # a comment line, not a key
            LAST={{ printf "%s=%s" "A" "B" }}
            """
        #expect(try keys(text) == ["PLAIN@2", "DATABASE_URL@5", "DATABASE_URL@7", "API_KEY@9", "API_KEY@11", "LAST@14"])
    }

    @Test func trimMarkersJoinLinesAsGoDoes() throws {
        // `{{- ` eats the newline before it; ` -}}` the whitespace after it.
        let text = "{{- with secret \"a\" -}}\nA={{ .Data.a }}\n{{- end }}\nB=2\nC=3\n{{- /* joined */ -}}\nD=4\n"
        // D follows C's value on the same rendered line ("C=3D=4"): not a key.
        #expect(try keys(text) == ["A@2", "B@4", "C@5"])
    }

    @Test func keysRightAfterAnActionOnTheSameLine() throws {
        let text = "{{ with secret \"x\" }}TOKEN={{ .Data.t }}{{ end }}\n{{ if true }}X=1{{ else }}Y=2{{ end }}\n"
        #expect(try keys(text) == ["TOKEN@1", "X@2", "Y@2"])
    }

    @Test func stringsInActionsMayContainBraces() throws {
        let text = "A={{ printf \"}}%s{{\" `}}` .x }}\nB={{ \"{{\" }}\n"
        #expect(try keys(text) == ["A@1", "B@2"])
    }

    @Test func elseArmsAreExclusiveButNestedBlocksAreNot() throws {
        let parsed = try TemplateParser.parse("{{ with $x }}\nA=1\n{{ else }}\nA=2\n{{ end }}\nA=3\n", path: "t")
        #expect(parsed[0].isExclusive(with: parsed[1]))
        #expect(!parsed[0].isExclusive(with: parsed[2]))
    }

    /// Each fault Go's text/template (what consul-template and vault-agent run) rejects, with
    /// Go's own words after envcheck's: exit 2 naming `file:line`, before anything renders.
    @Test func malformedTemplatesAreErrorsWithALine() {
        let cases: [(text: String, line: Int, message: String)] = [
            ("A=1\n{{ with secret \"x\" }}\nB=2\n", 2, "{{ with }} is never closed by {{ end }} (Go's text/template: unexpected EOF)"),
            ("{{ end }}", 1, "{{ end }} without an open block (Go's text/template: unexpected {{end}})"),
            ("A=1\n{{ else }}\n", 2, "{{ else }} outside any block (Go's text/template: unexpected {{else}})"),
            ("A=1\nB={{ .x \n", 2, "unterminated template action (no closing }}; Go's text/template: unclosed action)"),
            ("{{/* never ends\nA=1\n", 1, "unterminated template comment (no closing }}; Go's text/template: unclosed comment)"),
            ("A={{ printf \"%s }}\n", 1, "unterminated template string in an action (no closing }}; Go's text/template: unterminated quoted string)"),
            ("{{ if }}\nA=1\n{{ end }}\n", 1, "{{ if }} needs a value (Go's text/template: missing value for if)"),
            ("{{ range   }}{{ end }}", 1, "{{ range }} needs a value (Go's text/template: missing value for range)"),
        ]
        for c in cases {
            #expect(throws: KeysInputError(path: "t", line: c.line, message: c.message), "\(c.text)") {
                try TemplateParser.parse(c.text, path: "t")
            }
        }
    }
}
