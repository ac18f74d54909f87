import Testing

@testable import EnvCheckProbes

@Suite("per-target keys of URLs")
struct CurlURLTargetTests {
    @Test func oneServerOneKeyHoweverTheURLSpellsIt() {
        #expect(CurlURL.target(of: "HTTPS://Example.COM/v1") == "example.com:443")
        #expect(CurlURL.target(of: "https://example.com:443/other/path?q=1") == "example.com:443")
        #expect(CurlURL.target(of: "http://example.com") == "example.com:80")
        #expect(CurlURL.target(of: "http://user:pw@[::1]:8080/x") == "[::1]:8080")
        #expect(CurlURL.target(of: "http://127.0.0.1:4318/v1/traces") == "127.0.0.1:4318")
        // Not a URL libcurl reads: its own key, as written (the redactor knows its secrets
        // only as given), so the limit still holds.
        #expect(CurlURL.target(of: "Not A URL with PassWord") == "Not A URL with PassWord")
    }
}
