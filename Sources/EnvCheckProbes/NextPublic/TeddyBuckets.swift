/// The needles of each Teddy bucket, flattened for the check at each candidate the kernel
/// reports: no reference counting on the way, and one 8-byte compare rejects nearly every
/// false candidate before any byte-by-byte comparison.
struct TeddyBuckets: Sendable {
    /// Words 0...8: where the entries of bucket b start (`table[b]..<table[b + 1]`, counted
    /// in entries); then 4 words per entry: the needle's first 8 bytes (little-endian,
    /// zero-padded), their mask, `needle << 32 | fingerprint offset`, and
    /// `start in bytes << 32 | length`.
    private let table: [UInt64]
    /// Every needle's bytes, one after another.
    private let bytes: [UInt8]

    /// `buckets[b]`: the needles of bucket b, each with where its fingerprint starts.
    init(_ buckets: [[(needle: Int, offset: Int)]], needles: [[UInt8]]) {
        var table = [UInt64](repeating: 0, count: 9)
        var bytes: [UInt8] = []
        for (b, bucket) in buckets.enumerated() {
            for entry in bucket {
                let needle = needles[entry.needle]
                let head = needle.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * $1.offset) }
                let mask = needle.count >= 8 ? UInt64.max : (1 << (8 * UInt64(needle.count))) - 1
                table += [head, mask, UInt64(entry.needle) << 32 | UInt64(entry.offset), UInt64(bytes.count) << 32 | UInt64(needle.count)]
                bytes += needle
            }
            table[b + 1] = table[b] + UInt64(bucket.count)
        }
        self.table = table
        self.bytes = bytes
    }

    /// Appends the needles found at `candidates` (`position << 8 | bucket bits`) in
    /// `text[0..<count]` to `matches`.
    func verify(
        _ candidates: UnsafeBufferPointer<UInt64>, _ text: UnsafePointer<UInt8>, _ count: Int,
        into matches: inout [LiteralMatcher.Match]
    ) {
        table.withUnsafeBufferPointer { table in
            bytes.withUnsafeBufferPointer { needleBytes in
                for candidate in candidates {
                    let position = Int(candidate >> 8)
                    var bits = UInt8(truncatingIfNeeded: candidate)
                    while bits != 0 {
                        let b = bits.trailingZeroBitCount
                        for e in Int(table[b])..<Int(table[b + 1]) {
                            let word = 9 + 4 * e
                            let start = position - Int(table[word + 2] & 0xFFFF_FFFF)
                            let length = Int(table[word + 3] & 0xFFFF_FFFF)
                            guard start >= 0, start + length <= count else { continue }
                            if start + 8 <= count,
                                UnsafeRawPointer(text + start).loadUnaligned(as: UInt64.self).littleEndian & table[word + 1] != table[word]
                            {
                                continue
                            }
                            let needle = needleBytes.baseAddress! + Int(table[word + 3] >> 32)
                            var k = 0
                            while k < length && text[start + k] == needle[k] { k += 1 }
                            if k == length { matches.append(LiteralMatcher.Match(needle: Int(table[word + 2] >> 32), start: start)) }
                        }
                        bits &= bits - 1
                    }
                }
            }
        }
    }
}
