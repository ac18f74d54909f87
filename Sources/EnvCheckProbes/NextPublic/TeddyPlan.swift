import CTeddy

/// The matcher's prefilter on x86-64 CPUs with SSSE3: Teddy (from Hyperscan, as in
/// ripgrep's literal search). Each needle is represented by its rarest 3-byte window (its
/// *fingerprint*, by ``ByteFrequency``), and the needles are spread over 8 buckets. The C
/// kernel (`teddy_scan`) looks up both nibbles of 16 or 32 bytes at once in per-bucket
/// masks (`pshufb`) and reports the positions where a whole fingerprint of some bucket
/// matches; only there are that bucket's needles compared whole.
struct TeddyPlan: Sendable {
    private struct Entry: Sendable {
        let needle: Int32
        /// Where the fingerprint starts inside the needle.
        let offset: Int32
    }

    /// The nibbles one bucket accepts at each fingerprint position, as 16-bit sets.
    private struct Bucket {
        var low = [UInt16](repeating: 0, count: 3)
        var high = [UInt16](repeating: 0, count: 3)
        var entries: [Entry] = []

        /// The share of text positions where this bucket's fingerprint matches (bytes
        /// taken as independent): what its false candidates cost.
        var rate: Double {
            guard !entries.isEmpty else { return 0 }
            var rate = 1.0
            for k in 0..<3 {
                var share = 0.0
                for byte in 0..<256 where low[k] & 1 << (byte & 15) != 0 && high[k] & 1 << (byte >> 4) != 0 {
                    share += ByteFrequency.share(UInt8(byte))
                }
                rate *= share
            }
            return rate
        }

        /// Accepts `fingerprint` too (any byte past its end).
        func adding(_ fingerprint: ArraySlice<UInt8>, _ entry: Entry) -> Bucket {
            var bucket = self
            for k in 0..<3 {
                if k < fingerprint.count {
                    let byte = fingerprint[fingerprint.startIndex + k]
                    bucket.low[k] |= 1 << (byte & 15)
                    bucket.high[k] |= 1 << (byte >> 4)
                } else {
                    (bucket.low[k], bucket.high[k]) = (0xFFFF, 0xFFFF)
                }
            }
            bucket.entries.append(entry)
            return bucket
        }
    }

    let level: Int32
    private let masks: teddy_masks
    private let buckets: [[Entry]]

    /// `usable`: the indices of the needles of 2 bytes or more. `level`: 1 (SSSE3) or 2 (AVX2).
    init(_ needles: [[UInt8]], usable: [Int], level: Int32) {
        self.level = level
        // Needles with similar fingerprints come together, so that they can share a bucket.
        let fingerprints = usable.map { index in
            let offset = Self.window(needles[index])
            return (entry: Entry(needle: Int32(index), offset: Int32(offset)), bytes: needles[index][offset..<min(offset + 3, needles[index].count)])
        }.sorted { $0.bytes.lexicographicallyPrecedes($1.bytes) }
        var buckets = [Bucket](repeating: Bucket(), count: 8)
        for fingerprint in fingerprints {
            // The bucket where it adds the fewest false candidates.
            let grown = buckets.map { $0.adding(fingerprint.bytes, fingerprint.entry) }
            let best = buckets.indices.min { grown[$0].rate - buckets[$0].rate < grown[$1].rate - buckets[$1].rate }!
            buckets[best] = grown[best]
        }
        var masks = teddy_masks()
        withUnsafeMutableBytes(of: &masks) { raw in
            for (b, bucket) in buckets.enumerated() where !bucket.entries.isEmpty {
                for k in 0..<3 {
                    for nibble in 0..<16 {
                        if bucket.low[k] & 1 << nibble != 0 { raw[k * 16 + nibble] |= 1 << b }
                        if bucket.high[k] & 1 << nibble != 0 { raw[48 + k * 16 + nibble] |= 1 << b }
                    }
                }
            }
        }
        self.masks = masks
        self.buckets = buckets.map(\.entries)
    }

    /// Where a needle's rarest window of 3 bytes (or of all its bytes, if fewer) starts.
    static func window(_ needle: [UInt8]) -> Int {
        let width = min(3, needle.count)
        return (0...(needle.count - width)).min { a, b in
            func cost(_ o: Int) -> Double { needle[o..<(o + width)].reduce(1.0) { $0 * ByteFrequency.share($1) } }
            return cost(a) < cost(b)
        }!
    }

    /// Appends every occurrence that lies wholly inside `bytes[0..<count]` to `matches`.
    func scan(_ bytes: UnsafePointer<UInt8>, _ count: Int, _ needles: [[UInt8]], into matches: inout [LiteralMatcher.Match]) {
        guard count >= 2 else { return }
        let capacity = 256
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: capacity) { out in
            withUnsafePointer(to: masks) { masks in
                var from: Int64 = 0
                var next: Int64 = 0
                while from < count {
                    let found = Int(teddy_scan(masks, level, bytes, Int64(count), from, out.baseAddress!, Int32(capacity), &next))
                    for k in 0..<found { verify(out[k], bytes, count, needles, &matches) }
                    from = next
                }
            }
        }
    }

    /// A candidate from the kernel: `position << 8 | buckets`.
    private func verify(_ candidate: UInt64, _ bytes: UnsafePointer<UInt8>, _ count: Int, _ needles: [[UInt8]],
                        _ matches: inout [LiteralMatcher.Match]) {
        let position = Int(candidate >> 8)
        var bits = UInt8(truncatingIfNeeded: candidate)
        while bits != 0 {
            for entry in buckets[bits.trailingZeroBitCount] {
                LiteralMatcher.verify(Int(entry.needle), at: position - Int(entry.offset), bytes, count, needles, &matches)
            }
            bits &= bits - 1
        }
    }
}
