import EnvCheckCore
import ProbeTestSupport
import Testing

@testable import EnvCheckProbes

/// The RESP session over a scripted byte stream (the shared ``FakeByteStream``): what it
/// writes, replies split across reads, and how a broken stream or garbage ends a call.
@Suite struct RESPConnectionTests {
    func session(_ reads: [FakeByteStream.Read]) throws -> (RESPConnection, FakeByteStream) {
        let stream = FakeByteStream(reads)
        return (try #require(RESPConnection(stream: stream, info: RedisConnectionInfo(connectMs: 0))), stream)
    }

    @Test func aCommandIsWrittenAsARESPArrayAndASplitReplyIsReassembled() throws {
        let (session, stream) = try session([.text("+PO"), .text("NG\r"), .text("\n")])
        #expect(try session.call(["PING"], deadline: .after(.seconds(1))) == .status("PONG"))
        #expect(stream.writtenText == "*1\r\n$4\r\nPING\r\n")
    }

    @Test func everyReplyTypeDecodes() throws {
        let (session, stream) = try session([.text("$5\r\nhello\r\n:42\r\n-ERR no\r\n*2\r\n$1\r\na\r\n$-1\r\n")])
        let deadline = Deadline.after(.seconds(1))
        #expect(try session.call(["GET", "k"], deadline: deadline) == .string(Array("hello".utf8)))
        #expect(try session.call(["DEL", "k"], deadline: deadline) == .integer(42))
        #expect(try session.call(["X"], deadline: deadline) == .error("ERR no"))
        #expect(try session.call(["MGET", "a", "b"], deadline: deadline) == .array([.string(Array("a".utf8)), .null]))
        #expect(stream.writtenText.hasPrefix("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n"))
    }

    @Test func aClosedOrFailingStreamOrGarbageEndsTheCall() throws {
        #expect(throws: RedisSessionError.net(.closed)) { try session([.text("+PO"), .closed]).0.call(["PING"], deadline: .after(.seconds(1))) }
        #expect(throws: RedisSessionError.net(.timeout)) { try session([.failure(.timeout)]).0.call(["PING"], deadline: .after(.seconds(1))) }
        #expect {
            try session([.text("HTTP/1.1 400 Bad Request\r\n")]).0.call(["PING"], deadline: .after(.seconds(1)))
        } throws: { error in
            guard case RedisSessionError.protocolViolation = error else { return false }
            return true
        }
    }
}
