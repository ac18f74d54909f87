/// The matcher's fallback prefilter, for CPUs without SSSE3 and other architectures:
/// *anchor bytes*, a small set of bytes rare in minified JavaScript chosen so that every
/// needle contains one (a greedy set cover). On x86-64 it tests 32 bytes at a time with
/// SSE2 compares and a movemask (``AnchorScan``); elsewhere, or with too many anchors, a
/// byte-table loop. At each anchor byte found, the pair it starts is tested against a
/// 64 Kibit bitmap and only then are the candidate needles compared whole.
struct AnchorPlan: Sendable {
    private struct Candidate: Sendable {
        let needle: Int32
        /// Where the anchor byte sits inside the needle.
        let offset: Int32
    }

    /// More anchors than this and the SIMD stage costs more than the byte-table loop.
    static let maxSIMDAnchors = 16

    let anchors: [UInt8]
    private let isAnchor: [Bool]
    private let bitmap: [UInt64]
    /// CSR index: candidates for pair `p` are `candidates[starts[p]..<starts[p + 1]]`.
    private let starts: [Int32]
    private let candidates: [Candidate]

    /// `usable`: the indices of the needles of 2 bytes or more.
    init(_ needles: [[UInt8]], usable: [Int]) {
        anchors = Self.cover(usable.map { needles[$0] })
        var isAnchor = [Bool](repeating: false, count: 256)
        for byte in anchors { isAnchor[Int(byte)] = true }
        self.isAnchor = isAnchor
        // A needle whose anchor is its last byte is filed under every pair (anchor, x).
        var byPair: [(pair: Int, candidate: Candidate)] = []
        for index in usable {
            let needle = needles[index]
            let offset = needle.indices.filter { isAnchor[Int(needle[$0])] }
                .min {
                    (needle.count - 1 == $0 ? 1 : 0, ByteFrequency.weight(needle[$0])) < (needle.count - 1 == $1 ? 1 : 0, ByteFrequency.weight(needle[$1]))
                }!
            let candidate = Candidate(needle: Int32(index), offset: Int32(offset))
            let next = offset + 1 < needle.count ? [Int(needle[offset + 1])] : Array(0..<256)
            for byte in next { byPair.append((Int(needle[offset]) << 8 | byte, candidate)) }
        }
        var bitmap = [UInt64](repeating: 0, count: 1024)
        var counts = [Int32](repeating: 0, count: 65537)
        for (pair, _) in byPair {
            bitmap[pair >> 6] |= 1 << UInt64(pair & 63)
            counts[pair + 1] += 1
        }
        for i in 1..<counts.count { counts[i] += counts[i - 1] }
        var fill = counts
        var candidates = [Candidate](repeating: Candidate(needle: 0, offset: 0), count: byPair.count)
        for (pair, candidate) in byPair {
            candidates[Int(fill[pair])] = candidate
            fill[pair] += 1
        }
        self.bitmap = bitmap
        self.starts = counts
        self.candidates = candidates
    }

    /// Appends every occurrence that lies wholly inside `bytes[0..<count]` to `matches`.
    func scan(_ bytes: UnsafePointer<UInt8>, _ count: Int, _ needles: [[UInt8]], into matches: inout [LiteralMatcher.Match]) {
        guard count >= 2, !candidates.isEmpty else { return }
        bitmap.withUnsafeBufferPointer { bits in
            let bits = bits.baseAddress!
            // At an anchor byte: is the pair it starts a candidate? (Past the end, pair with 0.)
            func check(_ i: Int) {
                let pair = Int(bytes[i]) << 8 | (i + 1 < count ? Int(bytes[i + 1]) : 0)
                if bits[pair >> 6] & (1 << UInt64(pair & 63)) != 0 { verify(pair: pair, at: i, bytes, count, needles, &matches) }
            }
            var i = 0
            #if arch(x86_64)
                if anchors.count <= Self.maxSIMDAnchors { i = AnchorScan.scan(anchors, bytes, count, check) }
            #endif
            isAnchor.withUnsafeBufferPointer { table in
                while i < count {
                    if table[Int(bytes[i])] { check(i) }
                    i += 1
                }
            }
        }
    }

    private func verify(
        pair: Int, at position: Int, _ bytes: UnsafePointer<UInt8>, _ count: Int, _ needles: [[UInt8]],
        _ matches: inout [LiteralMatcher.Match]
    ) {
        for c in Int(starts[pair])..<Int(starts[pair + 1]) {
            let candidate = candidates[c]
            LiteralMatcher.verify(Int(candidate.needle), at: position - Int(candidate.offset), bytes, count, needles, &matches)
        }
    }

    /// Anchor bytes such that every needle contains one: greedily the byte covering the
    /// most needles per unit of frequency; if that takes too many bytes for the SIMD stage,
    /// again by coverage alone.
    static func cover(_ needles: [[UInt8]]) -> [UInt8] {
        let sets = needles.map { Set($0) }
        func greedy(_ score: (_ covered: Int, _ weight: Int) -> Double) -> [UInt8] {
            var uncovered = Array(sets.indices)
            var chosen: [UInt8] = []
            while !uncovered.isEmpty {
                var best: (byte: UInt8, score: Double) = (0, -1)
                for byte in UInt8.min...UInt8.max {
                    let covered = uncovered.count { sets[$0].contains(byte) }
                    if covered > 0, score(covered, ByteFrequency.weight(byte)) > best.score { best = (byte, score(covered, ByteFrequency.weight(byte))) }
                }
                chosen.append(best.byte)
                uncovered.removeAll { sets[$0].contains(best.byte) }
            }
            return chosen
        }
        let rare = greedy { Double($0) / Double($1) }
        guard rare.count > maxSIMDAnchors else { return rare }
        return greedy { Double($0) - Double($1) / 1_000_000 }
    }
}
