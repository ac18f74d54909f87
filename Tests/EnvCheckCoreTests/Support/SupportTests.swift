import Testing

@testable import EnvCheckCore

@Suite("durations")
struct DurationTests {
    @Test(arguments: [("250ms", 250), ("5s", 5000), ("2m", 120_000), ("1.5s", 1500), ("1m30s", 90_000), ("1h", 3_600_000), (" 3s ", 3000)])
    func parses(text: String, ms: Int) throws {
        #expect(try DurationParser.parse(text).milliseconds == ms)
    }

    @Test(arguments: ["", "5", "5x", "s", "-1s", "1.2.3s", "5 s", "9999h"])
    func rejects(text: String) {
        #expect(throws: DurationParser.ParseError.self) { try DurationParser.parse(text) }
    }

    @Test func shortDescription() {
        #expect(Duration.milliseconds(250).shortDescription == "250ms")
        #expect(Duration.seconds(5).shortDescription == "5s")
        #expect(Duration.seconds(120).shortDescription == "2m")
        #expect(Duration.milliseconds(1500).shortDescription == "1.5s")
    }
}

@Suite("JSON")
struct JSONTests {
    @Test func roundTrip() throws {
        let value: JSONValue = .object([
            "s": "a\"b\\c\n\u{01}é😀", "i": -3, "d": 1.5, "b": true, "n": nil,
            "a": .array([1, "x", .object([:])]),
        ])
        #expect(try JSONParser.parse(JSONWriter.write(value)) == value)
        #expect(try JSONParser.parse(JSONWriter.write(value, pretty: false)) == value)
        #expect(JSONWriter.write(.object(["k": "\u{1B}"]), pretty: false) == #"{"k":"\u001b"}"#)
    }

    @Test func parsesRealWorldBodies() throws {
        let body = #"{"data":{"label":"sk-or-v1-abc...890","limit":null,"usage":0.25,"limit_remaining":1e2,"x":"\u00e9\ud83d\ude00"}}"#
        let data = try JSONParser.parse(body).objectValue?["data"]?.objectValue
        #expect(data?["limit"] == .null)
        #expect(data?["usage"]?.doubleValue == 0.25)
        #expect(data?["limit_remaining"]?.doubleValue == 100)
        #expect(data?["x"] == "é😀")
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\" 1}", "nul", "\"unterminated", "{} x", "01x", String(repeating: "[", count: 300)])
    func rejectsMalformed(text: String) {
        #expect(throws: JSONParser.ParseError.self) { try JSONParser.parse(text) }
    }
}

@Suite("timestamps")
struct TimestampTests {
    @Test func iso8601() {
        #expect(Timestamp.iso8601(epochMs: 0) == "1970-01-01T00:00:00.000Z")
        #expect(Timestamp.iso8601(epochMs: 1_795_939_200_123) == "2026-11-29T08:00:00.123Z")
        #expect(Timestamp.iso8601(epochMs: 951_782_400_000, plain: true) == "2000-02-29T00:00:00")
        #expect(Timestamp.iso8601(epochMs: -1) == "1969-12-31T23:59:59.999Z")
    }
}

@Suite("trimming")
struct TrimmingTests {
    @Test func trimsCRLFAndTabs() {
        #expect("  value\r\n".trimmingSpaces == "value")
        #expect("\r\n\t a b \r\n".trimmingSpaces == "a b")
        #expect(" \r\n ".trimmingSpaces == "")
        #expect("é\r\n".trimmingSpaces == "é")
    }
}

@Suite("terminal text")
struct TerminalTextTests {
    @Test func controlCharactersCannotReachTheTerminal() {
        #expect(TerminalText.oneLine("a\nb\tc\u{1B}[2Jd\u{7F}") == "a b c\\x1b[2Jd\\x7f")
    }

    @Test func truncationMarksTheCut() {
        #expect(TerminalText.truncated("abcdef", to: 6) == "abcdef")
        #expect(TerminalText.truncated("abcdefg", to: 6) == "abcde…")
        #expect(TerminalText.truncated("é😀x", to: 2) == "é…")
    }

    /// The one way probes quote a server's or driver's text.
    @Test func quotingHidesSecretsBeforeCuttingAndKeepsOneLine() {
        let secret = "hunter2hunter2"
        #expect(
            TerminalText.quote("  denied for \(secret)\r\n\tretry\u{1B}[0m  ", hiding: [secret])
                == "denied for [redacted]   retry\\x1b[0m")
        // Cut inside where the secret stood: scrubbing first leaves none of it behind.
        let cut = TerminalText.quote("key=\(secret) rejected", hiding: [secret], limit: 10)
        #expect(cut == "key=[reda…")
        #expect(!cut.contains("hunter"))
        #expect(TerminalText.quote("at postgres://u:pw12@db/x", limit: 200) == "at postgres://u:[redacted]@db/x")
        #expect(TerminalText.quote(" \n ") == "")
        #expect(TerminalText.quote(String(repeating: "x", count: 500)).count == 200)
    }
}

@Suite("interpolation")
struct InterpolationTests {
    @Test func manifestTemplates() {
        let lookup: (String) -> String? = { ["A": "1", "EMPTY": ""][$0] }
        #expect(Interpolation.expand("${A}", lookup: lookup).value == "1")
        #expect(Interpolation.expand("${B:-two}", lookup: lookup).value == "two")
        #expect(Interpolation.expand("${EMPTY:-d}", lookup: lookup).value == "d")
        #expect(Interpolation.expand("${B:-${A}}", lookup: lookup).value == "1")
        #expect(Interpolation.expand("x${B}y", lookup: lookup) == ("xy", ["B"]))
        #expect(Interpolation.expand("$A ${ unclosed", lookup: lookup).value == "$A ${ unclosed")
    }
}
