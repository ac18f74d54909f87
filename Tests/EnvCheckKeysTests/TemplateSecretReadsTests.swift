import EnvCheckKeys
import Testing

@Suite struct TemplateSecretReadsTests {
    func reads(_ text: String) throws -> [String] {
        try TemplateParser.secretReads(text, path: "t.ctmpl").map { "\($0.path) \($0.field) :\($0.line)" }
    }

    @Test func eachFormOfReadingAField() throws {
        let text = """
            {{ with secret "secret/data/app/prod" }}
            {{ if .Data.data.DEBUG }}DEBUG=1{{ end }}
            DB={{ .Data.data.DB_PASSWORD }}
            KEY={{ index .Data.data "API-KEY" }}
            META={{ .Data.metadata.version }}
            {{ range $k, $v := .Data.data }}{{ $k }}={{ $v }}{{ end }}
            {{ end }}
            {{ with secret "kv/legacy" }}OLD={{ .Data.password }}{{ end }}
            INLINE={{ (secret "secret/data/app/other").Data.data.TOKEN }}
            DUP={{ with secret "secret/data/app/prod" }}{{ .Data.data.DB_PASSWORD }}{{ end }}
            """
        #expect(
            try reads(text) == [
                "secret/data/app/prod DEBUG :2", "secret/data/app/prod DB_PASSWORD :3", "secret/data/app/prod API-KEY :4",
                "kv/legacy password :8", "secret/data/app/other TOKEN :9",
            ])
    }

    /// A hostile action (a megabyte of `(secret "x"` with no closing parenthesis) is read
    /// in bounded time: actions past the bound are skipped, real ones are far shorter.
    @Test func aHugeActionIsSkippedNotBacktrackedOver() throws {
        let huge = "{{ " + String(repeating: "(secret \"x\"\n", count: 60_000) + " }}"
        let start = ContinuousClock.now
        #expect(try reads(huge + #"{{ with secret "p/data/a" }}A={{ .Data.data.A }}{{ end }}"#) == ["p/data/a A :60001"])
        #expect(ContinuousClock.now - start < .seconds(5))
        let atBound = "{{ (secret \"p/data/b\").Data.data.B | printf \"" + String(repeating: "x", count: TemplateParser.maxActionBytes) + "\" }}"
        #expect(try reads(atBound).isEmpty)
    }

    @Test func pathsBuiltAtRenderTimeAreLeftOutAndFaultsThrow() throws {
        #expect(try reads(#"{{ with secret (printf "secret/data/%s" (env "APP")) }}A={{ .Data.data.A }}{{ end }}"#) == [])
        #expect(throws: KeysInputError.self) { try reads(#"{{ with secret "x" }}A={{ .Data.data.A }}"#) }
    }
}
