import TestSupport

/// redis: the password reaches a stand-in that rejects AUTH quoting it.
public enum RedisFixture: ProbeFixture {
    public static let kind = "redis"

    public static func leaking(_ s: LeakServers) throws -> CanaryInputs {
        let password = Canary.make("redispw")
        return CanaryInputs(
            inputs: ["url": "redis://default:\(password)@127.0.0.1:\(s.redis.port)/0"],
            canaries: [password], mustReach: [password], received: { s.redis.received })
    }

    /// The password in the query string (`?password=`), not the userinfo.
    public static func oddRoutes(_ s: LeakServers) throws -> [CanaryInputs] {
        let password = Canary.make("redisq")
        return [
            CanaryInputs(
                inputs: ["url": "redis://127.0.0.1:\(s.redis.port)/0?password=\(password)"],
                canaries: [password], mustReach: [password], received: { s.redis.received })
        ]
    }

    public static func hung(port: Int, dir: TempDir) throws -> [String: String]? {
        ["url": "redis://127.0.0.1:\(port)/0"]
    }
}
