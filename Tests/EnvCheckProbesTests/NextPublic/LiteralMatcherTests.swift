@testable import EnvCheckProbes
import Testing

@Suite struct LiteralMatcherTests {
    /// Every occurrence, by brute force.
    func naive(_ needles: [[UInt8]], in text: [UInt8]) -> Set<[Int]> {
        var found = Set<[Int]>()
        for (n, needle) in needles.enumerated() where needle.count >= 2 && needle.count <= text.count {
            for start in 0...(text.count - needle.count) where text[start..<(start + needle.count)].elementsEqual(needle) {
                found.insert([n, start])
            }
        }
        return found
    }

    func scan(_ matcher: LiteralMatcher, _ text: [UInt8]) -> Set<[Int]> {
        var matches: [LiteralMatcher.Match] = []
        text.withUnsafeBytes { matcher.scan($0, into: &matches) }
        return Set(matches.map { [$0.needle, $0.start] })
    }

    @Test func findsWhatBruteForceFindsOnRandomText() {
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("abcKXQ:/._-\"\\é".utf8)
        for round in 0..<60 {
            // Few anchors (SIMD), many anchors (more than the SIMD limit: the table loop), overlapping needles.
            let needleCount = round % 3 == 0 ? 40 : 6
            let needles: [[UInt8]] = (0..<needleCount).map { _ in
                (0..<Int.random(in: 2...9, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            } + [Array((0..<200).map { UInt8($0 % 256) })]
            let text: [UInt8] = (0..<Int.random(in: 0...3_000, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            let matcher = LiteralMatcher(needles)
            #expect(scan(matcher, text) == naive(needles, in: text), "round \(round)")
        }
    }

    @Test func needlesAtTheVeryStartAndEndAndAnchoredOnTheirLastByte() {
        // "ab~": the only rare byte is last, so it is filed under every following pair.
        let needles = [Array("ab~".utf8), Array("zzQ".utf8), Array("Xy".utf8)]
        let text = Array(("Xy" + String(repeating: "e", count: 70) + "ab~ " + String(repeating: "t", count: 61) + "zzQ").utf8)
        let matcher = LiteralMatcher(needles)
        #expect(scan(matcher, text) == naive(needles, in: text))
        #expect(scan(matcher, text).count == 3)
    }

    @Test func anchorsCoverEveryNeedleWithRareBytes() {
        let anchors = LiteralMatcher.cover([Array(".env.NEXT_PUBLIC_".utf8), Array("AKIA".utf8), Array("https://api.shop.test".utf8)])
        #expect(anchors.count <= 3)
        #expect(!anchors.contains(UInt8(ascii: "e")) && !anchors.contains(UInt8(ascii: "t")))
    }
}

@Suite struct ValueRulesTests {
    @Test func literalFormsEscapeQuotesSlashesAndNonASCII() {
        let forms = Set(ValueRules.literalForms(of: "a/\"é😀"))
        #expect(forms.contains("a/\"é😀"))
        #expect(forms.contains("a\\/\\\"\\u00e9\\ud83d\\ude00"))
        #expect(forms.contains("a/\\\"\\u00E9\\uD83D\\uDE00"))
        #expect(forms.contains("a/\"\\xe9\\ud83d\\ude00"))
        #expect(forms.contains("a/\\\"é😀"))
        #expect(ValueRules.literalForms(of: "plain-value") == ["plain-value"])
    }

    @Test func unverifiableAndPlaceholderValues() {
        for value in ["", "1", "abc", "true", "False", "production", "3000"] {
            #expect(ValueRules.unverifiableReason(value) != nil, "\(value)")
        }
        for value in ["https://a.io", "G-7QX2LK9PZ1", "123456"] { #expect(ValueRules.unverifiableReason(value) == nil, "\(value)") }
        for value in ["http://localhost:3000", "localhost", "http://127.0.0.1/api", "ws://0.0.0.0:8080", "https://example.com",
                      "https://api.example.com/v1", " ", "http://user@localhost"] {
            #expect(ValueRules.placeholderReason(value) != nil, "\(value)")
        }
        for value in ["https://api.shop.io", "https://myexample.com", "https://localhost.shop.io", "https://example.community"] {
            #expect(ValueRules.placeholderReason(value) == nil, "\(value)")
        }
    }
}
