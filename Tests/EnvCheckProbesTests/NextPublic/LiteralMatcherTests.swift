import TestSupport
import Testing

@testable import EnvCheckProbes

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite struct LiteralMatcherTests {
    /// Every prefilter this CPU can run: each must find exactly what brute force finds.
    static let engines: [LiteralMatcher.Engine] = {
        guard case .teddy(let best, _) = LiteralMatcher.Engine.fastest else { return [.anchors, .hashed] }
        return [.anchors, .hashed] + (1...best).flatMap { level in [2, 3].map { .teddy(level: level, width: $0) } }
    }()

    /// Every occurrence, by brute force.
    func naive(_ needles: [[UInt8]], in text: [UInt8]) -> Set<[Int]> {
        var found = Set<[Int]>()
        for (n, needle) in needles.enumerated() where needle.count >= 2 && needle.count <= text.count {
            text.withUnsafeBufferPointer { text in
                needle.withUnsafeBufferPointer { needle in
                    for start in 0...(text.count - needle.count) where text[start] == needle[0] {
                        var k = 1
                        while k < needle.count && text[start + k] == needle[k] { k += 1 }
                        if k == needle.count { found.insert([n, start]) }
                    }
                }
            }
        }
        return found
    }

    func scan(_ matcher: LiteralMatcher, _ text: [UInt8]) -> Set<[Int]> {
        var matches: [LiteralMatcher.Match] = []
        text.withUnsafeBytes { matcher.scan($0, into: &matches) }
        #expect(matches.count == Set(matches.map { [$0.needle, $0.start] }).count, "a match reported twice")
        return Set(matches.map { [$0.needle, $0.start] })
    }

    @Test(arguments: engines) func findsWhatBruteForceFindsOnRandomText(_ engine: LiteralMatcher.Engine) async {
        var rng = SplitMix64()
        let alphabet = Array("abcKXQ:/._-\"\\é".utf8)
        for round in 0..<60 {
            await Task.yield()  // a long test, run beside deadline tests: let theirs run too
            // Few anchors (SIMD), many anchors (more than the SIMD limit: the table loop), overlapping needles.
            let needleCount = round % 3 == 0 ? 40 : 6
            let needles: [[UInt8]] =
                (0..<needleCount).map { _ in
                    (0..<Int.random(in: 2...9, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
                } + [Array((0..<200).map { UInt8($0 % 256) })]
            let text: [UInt8] = (0..<Int.random(in: 0...3_000, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            let matcher = LiteralMatcher(needles, engine: engine)
            #expect(scan(matcher, text) == naive(needles, in: text), "round \(round), seed \(rng.seed)")
        }
    }

    @Test(arguments: engines) func everyNeedleLengthFrom1To64PlantedAnywhere(_ engine: LiteralMatcher.Engine) async {
        var rng = SplitMix64()
        for length in 1...64 {
            await Task.yield()
            // Small alphabets make near misses; the full byte range adds non-ASCII and 0x00.
            let alphabet: [UInt8] = length % 2 == 0 ? Array("xyz/".utf8) : Array(0...255)
            let needles: [[UInt8]] = (0..<3).map { _ in (0..<length).map { _ in alphabet.randomElement(using: &rng)! } }
            // Random bytes with the needles between them, and one at each end.
            var text = needles[0]
            for needle in needles + [needles[1]] {
                text += (0..<Int.random(in: 0...200, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! } + needle
            }
            let matcher = LiteralMatcher(needles, engine: engine)
            let expected = naive(needles, in: text)
            #expect(scan(matcher, text) == expected, "length \(length), seed \(rng.seed)")
            #expect(length == 1 || expected.count >= 5, "length \(length): the planted needles")
        }
    }

    @Test(arguments: engines) func everyTextLengthAndPositionNearTheEnds(_ engine: LiteralMatcher.Engine) async {
        // Short buffers exercise the tail (past the last whole 16- or 32-byte block).
        var rng = SplitMix64()
        let needles = [Array("ab".utf8), Array("ba".utf8), Array("aab".utf8), Array("bbbb".utf8), Array("é".utf8)]
        let alphabet = Array("abé".utf8)
        let matcher = LiteralMatcher(needles, engine: engine)
        for length in 0...100 {
            await Task.yield()
            for _ in 0..<4 {
                let text = (0..<length).map { _ in alphabet.randomElement(using: &rng)! }
                #expect(scan(matcher, text) == naive(needles, in: text), "length \(length), seed \(rng.seed)")
                // Windows of the text, as the streamed chunks are: every match inside one is found.
                let cut = Int.random(in: 0...length, using: &rng)
                #expect(scan(matcher, Array(text[cut...])) == naive(needles, in: Array(text[cut...])), "from \(cut), seed \(rng.seed)")
            }
        }
    }

    @Test(arguments: engines) func aMatchAtEveryPositionOverflowsNothing(_ engine: LiteralMatcher.Engine) {
        // More candidates than the kernel's output buffer holds at once.
        let needles = [Array("aa".utf8), Array("aaa".utf8), [UInt8](repeating: UInt8(ascii: "a"), count: 64)]
        let text = [UInt8](repeating: UInt8(ascii: "a"), count: 5_000)
        let found = scan(LiteralMatcher(needles, engine: engine), text)
        #expect(found.count == 4_999 + 4_998 + 4_937)
    }

    @Test(arguments: engines) func manyNeedlesShareBuckets(_ engine: LiteralMatcher.Engine) {
        var rng = SplitMix64()
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        let needles: [[UInt8]] = (0..<80).map { _ in (0..<Int.random(in: 8...40, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! } }
        var text: [UInt8] = (0..<8_000).map { _ in alphabet.randomElement(using: &rng)! }
        for needle in needles where Bool.random(using: &rng) { text.insert(contentsOf: needle, at: Int.random(in: 0...text.count, using: &rng)) }
        let expected = naive(needles, in: text)
        #expect(scan(LiteralMatcher(needles, engine: engine), text) == expected, "seed \(rng.seed)")
        #expect(expected.count >= 25)
    }

    /// Past ``LiteralMatcher/Engine/manyNeedles`` the matcher takes the hash filter: two
    /// thousand needles (some of 2 and 3 bytes, which it hands to an anchor plan), planted.
    @Test func thousandsOfNeedlesTakeTheHashFilterAndFindEverything() {
        var rng = SplitMix64()
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        let needles: [[UInt8]] =
            (0..<2000).map { _ in (0..<Int.random(in: 6...40, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! } }
            + [Array("Q~".utf8), Array("~Z~".utf8), Array("abc".utf8)]
        var text: [UInt8] = (0..<60_000).map { _ in alphabet.randomElement(using: &rng)! }
        for needle in needles where Int.random(in: 0..<4, using: &rng) == 0 {
            text.insert(contentsOf: needle, at: Int.random(in: 0...text.count, using: &rng))
        }
        text += Array("Q~Z~".utf8)
        #expect(LiteralMatcher.Engine.automatic.resolved(forNeedles: needles.count) == .hashed)
        let matcher = LiteralMatcher(needles, engine: .automatic)
        let expected = naive(needles, in: text)
        #expect(scan(matcher, text) == expected, "seed \(rng.seed)")
        #expect(expected.count >= 400)
    }

    @Test(arguments: engines) func nonASCIIValuesAndTheirEscapedForms(_ engine: LiteralMatcher.Engine) {
        let forms = ValueRules.literalForms(of: "Café \"Zürich\" 😀/x").map { Array($0.utf8) }
        let text = Array(forms.map { "var a=\"" + String(decoding: $0, as: UTF8.self) + "\";" }.joined(separator: "ü").utf8)
        let found = scan(LiteralMatcher(forms, engine: engine), text)
        #expect(found == naive(forms, in: text))
        #expect(Set(found.map { $0[0] }) == Set(forms.indices))
    }

    @Test(arguments: engines) func needlesAtTheVeryStartAndEndAndAnchoredOnTheirLastByte(_ engine: LiteralMatcher.Engine) {
        // "ab~": the only rare byte is last, so it is filed under every following pair.
        let needles = [Array("ab~".utf8), Array("zzQ".utf8), Array("Xy".utf8)]
        let text = Array(("Xy" + String(repeating: "e", count: 70) + "ab~ " + String(repeating: "t", count: 61) + "zzQ").utf8)
        let matcher = LiteralMatcher(needles, engine: engine)
        #expect(scan(matcher, text) == naive(needles, in: text))
        #expect(scan(matcher, text).count == 3)
    }

    @Test func anchorsCoverEveryNeedleWithRareBytes() {
        let anchors = AnchorPlan.cover([Array(".env.NEXT_PUBLIC_".utf8), Array("AKIA".utf8), Array("https://api.shop.test".utf8)])
        #expect(anchors.count <= 3)
        #expect(!anchors.contains(UInt8(ascii: "e")) && !anchors.contains(UInt8(ascii: "t")))
    }

    @Test func teddyFingerprintsAreEachNeedlesRarestWindow() {
        #expect((5...12).contains(ByteFrequency.rarestWindow(in: Array(".env.NEXT_PUBLIC_".utf8))), "inside NEXT_PUBLIC, not .env")
        #expect(ByteFrequency.rarestWindow(in: Array("AKIA".utf8)) <= 1)
        #expect(ByteFrequency.rarestWindow(in: Array("ab".utf8)) == 0)
    }

    @Test func teddyTakesTwoBytesForRareFingerprintsAndThreeForCommonOnes() {
        guard case .teddy(let level, _) = LiteralMatcher.Engine.fastest else { return }
        let rare = TeddyPlan([Array("AKIA".utf8), Array(".env.NEXT_PUBLIC_".utf8)], usable: [0, 1], level: level)
        #expect(rare.width == 2)
        // 40 lowercase words: every bucket holds several, and 2 bytes would match too often.
        var rng = SplitMix64()
        let words = (0..<40).map { _ in (0..<8).map { _ in UInt8.random(in: 0x61...0x7A, using: &rng) } }
        #expect(TeddyPlan(words, usable: Array(words.indices), level: level).width == 3)
    }

    @Test func theFastestEngineOnX86IsTeddy() {
        #if arch(x86_64)
            // Every x86-64 CPU made since about 2010 has SSSE3.
            #expect(LiteralMatcher.Engine.fastest != .anchors)
        #else
            #expect(LiteralMatcher.Engine.fastest == .anchors)
        #endif
    }

    @Test func theKernelVariablePicksOnlyAnEngineTheCPURuns() {
        func chosen(_ knob: String?, _ cpuLevel: Int32) -> LiteralMatcher.Engine {
            LiteralMatcher.Engine.chosen(by: knob, cpuLevel: cpuLevel)
        }
        #expect(chosen("anchors", 2) == .anchors)
        #expect(chosen("ssse3", 2) == .teddy(level: 1))
        #expect(chosen("AVX2", 2) == .teddy(level: 2))
        #expect(chosen("anchors", 0) == .anchors)
        #expect(chosen("hash", 0) == .hashed && chosen("HASH", 2) == .hashed)
        // Unset, unknown or beyond the CPU: chosen by the needle count.
        for knob in [nil, "", "avx512", "sse2", "teddy", " avx2"] {
            #expect(chosen(knob, 2) == .automatic, "\(knob ?? "nil")")
            #expect(chosen(knob, 0) == .automatic, "\(knob ?? "nil")")
        }
        #expect(chosen("avx2", 1) == .automatic)
        #expect(chosen("ssse3", 0) == .automatic)
        #expect(chosen("avx2", 0) == .automatic)
        #expect(LiteralMatcher.Engine.automatic.resolved(forNeedles: 12) == .fastest)
        #expect(LiteralMatcher.Engine.automatic.resolved(forNeedles: LiteralMatcher.Engine.manyNeedles + 1) == .hashed)
        #expect(LiteralMatcher.Engine.anchors.resolved(forNeedles: 5000) == .anchors)
        // This CPU: never a level it lacks; without the variable the matcher takes the fastest.
        for knob in ["anchors", "ssse3", "avx2", "avx512"] {
            if case .teddy(let level, _) = chosen(knob, TeddyPlan.bestLevel) { #expect(level <= TeddyPlan.bestLevel, "\(knob)") }
        }
        if getenv(LiteralMatcher.Engine.kernelVariable) == nil { #expect(LiteralMatcher.Engine.best == .automatic) }
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
        for value in [
            "http://localhost:3000", "localhost", "http://127.0.0.1/api", "ws://0.0.0.0:8080", "https://example.com",
            "https://api.example.com/v1", " ", "http://user@localhost",
        ] {
            #expect(ValueRules.placeholderReason(value) != nil, "\(value)")
        }
        for value in ["https://api.shop.io", "https://myexample.com", "https://localhost.shop.io", "https://example.community"] {
            #expect(ValueRules.placeholderReason(value) == nil, "\(value)")
        }
    }
}
