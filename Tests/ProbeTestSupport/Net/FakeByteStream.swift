import EnvCheckCore
import EnvCheckProbes
import Foundation

/// A ``ByteStream`` that plays a scripted server: each read returns the next chunk (so a
/// reply can arrive split anywhere), or throws the next scripted error; writes are
/// recorded. The seam of every kind that speaks a protocol over ``Socket``/``TLSStream``
/// (the Redis session does; a `tcp`-like kind would), next to ``FakeHTTPTransport``.
public final class FakeByteStream: ByteStream, @unchecked Sendable {
    /// What one read gives.
    public enum Read: Sendable {
        case bytes([UInt8])
        /// End of stream: the peer closed.
        case closed
        case failure(NetError)

        public static func text(_ s: String) -> Read { .bytes(Array(s.utf8)) }
    }

    private let lock = NSLock()
    private var reads: [Read]
    private var written: [UInt8] = []
    private var writeFailure: NetError?

    /// Reads, in order; once they run out, every read is end of stream.
    public init(_ reads: [Read], failWritesWith writeFailure: NetError? = nil) {
        self.reads = reads
        self.writeFailure = writeFailure
    }

    /// Everything written so far.
    public var writes: [UInt8] { lock.withLock { written } }
    public var writtenText: String { String(decoding: writes, as: UTF8.self) }

    public func write(_ bytes: [UInt8], deadline: Deadline) throws(NetError) {
        let failure: NetError? = lock.withLock {
            if let writeFailure { return writeFailure }
            written += bytes
            return nil
        }
        if let failure { throw failure }
    }

    public func read(maximum: Int, deadline: Deadline) throws(NetError) -> [UInt8] {
        let next: Read = lock.withLock {
            guard !reads.isEmpty else { return .closed }
            let read = reads.removeFirst()
            // A chunk longer than `maximum` is served in several reads, as a socket would.
            if case .bytes(let bytes) = read, bytes.count > maximum {
                reads.insert(.bytes(Array(bytes[maximum...])), at: 0)
                return .bytes(Array(bytes[..<maximum]))
            }
            return read
        }
        switch next {
        case .bytes(let bytes): return bytes
        case .closed: return []
        case .failure(let error): throw error
        }
    }
}
