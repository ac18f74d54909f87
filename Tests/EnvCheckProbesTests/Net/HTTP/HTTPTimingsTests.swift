import EnvCheckCore
import EnvCheckProbes
import Testing

@Suite struct HTTPTimingsTests {
    /// The one `timings_ms` shape the S3 and OpenRouter probes both report.
    @Test func detailsNameEveryPhaseInOrder() {
        let details = HTTPTimings(dnsMs: 1, connectMs: 2, tlsMs: 3, firstByteMs: 4, totalMs: 10).details
        #expect(details.keys == ["dns", "connect", "tls", "first_byte", "total"])
        #expect(details["dns"] == 1 && details["connect"] == 2 && details["tls"] == 3)
        #expect(details["first_byte"] == 4 && details["total"] == 10)
    }
}
