import Testing

@testable import EnvCheckCore

/// Parses `text` and returns key → value.
private func parse(_ text: String, _ dialect: EnvDialect, env: [String: String] = [:]) throws -> [String: String] {
    let assignments = try EnvFileParser.parseAll(text, dialect: dialect, lookup: { env[$0] })
    return Dictionary(assignments.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
}

private func parseError(_ text: String, _ dialect: EnvDialect) -> EnvFileError? {
    do {
        _ = try EnvFileParser.parseAll(text, path: "app.env", dialect: dialect)
        return nil
    } catch {
        return error
    }
}

/// What Go's `%q` (strconv.Quote) renders, as vault-agent writes it with `KEY={{ printf "%q" . }}`.
/// Each case: the rendered line's value part and the original secret.
private let goQuoted: [(rendered: String, original: String)] = [
    (#""he said \"hi\"""#, #"he said "hi""#),
    (#""C:\\path\\to""#, #"C:\path\to"#),
    (#""line1\nline2""#, "line1\nline2"),
    (#""tab\there""#, "tab\there"),
    (#""café 😀 ünïcode""#, "café 😀 ünïcode"),
    (#""p'a#s;s`w""#, "p'a#s;s`w"),
]

@Suite("env files: shared line handling")
struct EnvFileLineTests {
    @Test(arguments: EnvDialect.allCases)
    func commentsBlankLinesCRLFBOMAndNoFinalNewline(dialect: EnvDialect) throws {
        let text = "\u{FEFF}# a comment\r\n\r\nA=1\r\n  # indented comment\nB=two\r\nC=last"
        let values = try parse(text, dialect)
        #expect(values == ["A": "1", "B": "two", "C": "last"])
    }

    @Test(arguments: EnvDialect.allCases)
    func assignmentsRememberTheirLine(dialect: EnvDialect) throws {
        let a = try EnvFileParser.parseAll("\n# c\nA=1\n\nB='multi\nline'\nC=3\n", dialect: dialect)
        #expect(a.map(\.line) == [3, 5, 7])
        #expect(a.map(\.key) == ["A", "B", "C"])
    }

    @Test(arguments: EnvDialect.allCases)
    func multiLineQuotedValuesAreKept(dialect: EnvDialect) throws {
        let values = try parse("KEY=\"-----BEGIN KEY-----\nabc\n-----END KEY-----\"\nNEXT=1\n", dialect)
        #expect(values["KEY"] == "-----BEGIN KEY-----\nabc\n-----END KEY-----")
        #expect(values["NEXT"] == "1")
    }

    @Test(arguments: EnvDialect.allCases)
    func unterminatedQuoteNamesTheLineWhereItOpened(dialect: EnvDialect) {
        let error = parseError("A=1\nB=\"never closed\nC=3\n", dialect)
        #expect(error?.line == 2)
        #expect(error?.path == "app.env")
        #expect(error?.description.hasPrefix("app.env:2: unterminated double-quoted value for 'B'") == true)
    }

    @Test(arguments: EnvDialect.allCases)
    func invalidNamesAndMissingEqualsAreErrors(dialect: EnvDialect) {
        #expect(parseError("A=1\n1BAD=x\n", dialect)?.line == 2)
        #expect(parseError("GOOD=1\nBAD NAME=x\n", dialect)?.line == 2)
        #expect(parseError("=value\n", dialect)?.message.contains("variable name") == true)
    }

    @Test func invalidUTF8IsAnErrorOnItsLine() {
        var bytes = Array("A=1\nB=".utf8)
        bytes += [0xFF, 0xFE]
        bytes += Array("\n".utf8)
        #expect(throws: EnvFileError(path: "x.env", line: 2, message: "invalid UTF-8")) {
            _ = try EnvFileParser(bytes: bytes, path: "x.env", dialect: .dotenv)
        }
    }
}

@Suite("env files: dotenv (python-dotenv)")
struct DotenvDialectTests {
    @Test func goPercentQOutputDecodes() throws {
        for (rendered, original) in goQuoted {
            #expect(try parse("SECRET=\(rendered)\n", .dotenv)["SECRET"] == original, "\(rendered)")
        }
    }

    @Test func dollarIsLiteralButBracesInterpolate() throws {
        let values = try parse("A=base\nB=\"$A and ${A} and ${MISSING:-dflt}\"\nC=p$ss\n", .dotenv)
        #expect(values["B"] == "$A and base and dflt")
        #expect(values["C"] == "p$ss")
    }

    @Test func singleQuotesInterpolateToo() throws {
        // python-dotenv interpolates ${...} in single-quoted values as well (docs/protocols.md §3).
        #expect(try parse("A=x\nB='${A}'\n", .dotenv)["B"] == "x")
    }

    @Test func exportPrefixInlineCommentsAndEscapes() throws {
        let values = try parse("export A=1\nB=value # comment\nC=no#comment\nD=\"q\" # after\nE='it\\'s'\n", .dotenv)
        #expect(values == ["A": "1", "B": "value", "C": "no#comment", "D": "q", "E": "it's"])
    }

    @Test func unknownEscapesAreKeptAndNoted() throws {
        let a = try EnvFileParser.parseAll(#"NBSP="a\u00a0b""# + "\n", dialect: .dotenv)
        #expect(a[0].value == #"a\u00a0b"#)
        #expect(a[0].notes.contains { $0.contains("kept literally") })
    }

    @Test func environmentAndEarlierValuesFeedInterpolation() throws {
        let values = try parse("HOST=db\nURL=postgres://${HOST}:${PORT}/x\n", .dotenv, env: ["PORT": "5432"])
        #expect(values["URL"] == "postgres://db:5432/x")
    }

    @Test func unsetReferenceBecomesEmptyWithANote() throws {
        let a = try EnvFileParser.parseAll("A=${NOPE}x\n", dialect: .dotenv)
        #expect(a[0].value == "x")
        #expect(a[0].notes == ["${NOPE} is not set, so it was interpolated as an empty string"])
    }

    @Test func textAfterClosingQuoteIsAnError() {
        #expect(parseError("A=\"x\"y\n", .dotenv)?.line == 1)
    }

    @Test func bareKeyIsAnErrorNotASilentDrop() {
        #expect(parseError("A\nB=1\n", .dotenv)?.line == 1)
        #expect(parseError("B=1\nA\n", .compose)?.line == 2)
    }
}

@Suite("env files: compose (compose-go)")
struct ComposeDialectTests {
    @Test func goPercentQOutputDecodes() throws {
        for (rendered, original) in goQuoted {
            #expect(try parse("SECRET=\(rendered)\n", .compose)["SECRET"] == original, "\(rendered)")
        }
    }

    @Test func dollarFormsInterpolate() throws {
        let env = ["USER": "app", "EMPTY": ""]
        let values = try parse(
            #"""
            A="$USER-${USER}"
            B=${EMPTY:-fallback}
            C=${EMPTY-kept}
            D='$USER literal'
            E="cost $$5"
            F="escaped \$USER"
            G=${USER:+yes}
            H=${NOPE:-${USER}}
            """# + "\n", .compose, env: env)
        #expect(values["A"] == "app-app")
        #expect(values["B"] == "fallback")
        #expect(values["C"] == "")
        #expect(values["D"] == "$USER literal")
        #expect(values["E"] == "cost $5")
        #expect(values["F"] == "escaped $USER")
        #expect(values["G"] == "yes")
        #expect(values["H"] == "app")
    }

    @Test func dollarInASecretIsInterpolatedAway() throws {
        // The reason dialects matter: a %q-rendered secret containing $ is corrupted by compose.
        let a = try EnvFileParser.parseAll(#"PW="pa$word""# + "\n", dialect: .compose)
        #expect(a[0].value == "pa")
        #expect(a[0].notes.contains { $0.contains("${word}") })
    }

    @Test func requiredVariableErrorNamesTheLine() {
        let error = parseError("A=1\nB=${NEEDED:?set it}\n", .compose)
        #expect(error?.line == 2)
        #expect(error?.message.contains("NEEDED") == true)
    }

    @Test func inlineCommentNeedsSpace() throws {
        #expect(try parse("A=x#y\nB=x #y\n", .compose) == ["A": "x#y", "B": "x"])
    }

    @Test func composeKeyCharacters() throws {
        #expect(try parse("my.key-1[0]=v\n", .compose) == ["my.key-1[0]": "v"])
    }
}

@Suite("env files: systemd EnvironmentFile")
struct SystemdDialectTests {
    @Test func escapesOtherThanQuoteBackslashAreKept() throws {
        let a = try EnvFileParser.parseAll(#"A="line1\nline2 \"q\" \\ \$x""# + "\n", dialect: .systemd)
        #expect(a[0].value == #"line1\nline2 "q" \ $x"#)
        #expect(a[0].notes.first?.contains(#"\n"#) == true)
    }

    @Test func noInterpolationNoInlineComments() throws {
        let values = try parse("A=${HOME} # not a comment\n; comment\n", .systemd, env: ["HOME": "/root"])
        #expect(values == ["A": "${HOME} # not a comment"])
    }

    @Test func backslashNewlineContinues() throws {
        let a = try EnvFileParser.parseAll("A=one \\\ntwo\nB=3\n", dialect: .systemd)
        #expect(a.map(\.value) == ["one two", "3"])
        #expect(a.map(\.line) == [1, 3])
    }

    @Test func adjacentQuotedPartsJoin() throws {
        #expect(try parse("A=\"a b\" 'c d'\nB=  spaced out   \n", .systemd) == ["A": "a bc d", "B": "spaced out"])
    }

    @Test func exportIsRejectedWithAHint() {
        let error = parseError("export A=1\n", .systemd)
        #expect(error?.line == 1)
        #expect(error?.message.contains("--env-dialect dotenv") == true)
    }

    @Test func bareKeyIsAnError() {
        #expect(parseError("A=1\nB\n", .systemd)?.line == 2)
    }

    @Test func goPercentQKeepsBackslashN() throws {
        #expect(try parse(#"S="a\nb""# + "\n", .systemd)["S"] == #"a\nb"#)
        #expect(try parse(#"S="C:\\dir""# + "\n", .systemd)["S"] == #"C:\dir"#)
    }
}

@Suite("env files: errors never echo content")
struct EnvFileErrorTextTests {
    /// A line that is not an assignment may be a secret: an unquoted multi-line PEM key, a
    /// pasted connection string. The error names file and line only.
    @Test(arguments: EnvDialect.allCases)
    func secretsInMalformedLinesAreNotQuoted(dialect: EnvDialect) {
        let pem = "KEY=-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ\n"
        let url = "postgres://admin:S3cretPassw0rd@db/app\n"
        for text in [pem, url] {
            let error = parseError(text, dialect)
            #expect(error != nil)
            #expect(!(error?.description.contains("MIIEvQ") ?? true))
            #expect(!(error?.description.contains("S3cretPassw0rd") ?? true))
            #expect(!(error?.description.contains("admin") ?? true))
        }
    }
}
