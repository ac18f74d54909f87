import CTeddy

/// The matcher's prefilter on x86-64 CPUs with SSSE3: Teddy (from Hyperscan, as in
/// ripgrep's literal search). Each needle is represented by its rarest window of 2 or 3
/// bytes (its *fingerprint*, by ``ByteFrequency``), and the needles are spread over 8
/// buckets. The C kernel (`teddy_scan`) looks up both nibbles of 16 or 32 bytes at once in
/// per-bucket masks (`pshufb`) and reports the positions where a whole fingerprint of some
/// bucket matches; only there are that bucket's needles compared whole.
struct TeddyPlan: Sendable {
    /// The best kernel this CPU runs (0: none; 1: SSSE3; 2: AVX2). This file alone
    /// imports CTeddy.
    static var bestLevel: Int32 { teddy_best_level() }

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
        func rate(width: Int) -> Double {
            guard !entries.isEmpty else { return 0 }
            var rate = 1.0
            for k in 0..<width {
                var share = 0.0
                var highs = high[k]
                while highs != 0 {
                    let high = highs.trailingZeroBitCount
                    var lows = low[k]
                    while lows != 0 {
                        share += ByteFrequency.share(UInt8(high << 4 | lows.trailingZeroBitCount))
                        lows &= lows - 1
                    }
                    highs &= highs - 1
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

    /// 1: SSSE3, 2: AVX2.
    let level: Int32
    /// Fingerprint bytes per needle: 2 when that yields few enough candidates (the kernel
    /// runs about half again as fast), else 3.
    let width: Int32
    private let masks: teddy_masks
    private let buckets: TeddyBuckets

    /// At most this share of positions estimated to be candidates, a 2-byte fingerprint
    /// is worth its false candidates.
    static let narrowRate = 1.0 / 4096

    /// `usable`: the indices of the needles of 2 bytes or more. `level`: 1 (SSSE3) or 2 (AVX2).
    /// `width`: 2 or 3 (tests); by default the narrowest that is selective enough.
    init(_ needles: [[UInt8]], usable: [Int], level: Int32, width: Int? = nil) {
        self.level = level
        var plan = Self.assign(needles, usable: usable, width: width ?? 2)
        if width == nil, plan.rate > Self.narrowRate { plan = Self.assign(needles, usable: usable, width: 3) }
        self.width = Int32(plan.width)
        var masks = teddy_masks()
        withUnsafeMutableBytes(of: &masks) { raw in
            for (b, bucket) in plan.buckets.enumerated() where !bucket.entries.isEmpty {
                for k in 0..<3 {
                    for nibble in 0..<16 {
                        if bucket.low[k] & 1 << nibble != 0 { raw[k * 16 + nibble] |= 1 << b }
                        if bucket.high[k] & 1 << nibble != 0 { raw[48 + k * 16 + nibble] |= 1 << b }
                    }
                }
            }
        }
        self.masks = masks
        buckets = TeddyBuckets(plan.buckets.map { $0.entries.map { (Int($0.needle), Int($0.offset)) } }, needles: needles)
    }

    /// Each needle's fingerprint, spread over 8 buckets: each goes where it adds the fewest
    /// false candidates (needles with similar fingerprints come together, to share one).
    private static func assign(_ needles: [[UInt8]], usable: [Int], width: Int) -> (buckets: [Bucket], rate: Double, width: Int) {
        let fingerprints = usable.map { index in
            let offset = ByteFrequency.rarestWindow(in: needles[index], width: width)
            let bytes = needles[index][offset..<min(offset + width, needles[index].count)]
            return (entry: Entry(needle: Int32(index), offset: Int32(offset)), bytes: bytes)
        }.sorted { $0.bytes.lexicographicallyPrecedes($1.bytes) }
        var buckets = [Bucket](repeating: Bucket(), count: 8)
        var rates = [Double](repeating: 0, count: 8)
        for fingerprint in fingerprints {
            let grown = buckets.map { $0.adding(fingerprint.bytes, fingerprint.entry) }
            let grownRates = grown.map { $0.rate(width: width) }
            let best = buckets.indices.min { grownRates[$0] - rates[$0] < grownRates[$1] - rates[$1] }!
            (buckets[best], rates[best]) = (grown[best], grownRates[best])
        }
        return (buckets, rates.reduce(0, +), width)
    }

    /// Appends every occurrence that lies wholly inside `bytes[0..<count]` to `matches`.
    func scan(_ bytes: UnsafePointer<UInt8>, _ count: Int, into matches: inout [LiteralMatcher.Match]) {
        guard count >= 2 else { return }
        let capacity = 256
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: capacity) { out in
            withUnsafePointer(to: masks) { masks in
                var from: Int64 = 0
                var next: Int64 = 0
                while from < count {
                    let found = Int(teddy_scan(masks, level, width, bytes, Int64(count), from, out.baseAddress!, Int32(capacity), &next))
                    buckets.verify(UnsafeBufferPointer(rebasing: out[..<found]), bytes, count, into: &matches)
                    from = next
                }
            }
        }
    }
}
