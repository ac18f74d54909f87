import TestSupport

/// postgres: the password reaches a stand-in that asks for it in clear text and quotes it.
public enum PostgresFixture: ProbeFixture {
    public static let kind = "postgres"

    public static func leaking(_ s: LeakServers) throws -> CanaryInputs {
        let password = Canary.make("pgpw") + "/+="
        let encoded = password.replacingOccurrences(of: "/", with: "%2F").replacingOccurrences(of: "+", with: "%2B").replacingOccurrences(of: "=", with: "%3D")
        return CanaryInputs(
            inputs: ["url": "postgresql://app:\(encoded)@127.0.0.1:\(s.postgres.port)/app?sslmode=disable"],
            canaries: [password], mustReach: [password], received: { s.postgres.received })
    }

    /// A password with unencoded `@` (`invalid_url`, and no part of it shown); a keyword
    /// conninfo password.
    public static func oddRoutes(_ s: LeakServers) throws -> [CanaryInputs] {
        let a = Canary.make("pgat1")
        let b = Canary.make("pgat2")
        let keyword = Canary.make("pgkw")
        return [
            CanaryInputs(inputs: ["url": "postgres://app:\(a)@\(b)@127.0.0.1:\(s.postgres.port)/app"], canaries: [a, b]),
            // Keyword conninfo: the password is no URL userinfo, and still reaches the server.
            CanaryInputs(
                inputs: ["url": "host=127.0.0.1 port=\(s.postgres.port) user=app password=\(keyword) dbname=app sslmode=disable"],
                canaries: [keyword], mustReach: [keyword], received: { s.postgres.received }),
        ]
    }

    public static func hung(port: Int, dir: TempDir) throws -> [String: String]? {
        ["url": "postgres://app:pw@127.0.0.1:\(port)/app?sslmode=disable"]
    }
}
