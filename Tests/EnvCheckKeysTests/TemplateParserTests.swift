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

    @Test func malformedTemplatesAreErrorsWithALine() {
        #expect(throws: KeysInputError(path: "t", line: 2, message: "{{ with }} is never closed by {{ end }}")) {
            try TemplateParser.parse("A=1\n{{ with secret \"x\" }}\nB=2\n", path: "t")
        }
        #expect(throws: KeysInputError(path: "t", line: 1, message: "{{ end }} without an open block")) {
            try TemplateParser.parse("{{ end }}", path: "t")
        }
        #expect(throws: KeysInputError(path: "t", line: 2, message: "unterminated template action (no closing }})")) {
            try TemplateParser.parse("A=1\nB={{ .x \n", path: "t")
        }
    }
}
