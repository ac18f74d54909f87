import Testing

@testable import EnvCheckCore

@Suite("UTF-8 substring search")
struct TextSearchTests {
    @Test func findsAndReplacesEveryOccurrence() {
        #expect("a%!q(<nil>)b".utf8Contains("%!"))
        #expect(!"abc".utf8Contains("abd"))
        #expect("abcabc".utf8Contains("cab"))
        #expect(!"ab".utf8Contains("abc"))
        #expect("xx-pw-pw-pwp".utf8Replacing("pw", with: "[r]") == "xx-[r]-[r]-[r]p")
        #expect("aaaa".utf8Replacing("aa", with: "b") == "bb")
        #expect("nothing".utf8Replacing("zz", with: "b") == "nothing")
        let text = "user://u:pw@host/x"
        #expect(text[text.utf8FirstRange(of: "://")!] == "://")
    }

    @Test func nonASCIITextStaysValidAndMatchesScalars() {
        #expect("café-secret-ü".utf8Replacing("secret", with: "[r]") == "café-[r]-ü")
        #expect("ü".isASCIIText == false && "u".isASCIIText)
    }

    /// A secret spelled with a combining accent in the text but precomposed in the config
    /// differs in bytes: the redactor's Character-level pass still removes it.
    @Test func redactorStillScrubsCanonicallyEquivalentSpellings() {
        let redactor = Redactor(secrets: ["s\u{E9}cret-value"])
        #expect(redactor.scrub("token s\u{65}\u{301}cret-value here") == "token [redacted] here")
        #expect(redactor.scrub("token s\u{E9}cret-value here") == "token [redacted] here")
    }
}
