import CHiredis
import EnvCheckCore

#if canImport(Glibc)
    import Glibc
#endif

/// A Redis session over any ``ByteStream``: the one file that imports hiredis and owns its
/// pointers. hiredis 0.14.1 is used as a RESP codec only (`redisFormatCommandArgv` to
/// encode, a `redisReader` to decode): its own connections have no TLS and no read
/// timeout (docs/protocols.md §5), so the socket, TLS and deadlines are the stream's.
final class RESPConnection: RedisSession {
    let info: RedisConnectionInfo
    private let stream: any ByteStream
    private let reader: UnsafeMutablePointer<redisReader>

    init?(stream: any ByteStream, info: RedisConnectionInfo) {
        guard let reader = redisReaderCreate() else { return nil }
        self.reader = reader
        self.stream = stream
        self.info = info
    }

    deinit { redisReaderFree(reader) }

    func call(_ arguments: [String], deadline: Deadline) throws(RedisSessionError) -> RedisReply {
        let request = Self.encode(arguments)
        do {
            try stream.write(request, deadline: deadline)
            while true {
                if let reply = try nextReply() { return reply }
                let bytes = try stream.read(maximum: 16 * 1024, deadline: deadline)
                if bytes.isEmpty { throw RedisSessionError.net(.closed) }
                _ = bytes.withUnsafeBytes { redisReaderFeed(reader, $0.baseAddress?.assumingMemoryBound(to: CChar.self), $0.count) }
            }
        } catch let error as NetError {
            throw .net(error)
        } catch let error as RedisSessionError {
            throw error
        } catch {
            throw .protocolViolation("unexpected error")
        }
    }

    /// A complete reply from the bytes fed so far, or nil when more are needed.
    private func nextReply() throws(RedisSessionError) -> RedisReply? {
        var raw: UnsafeMutableRawPointer?
        guard redisReaderGetReply(reader, &raw) == REDIS_OK else {
            let reason = withUnsafeBytes(of: &reader.pointee.errstr) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            throw .protocolViolation(reason)
        }
        guard let raw else { return nil }
        defer { freeReplyObject(raw) }
        return Self.convert(raw.assumingMemoryBound(to: redisReply.self))
    }

    private static func convert(_ reply: UnsafeMutablePointer<redisReply>) -> RedisReply {
        let r = reply.pointee
        let bytes = { r.str.map { Array(UnsafeRawBufferPointer(start: $0, count: r.len)) } ?? [] }
        switch r.type {
        case REDIS_REPLY_STATUS: return .status(String(decoding: bytes(), as: UTF8.self))
        case REDIS_REPLY_ERROR: return .error(String(decoding: bytes(), as: UTF8.self))
        case REDIS_REPLY_STRING: return .string(bytes())
        case REDIS_REPLY_INTEGER: return .integer(r.integer)
        case REDIS_REPLY_ARRAY:
            return .array((0..<r.elements).compactMap { i in r.element[i].map { convert($0) } })
        default: return .null
        }
    }

    /// RESP request bytes, binary-safe. The copies that held the arguments (a password)
    /// are zeroed before they are freed.
    private static func encode(_ arguments: [String]) -> [UInt8] {
        let buffers = arguments.map { argument -> UnsafeMutableBufferPointer<CChar> in
            let utf8 = Array(argument.utf8)
            let buffer = UnsafeMutableBufferPointer<CChar>.allocate(capacity: max(1, utf8.count))
            for (i, b) in utf8.enumerated() { buffer[i] = CChar(bitPattern: b) }
            return buffer
        }
        defer {
            for buffer in buffers {
                memset(buffer.baseAddress!, 0, buffer.count)
                buffer.deallocate()
            }
        }
        var argv = buffers.map { UnsafePointer<CChar>?(UnsafePointer($0.baseAddress!)) }
        var lengths = arguments.map { $0.utf8.count }
        var target: UnsafeMutablePointer<CChar>?
        let length = redisFormatCommandArgv(&target, Int32(arguments.count), &argv, &lengths)
        guard length > 0, let target else { return [] }
        defer {
            memset(target, 0, Int(length))
            redisFreeCommand(target)
        }
        return Array(UnsafeRawBufferPointer(start: target, count: Int(length)))
    }
}
