import EnvCheckCore
import Testing

@testable import EnvCheckProbes

@Suite("resolver")
struct ResolverTests {
    @Test func numericAndLocalNamesResolve() throws {
        let v4 = try Resolver.resolve(host: "127.0.0.1", port: 5432, deadline: .after(.seconds(5)))
        #expect(v4.map(\.ip) == ["127.0.0.1"])
        let v6 = try Resolver.resolve(host: "::1", port: 5432, deadline: .after(.seconds(5)))
        #expect(v6.map(\.ip) == ["::1"])
        #expect(PostgresProbe.addresses(of: "127.0.0.1", by: .after(.seconds(5))) == ["127.0.0.1"])
    }

    @Test func unresolvableNamesAreDNSErrors() {
        #expect(throws: NetError.self) { try Resolver.resolve(host: "nonexistent.invalid", port: 1, deadline: .after(.seconds(5))) }
        #expect(PostgresProbe.addresses(of: "nonexistent.invalid", by: .after(.seconds(5))) == [])
    }

    @Test func aPassedDeadlineIsATimeoutWhateverTheLookupWouldSay() {
        #expect(throws: NetError.timeout) { try Resolver.resolve(host: "127.0.0.1", port: 1, deadline: .now) }
        #expect(PostgresProbe.addresses(of: "127.0.0.1", by: .now) == nil)
    }
}
