import CHashScan

/// The matcher's prefilter for many needles. Each needle of 4 bytes or more is represented
/// by its rarest window of 4 bytes (``ByteFrequency/rarestWindow(in:width:)``), and a
/// bitmap holds those windows' hashes, about 64 bits per needle. The C kernel
/// (`hash_scan`) tests every text position against the bitmap. Only at its hits is the
/// window looked up exactly, and only then are the needles behind it compared whole.
///
/// Its cost per byte does not grow with the number of needles. Teddy's eight buckets cannot
/// keep that past about a hundred needles, so the matcher switches to this plan there
/// (``LiteralMatcher/Engine``). Needles of 2 or 3 bytes, which no 4-byte window covers,
/// go to an ``AnchorPlan`` of their own.
struct HashPlan: Sendable {
    /// log2 of the bitmap's size in bits.
    let bits: Int32
    private let bitmap: [UInt64]
    /// The exact lookup, open addressing on the window: each slot's window, and the range of
    /// ``entryNeedles``/``entryOffsets`` filed under it (count 0: an empty slot).
    private let slotWindows: [UInt32]
    private let slotStarts: [Int32]
    private let slotCounts: [Int32]
    private let slotMask: Int
    private let entryNeedles: [Int32]
    /// Where the window starts inside the needle.
    private let entryOffsets: [Int32]
    /// The needles of 2 or 3 bytes, if any.
    private let short: AnchorPlan?

    static let bitsPerNeedle = 64
    static let minimumBits: Int32 = 16
    /// 2^21 bits, 256 KiB: the bitmap stays in a core's L2 cache.
    static let maximumBits: Int32 = 21

    static func hash(_ window: UInt32, bits: Int32) -> Int { Int((window &* HASH_SCAN_MULTIPLIER) >> (32 - UInt32(bits))) }

    static func window(_ bytes: UnsafePointer<UInt8>) -> UInt32 { UnsafeRawPointer(bytes).loadUnaligned(as: UInt32.self).littleEndian }

    /// `usable`: the indices of the needles of 2 bytes or more.
    init(_ needles: [[UInt8]], usable: [Int]) {
        let long = usable.filter { needles[$0].count >= 4 }
        let shortNeedles = usable.filter { needles[$0].count < 4 }
        short = shortNeedles.isEmpty ? nil : AnchorPlan(needles, usable: shortNeedles)
        var fingerprints: [(window: UInt32, needle: Int32, offset: Int32)] = long.map { index in
            let offset = ByteFrequency.rarestWindow(in: needles[index], width: 4)
            let window = needles[index][offset..<(offset + 4)].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            return (window, Int32(index), Int32(offset))
        }
        fingerprints.sort { ($0.window, $0.needle) < ($1.window, $1.needle) }
        var bits = Self.minimumBits
        while bits < Self.maximumBits && (1 << bits) < fingerprints.count * Self.bitsPerNeedle { bits += 1 }
        self.bits = bits
        var bitmap = [UInt64](repeating: 0, count: (1 << Int(bits)) / 64)
        var distinct = 0
        for (i, f) in fingerprints.enumerated() {
            let h = Self.hash(f.window, bits: bits)
            bitmap[h >> 6] |= 1 << UInt64(h & 63)
            if i == 0 || fingerprints[i - 1].window != f.window { distinct += 1 }
        }
        self.bitmap = bitmap
        var slots = 1
        while slots < 2 * max(1, distinct) { slots <<= 1 }
        var slotWindows = [UInt32](repeating: 0, count: slots)
        var slotStarts = [Int32](repeating: 0, count: slots)
        var slotCounts = [Int32](repeating: 0, count: slots)
        var i = 0
        while i < fingerprints.count {
            var j = i
            while j < fingerprints.count && fingerprints[j].window == fingerprints[i].window { j += 1 }
            var slot = Self.hash(fingerprints[i].window, bits: 32) & (slots - 1)
            while slotCounts[slot] != 0 { slot = (slot + 1) & (slots - 1) }
            (slotWindows[slot], slotStarts[slot], slotCounts[slot]) = (fingerprints[i].window, Int32(i), Int32(j - i))
            i = j
        }
        self.slotWindows = slotWindows
        self.slotStarts = slotStarts
        self.slotCounts = slotCounts
        slotMask = slots - 1
        entryNeedles = fingerprints.map(\.needle)
        entryOffsets = fingerprints.map(\.offset)
    }

    /// Appends every occurrence that lies wholly inside `bytes[0..<count]` to `matches`.
    func scan(_ bytes: UnsafePointer<UInt8>, _ count: Int, _ needles: [[UInt8]], into matches: inout [LiteralMatcher.Match]) {
        short?.scan(bytes, count, needles, into: &matches)
        guard count >= 4, !entryNeedles.isEmpty else { return }
        let capacity = 256
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: capacity) { out in
            bitmap.withUnsafeBufferPointer { bitmap in
                var from: Int64 = 0
                var next: Int64 = 0
                while from < count {
                    let found = Int(hash_scan(bitmap.baseAddress!, bits, bytes, Int64(count), from, out.baseAddress!, Int32(capacity), &next))
                    for candidate in out[..<found] { verify(Int(candidate), bytes, count, needles, into: &matches) }
                    from = next
                }
            }
        }
    }

    /// The needles whose window is the one at `position`, compared whole.
    @inline(__always)
    private func verify(_ position: Int, _ bytes: UnsafePointer<UInt8>, _ count: Int, _ needles: [[UInt8]], into matches: inout [LiteralMatcher.Match]) {
        let window = Self.window(bytes + position)
        var slot = Self.hash(window, bits: 32) & slotMask
        while slotCounts[slot] != 0 {
            if slotWindows[slot] == window {
                let start = Int(slotStarts[slot])
                for e in start..<(start + Int(slotCounts[slot])) {
                    LiteralMatcher.verify(Int(entryNeedles[e]), at: position - Int(entryOffsets[e]), bytes, count, needles, &matches)
                }
                return
            }
            slot = (slot + 1) & slotMask
        }
    }
}
