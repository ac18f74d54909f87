import Testing

@testable import EnvCheckCore

@Suite("did you mean")
struct SpellingTests {
    let keys = ["DATABASE_URL", "REDIS_URL", "S3_BUCKET", "S3_SECRET_KEY", "OPENROUTER_API_KEY"]

    @Test func oneSlipFindsTheKnownName() {
        #expect(Spelling.suggestion(for: "DATABSE_URL", among: keys) == "DATABASE_URL")  // a letter left out
        #expect(Spelling.suggestion(for: "DATABASE_URI", among: keys) == "DATABASE_URL")  // one replaced
        #expect(Spelling.suggestion(for: "DTAABASE_URL", among: keys) == "DATABASE_URL")  // two swapped
        #expect(Spelling.suggestion(for: "database_url", among: keys) == "DATABASE_URL")  // case
        #expect(Spelling.suggestion(for: "OPENROUTER_APIKEY", among: keys) == "OPENROUTER_API_KEY")
        #expect(Spelling.suggestion(for: "chek", among: ["check", "healthcheck", "config", "list", "keys"]) == "check")
        #expect(Spelling.suggestion(for: "postgress", among: ["postgres", "s3", "redis"]) == "postgres")
    }

    @Test func farOffOrIdenticalNamesGetNothing() {
        #expect(Spelling.suggestion(for: "FEATURE_FLAGS", among: keys) == nil)
        #expect(Spelling.suggestion(for: "DATABASE_URL", among: keys) == nil)
        #expect(Spelling.suggestion(for: "S4", among: ["S3_BUCKET"]) == nil)
        #expect(Spelling.suggestion(for: "HOME", among: keys) == nil)
        #expect(Spelling.suggestion(for: "", among: keys) == nil)
        #expect(Spelling.suggestion(for: String(repeating: "A", count: 10_000), among: keys) == nil)
    }

    @Test func shortNamesAllowOneEditLongOnesMore() {
        #expect(Spelling.suggestion(for: "lits", among: ["list"]) == "list")
        #expect(Spelling.suggestion(for: "lxyt", among: ["list"]) == nil)
        #expect(Spelling.suggestion(for: "REDSI_URX", among: ["REDIS_URL"]) == "REDIS_URL")
        #expect(Spelling.distance(Array("kitten".utf8), Array("sitting".utf8), limit: 5) == 3)
        #expect(Spelling.distance(Array("abc".utf8), Array("xyzxyz".utf8), limit: 2) == 3)
    }

    /// The prepared candidates skip most comparisons by a character-count bound: on random
    /// slips of known names they must answer exactly as comparing every name would.
    @Test func thePreparedCandidatesAnswerAsComparingEveryNameWould() {
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_".utf8)
        let names = (0..<200).map { _ in
            String(decoding: (0..<Int.random(in: 2...24, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }, as: UTF8.self)
        }
        var prepared = Spelling.Candidates(names)
        var suggested = 0
        for _ in 0..<2000 {
            var bytes = Array(names.randomElement(using: &rng)!.utf8)
            for _ in 0..<Int.random(in: 0...4, using: &rng) {
                let i = Int.random(in: 0..<max(bytes.count, 1), using: &rng)
                switch Int.random(in: 0..<4, using: &rng) {
                case 0 where !bytes.isEmpty: bytes.remove(at: i)
                case 1: bytes.insert(alphabet.randomElement(using: &rng)!, at: min(i, bytes.count))
                case 2 where i + 1 < bytes.count: bytes.swapAt(i, i + 1)
                default: if !bytes.isEmpty { bytes[i] = alphabet.randomElement(using: &rng)! }
                }
            }
            let target = String(decoding: bytes, as: UTF8.self)
            let limit = bytes.count <= 4 ? 1 : bytes.count <= 12 ? 2 : 3
            var expected: (name: String, distance: Int)?
            for name in names where name != target && abs(name.utf8.count - bytes.count) <= limit {
                let d = Spelling.distance(bytes, Array(name.utf8), limit: limit)
                if d <= limit, d < (expected?.distance ?? Int.max) { expected = (name, d) }
            }
            let answer = prepared.suggestion(for: target)
            #expect(answer == expected?.name, "\(target)")
            if answer != nil { suggested += 1 }
        }
        // The premise: most slips are close enough to get an answer.
        #expect(suggested > 1000)
    }

    @Test func roughDurationsReadAsPeopleWriteThem() {
        #expect(DurationText.rough(.milliseconds(750)) == "750ms")
        #expect(DurationText.rough(.seconds(45)) == "45s")
        #expect(DurationText.rough(.seconds(3 * 3600 + 12 * 60 + 5)) == "3h12m")
        #expect(DurationText.rough(.seconds(2 * 86_400 + 4 * 3600)) == "2d4h")
        #expect(DurationText.rough(.seconds(86_400)) == "1d")
        #expect(DurationText.rough(.seconds(86_400 + 30)) == "1d")
    }
}
