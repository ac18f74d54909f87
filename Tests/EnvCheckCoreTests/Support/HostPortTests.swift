import EnvCheckCore
import Testing

@Suite("host:port")
struct HostPortTests {
    @Test(
        arguments: [
            ("cache", "cache", nil),
            ("Cache.Example:6380", "cache.example", 6380),
            ("10.0.0.1:1", "10.0.0.1", 1),
            ("h:65535", "h", 65535),
            ("h:0080", "h", 80),
            ("h:", "h", nil),  // RFC 3986: an empty port is no port
            ("[::1]", "::1", nil),
            ("[::1]:7000", "::1", 7000),
            ("[FE80::1]:", "fe80::1", nil),
        ] as [(String, String, Int?)])
    func parses(text: String, host: String, port: Int?) throws {
        #expect(try HostPort.parse(text) == HostPort(host: host, port: port))
    }

    @Test(arguments: [
        ("h:0", "port"),
        ("h:65536", "port"),
        ("h:99999999999999999999999", "port"),
        ("h:+80", "port"),
        ("h:8 0", "port"),
        ("h:٨٠", "port"),
        ("h:cnrypw1234", "port"),
        ("[::1", "closing ']'"),
        ("[::1]x", "after the IPv6 address"),
        ("[::1]:0", "port"),
        ("[]", "not an IPv6 address"),
        ("[cache]:1", "not an IPv6 address"),
        ("::1", "more than one ':'"),
        ("h:1:2", "more than one ':'"),
        ("ca]che", "stray"),
        ("", "host is empty"),
        (":6379", "host is empty"),
    ])
    func rejectsWithAReasonThatDoesNotQuoteTheText(text: String, mentions: String) throws {
        let reason = try #require(rejection(text), "\(text) was accepted")
        #expect(reason.contains(mentions), "\(reason)")
        #expect(!reason.contains("cnrypw1234"))
        if text.count > 3 { #expect(!reason.contains(text)) }
    }

    /// The reason `text` is rejected; nil when it parses.
    private func rejection(_ text: String) -> String? {
        do throws(HostPort.ParseError) {
            _ = try HostPort.parse(text)
            return nil
        } catch {
            return error.reason
        }
    }

    @Test func anEmptyHostOnlyWhenAllowed() throws {
        #expect(try HostPort.parse("", allowEmptyHost: true) == HostPort(host: ""))
        #expect(try HostPort.parse(":6380", allowEmptyHost: true) == HostPort(host: "", port: 6380))
        #expect(throws: HostPort.ParseError.self) { try HostPort.parse("[]", allowEmptyHost: true) }
    }

    @Test func writesIPv6InBrackets() {
        #expect(HostPort(host: "::1", port: 7000).description == "[::1]:7000")
        #expect(HostPort(host: "::1").uriHost == "[::1]")
        #expect(HostPort(host: "cache", port: 6379).description == "cache:6379")
        #expect(HostPort(host: "cache").description == "cache")
        #expect(!HostPort(host: "10.0.0.1").isIPv6)
    }
}
