import EnvCheckCore
import TestSupport
import Testing

@Suite("literal set (Aho-Corasick)")
struct LiteralSetTests {
    /// What the automaton must give: every byte some string covers, overlapping ranges merged.
    func naive(_ strings: [String], _ text: String) -> [Range<Int>] {
        let bytes = Array(text.utf8)
        var matches: [Range<Int>] = []
        for string in Set(strings) where !string.isEmpty {
            let pattern = Array(string.utf8)
            guard pattern.count <= bytes.count else { continue }
            for i in 0...(bytes.count - pattern.count) where Array(bytes[i..<(i + pattern.count)]) == pattern {
                matches.append(i..<(i + pattern.count))
            }
        }
        // Merge overlapping (not merely adjacent) matches.
        var merged: [Range<Int>] = []
        for m in matches.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = merged.last, m.lowerBound < last.upperBound {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, m.upperBound)
            } else {
                merged.append(m)
            }
        }
        return merged
    }

    @Test func findsWhatANaiveSearchFindsOnRandomTexts() {
        var rng = SplitMix64(seed: 0x5EC2E7)
        for round in 0..<300 {
            // A small alphabet forces overlaps, shared prefixes and suffix chains.
            let alphabet = Array("abc".utf8) + (round % 3 == 0 ? Array("xyz%=".utf8) : [])
            func word(_ n: Int) -> String { String(decoding: (0..<n).map { _ in alphabet.randomElement(using: &rng)! }, as: UTF8.self) }
            let strings = (0..<Int.random(in: 1...40, using: &rng)).map { _ in word(Int.random(in: 1...7, using: &rng)) }
            let text = word(Int.random(in: 0...120, using: &rng))
            let set = LiteralSet(strings)
            #expect(set.coveredRanges(in: text) == naive(strings, text), "seed round \(round): \(strings) in \(text)")
        }
    }

    @Test func aLongMatchStartingBeforeEarlierOnesAbsorbsThem() {
        let set = LiteralSet(["bc", "de", "abcdefg"])
        #expect(set.coveredRanges(in: "xabcdefgx") == [1..<8])
        #expect(set.coveredRanges(in: "bcde") == [0..<2, 2..<4])  // adjacent stay apart
    }

    @Test func utf8AndEmptyStrings() {
        let set = LiteralSet(["", "pässwörd", "ö"])
        #expect(set.count == 2)
        let text = "x pässwörd ö"
        #expect(set.coveredRanges(in: text) == naive(["pässwörd", "ö"], text))
        #expect(LiteralSet([String]()).coveredRanges(in: "anything").isEmpty)
    }

    @Test func thousandsOfStringsAtOnce() {
        var rng = SplitMix64(seed: 42)
        let chars = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)
        let secrets = (0..<5000).map { _ in String(decoding: (0..<32).map { _ in chars.randomElement(using: &rng)! }, as: UTF8.self) }
        let set = LiteralSet(secrets)
        #expect(set.count == 5000)
        let text = "head " + secrets[4321] + " middle " + secrets[7] + secrets[8] + " tail"
        #expect(set.coveredRanges(in: text) == [5..<37, 45..<77, 77..<109])
    }
}
