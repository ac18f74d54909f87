import EnvCheckCore
import Testing

@testable import EnvCheckKeys

@Suite struct ExampleParserTests {
    @Test func valuesCommentsCommentedOutKeysAndVaultMarkers() throws {
        let entries = try ExampleParser.parse(
            """
            # Header: copy to .env
            # Keys marked [VAULT] come from Vault.

            # [VAULT]
            # The primary database
            DATABASE_URL=postgres://localhost/app
            REDIS_URL="redis://localhost:6379/0"  # [VAULT] rendered in prod
            PLAIN=value # just a comment
            # OPTIONAL_KEY=https://example.com  # [vault]
            # Note: this is prose, not a key
            export EXPORTED='single # not a comment'
            MULTI="line one
            line two"  # [VAULT]
            AFTER=1
            EMPTY=
            """, path: ".env.example")
        let summary = entries.map { "\($0.key)@\($0.line):\($0.value ?? "<commented>"):\($0.isVault)" }
        #expect(
            summary == [
                "DATABASE_URL@6:postgres://localhost/app:true",
                "REDIS_URL@7:redis://localhost:6379/0:true",
                "PLAIN@8:value:false",
                "OPTIONAL_KEY@9:<commented>:true",
                "EXPORTED@11:single # not a comment:false",
                "MULTI@12:line one\nline two:true",
                "AFTER@14:1:false",
                "EMPTY@15::false",
            ])
        #expect(entries[0].comment == "[VAULT]\nThe primary database")
        #expect(entries[7].hasValue == false)
        #expect(entries[3].isCommentedOut)
    }

    @Test func markerDoesNotLeakPastABlankLineOrAKey() throws {
        let entries = try ExampleParser.parse("# [VAULT]\n\nA=1\n# [VAULT]\nB=2\nC=3\n", path: "e")
        #expect(entries.map(\.isVault) == [false, true, false])
    }

    @Test func malformedExampleIsAnErrorWithALine() {
        #expect(throws: KeysInputError.self) { try ExampleParser.parse("A=1\nB=\"open\n", path: "e") }
        do {
            _ = try ExampleParser.parse("A=1\n1BAD=2\n", path: "e")
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 2)
            #expect(error.description.hasPrefix("e:2: this line is not a KEY=value assignment"))
        }
    }
}
