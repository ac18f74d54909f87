import Testing

@testable import EnvCheckCore

struct TimestampParsingTests {
    @Test(arguments: [
        ("1970-01-01T00:00:00Z", Int64(0)),
        ("2026-11-29T07:25:33.123Z", Int64(1_795_937_133_123)),
        ("2026-11-29T07:25:33Z", Int64(1_795_937_133_000)),
        ("2026-11-29 07:25:33.123456789+00:00", Int64(1_795_937_133_123)),
        ("2026-11-29T09:25:33.123+02:00", Int64(1_795_937_133_123)),
        ("2026-11-29T02:25:33.123-0500", Int64(1_795_937_133_123)),
        ("2026-11-29T07:25:33.1z", Int64(1_795_937_133_100)),
        ("2026-11-29T07:25", Int64(1_795_937_100_000)),
        ("2026-11-29", Int64(1_795_910_400_000)),
        ("2024-02-29T00:00:00Z", Int64(1_709_164_800_000)),
        ("1969-12-31T23:59:59Z", Int64(-1000)),
    ])
    func parses(_ text: String, _ epochMs: Int64) {
        #expect(Timestamp.parseISO8601(text) == epochMs)
    }

    @Test(arguments: [
        "", "2026", "2026-13-01", "2025-02-29", "2026-11-31", "2026-11-29T25:00:00Z",
        "2026-11-29T07:25:33Zjunk", "2026-11-29T07:25:33.Z", "2026-11-29T07:25:33+2", "yesterday",
        "2026-11-29T07:25:33+02:00:00",
    ])
    func rejects(_ text: String) {
        #expect(Timestamp.parseISO8601(text) == nil)
    }

    @Test func roundTripsWithTheFormatter() {
        for ms: Int64 in [0, 1, 86_399_999, 951_782_400_000, 4_102_444_800_000, 1_795_937_133_123] {
            #expect(Timestamp.parseISO8601(Timestamp.iso8601(epochMs: ms)) == ms)
        }
    }
}
