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

    @Test func roughDurationsReadAsPeopleWriteThem() {
        #expect(DurationText.rough(.milliseconds(750)) == "750ms")
        #expect(DurationText.rough(.seconds(45)) == "45s")
        #expect(DurationText.rough(.seconds(3 * 3600 + 12 * 60 + 5)) == "3h12m")
        #expect(DurationText.rough(.seconds(2 * 86_400 + 4 * 3600)) == "2d4h")
        #expect(DurationText.rough(.seconds(86_400)) == "1d")
        #expect(DurationText.rough(.seconds(86_400 + 30)) == "1d")
    }
}
