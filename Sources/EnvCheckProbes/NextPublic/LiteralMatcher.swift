/// Finds many byte strings in one pass over a buffer, without a regex engine.
///
/// Each needle is anchored on its rarest pair of adjacent bytes (estimated for minified
/// JavaScript). The hot loop slides over the buffer reading one 2-byte pair per position
/// and tests it against a 64 Kibit bitmap of anchor pairs, an L1-resident, branch-light
/// filter; only a hit compares the candidate needles whole (memcmp). With anchors chosen
/// on rare pairs, candidates are rare, so the scan runs at a few cycles per byte
/// whatever the number of needles.
struct LiteralMatcher: Sendable {
    private struct Candidate: Sendable {
        let needle: Int32
        /// Where the anchor pair sits inside the needle.
        let offset: Int32
    }

    let needles: [[UInt8]]
    /// The longest needle, for the overlap between streamed chunks.
    let maxLength: Int
    private let bitmap: [UInt64]
    /// CSR index: candidates for pair `p` are `candidates[starts[p]..<starts[p + 1]]`.
    private let starts: [Int32]
    private let candidates: [Candidate]

    /// `needles` of fewer than 2 bytes are never matched (callers do not produce them).
    init(_ needles: [[UInt8]]) {
        self.needles = needles
        maxLength = needles.map(\.count).max() ?? 0
        var byPair: [(pair: Int, candidate: Candidate)] = []
        for (index, needle) in needles.enumerated() where needle.count >= 2 {
            let offset = Self.anchor(of: needle)
            let pair = Int(needle[offset]) << 8 | Int(needle[offset + 1])
            byPair.append((pair, Candidate(needle: Int32(index), offset: Int32(offset))))
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

    /// Calls `onMatch(needle, start)` for every occurrence that lies wholly inside `buffer`.
    func scan(_ buffer: UnsafeRawBufferPointer, _ onMatch: (Int, Int) -> Void) {
        let count = buffer.count
        guard count >= 2, !candidates.isEmpty, let base = buffer.baseAddress else { return }
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        bitmap.withUnsafeBufferPointer { bits in
            let bits = bits.baseAddress!
            var previous = Int(bytes[0])
            var i = 1
            while i < count {
                let current = Int(bytes[i])
                let pair = previous << 8 | current
                if bits[pair >> 6] & (1 << UInt64(pair & 63)) != 0 {
                    verify(pair: pair, at: i - 1, bytes, count, onMatch)
                }
                previous = current
                i += 1
            }
        }
    }

    private func verify(pair: Int, at position: Int, _ bytes: UnsafePointer<UInt8>, _ count: Int,
                        _ onMatch: (Int, Int) -> Void) {
        for c in Int(starts[pair])..<Int(starts[pair + 1]) {
            let candidate = candidates[c]
            let start = position - Int(candidate.offset)
            let needle = needles[Int(candidate.needle)]
            guard start >= 0, start + needle.count <= count else { continue }
            let equal = needle.withUnsafeBytes { memEqual(bytes + start, $0.baseAddress!, needle.count) }
            if equal { onMatch(Int(candidate.needle), start) }
        }
    }

    /// The offset of the needle's rarest adjacent pair.
    static func anchor(of needle: [UInt8]) -> Int {
        var best = 0
        var bestScore = Int.max
        for k in 0..<(needle.count - 1) {
            let score = ByteFrequency.weight(needle[k]) * ByteFrequency.weight(needle[k + 1])
            if score < bestScore { best = k; bestScore = score }
        }
        return best
    }
}

@inline(__always)
private func memEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafeRawPointer, _ n: Int) -> Bool {
    let b = b.assumingMemoryBound(to: UInt8.self)
    var i = 0
    while i < n {
        if a[i] != b[i] { return false }
        i += 1
    }
    return true
}

/// A coarse estimate of how common each byte is in minified JavaScript, JSON and HTML.
enum ByteFrequency {
    static func weight(_ byte: UInt8) -> Int {
        switch byte {
        case UInt8(ascii: "e"), UInt8(ascii: "t"), UInt8(ascii: "a"), UInt8(ascii: "n"), UInt8(ascii: "r"),
             UInt8(ascii: "i"), UInt8(ascii: "o"), UInt8(ascii: "s"), UInt8(ascii: "l"), UInt8(ascii: "c"):
            return 12
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return 7
        case UInt8(ascii: "."), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "("), UInt8(ascii: ")"),
             UInt8(ascii: "\""), UInt8(ascii: "="), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: " "),
             UInt8(ascii: ":"), UInt8(ascii: "!"), UInt8(ascii: "0"), UInt8(ascii: "1"):
            return 10
        case UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "&"), UInt8(ascii: "|"), UInt8(ascii: "+"),
             UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "/"), UInt8(ascii: "'"), UInt8(ascii: "?"),
             UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\n"):
            return 6
        case UInt8(ascii: "2")...UInt8(ascii: "9"): return 5
        case UInt8(ascii: "Q"), UInt8(ascii: "X"), UInt8(ascii: "Z"), UInt8(ascii: "J"), UInt8(ascii: "K"),
             UInt8(ascii: "V"), UInt8(ascii: "Y"), UInt8(ascii: "W"):
            return 2
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return 3
        case 0x21...0x7E: return 2
        default: return 1
        }
    }
}
