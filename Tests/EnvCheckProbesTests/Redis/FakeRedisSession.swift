import EnvCheckCore

@testable import EnvCheckProbes

/// A scripted server: one reply (or transport error) per command name; records the calls.
final class FakeRedisSession: RedisSession, @unchecked Sendable {
    var info = RedisConnectionInfo(connectMs: 1)
    var replies: [String: Result<RedisReply, RedisSessionError>]
    private(set) var calls: [[String]] = []
    /// Called with each command before it is answered (a test may stop the probe there).
    var onCall: (([String]) -> Void)?

    init(_ replies: [String: Result<RedisReply, RedisSessionError>] = [:]) {
        self.replies = [
            "AUTH": .success(.status("OK")), "SELECT": .success(.status("OK")), "PING": .success(.status("PONG")),
            "INFO": .success(.string(Array("# Server\r\nredis_version:7.2.4\r\nrole:master\r\n".utf8))),
            "SET": .success(.status("OK")), "DEL": .success(.integer(1)),
        ].merging(replies) { $1 }
    }

    func call(_ arguments: [String], deadline: Deadline) throws(RedisSessionError) -> RedisReply {
        calls.append(arguments)
        onCall?(arguments)
        if arguments[0] == "GET", replies["GET"] == nil,
            let set = calls.last(where: { $0[0] == "SET" && $0[1] == arguments[1] })
        {
            return .string(Array(set[2].utf8))
        }
        return try (replies[arguments[0]] ?? .success(.error("ERR unknown command"))).get()
    }
}

struct FakeRedisConnector: RedisConnector, @unchecked Sendable {
    let session: FakeRedisSession?
    var failure: ProbeFailure?

    func connect(to target: RedisTarget, deadline: Deadline) throws(ProbeFailure) -> any RedisSession {
        if let failure { throw failure }
        return session!
    }
}
