import Testing

@testable import EnvCheckCore

@Suite("JSON: limits and strictness")
struct JSONLimitsTests {
    func parseError(_ text: String) -> JSONParser.ParseError? {
        do {
            _ = try JSONParser.parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func sixtyFourLevelsAreReadAndSixtyFiveAreNot() throws {
        let nested = { (n: Int) in String(repeating: "[", count: n) + String(repeating: "]", count: n) }
        _ = try JSONParser.parse(nested(64))
        _ = try JSONParser.parse(String(repeating: #"{"a":"#, count: 64) + "1" + String(repeating: "}", count: 64))
        #expect(parseError(nested(65))?.reason == "objects and arrays nested more than 64 deep (the limit)")
        #expect(parseError(nested(65))?.offset == 64)
        #expect(parseError(String(repeating: "[", count: 500_000)) != nil)
    }

    @Test func atMostOneMebibyte() throws {
        let fits = "\"" + String(repeating: "a", count: Limits.jsonBytes - 2) + "\""
        #expect(try JSONParser.parse(fits).stringValue?.utf8.count == Limits.jsonBytes - 2)
        #expect(parseError(fits + " ")?.reason == "larger than 1 MiB, the limit for a JSON text")
    }

    @Test func manyKeysAndDuplicates() throws {
        let keys = (0..<50_000).map { #""k\#($0)":\#($0)"# }.joined(separator: ",")
        let object = try JSONParser.parse("{" + keys + "}").objectValue
        #expect(object?.keys.count == 50_000)
        #expect(object?["k49999"] == 49_999)
        // A repeated key keeps its first place and its last value.
        let duplicate = try JSONParser.parse(#"{"a":1,"b":2,"a":3}"#).objectValue
        #expect(duplicate?.keys == ["a", "b"])
        #expect(duplicate?["a"] == 3)
    }

    @Test(arguments: ["0", "-0", "12", "-3.25", "1e5", "1E+2", "2.5e-3", "0.5"])
    func numbersInTheGrammar(text: String) throws {
        #expect(try JSONParser.parse(text).doubleValue == Double(text))
    }

    @Test(arguments: ["01", "+1", "1.", ".5", "1e", "1e+", "-", "--1", "0x10", "1.2.3", "Infinity", "NaN", "-inf", "1_000"])
    func numbersOutsideTheGrammar(text: String) {
        #expect(parseError(text) != nil, "\(text)")
    }

    @Test func hugeNumbersReadAsInfinityForTheCallerToJudge() throws {
        #expect(try JSONParser.parse("-1e999").doubleValue == -.infinity)
        #expect(try JSONParser.parse("99999999999999999999").doubleValue == 1e20)
    }

    @Test func unicodeEscapesAreFourHexDigits() throws {
        #expect(try JSONParser.parse(#""\u00e9\u00C9""#) == "éÉ")
        for bad in [#""\u+0e9""#, #""\u-001""#, #""\u00g9""#, #""\u12""#] {
            #expect(parseError(bad)?.reason == "bad \\u escape", "\(bad)")
        }
    }
}
