#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Finds many byte strings in one pass over a buffer, without a regex engine, in two
/// stages like ripgrep: a SIMD prefilter proposes candidate positions, and only those are
/// compared with the needles whole.
///
/// On x86-64 CPUs with SSSE3 the prefilter is Teddy (``TeddyPlan``): each needle's rarest
/// window of 2 or 3 bytes, 16 or 32 (AVX2) positions at a time, whichever the CPU runs
/// (detected at run time). Elsewhere it is ``AnchorPlan`` (rare single bytes; SSE2 on any
/// x86-64). Past ``Engine/manyNeedles`` needles, where Teddy's buckets saturate and its
/// cost grows with every needle, it is the hash filter (``HashPlan``), whose cost per byte
/// does not. `ENVCHECK_SCAN_KERNEL` picks one for measuring (docs/bench.md "next_public
/// kernels" has the measurements behind this choice).
struct LiteralMatcher: Sendable {
    enum Engine: Sendable, Equatable {
        case anchors
        /// `level` 1: SSSE3, 2: AVX2. `width`: fingerprint bytes (2 or 3); nil: chosen per needle set.
        case teddy(level: Int32, width: Int? = nil)
        /// The hash filter (``HashPlan``).
        case hashed
        /// ``fastest`` for up to ``manyNeedles`` needles, the hash filter for more.
        case automatic

        /// The fastest this CPU runs for a few needles.
        static let fastest: Engine = TeddyPlan.bestLevel > 0 ? .teddy(level: TeddyPlan.bestLevel) : .anchors

        /// Past this many needles the hash filter is faster than Teddy (docs/bench.md
        /// "next_public kernels").
        static let manyNeedles = 240

        /// What the matcher uses: ``automatic``, unless the environment variable
        /// `ENVCHECK_SCAN_KERNEL` names an engine this CPU runs (read once).
        static let best = chosen(by: getenv(kernelVariable).map { String(cString: $0) }, cpuLevel: TeddyPlan.bestLevel)

        static let kernelVariable = "ENVCHECK_SCAN_KERNEL"

        /// The engine `knob` names (`anchors`, `ssse3`, `avx2`, `hash`) if a CPU of Teddy
        /// level `cpuLevel` (``TeddyPlan/bestLevel``) runs it; else, or when nil or
        /// unknown, ``automatic``.
        static func chosen(by knob: String?, cpuLevel: Int32) -> Engine {
            switch knob?.lowercased() {
            case "anchors": .anchors
            case "ssse3" where cpuLevel >= 1: .teddy(level: 1)
            case "avx2" where cpuLevel >= 2: .teddy(level: 2)
            case "hash": .hashed
            default: .automatic
            }
        }

        /// The engine for `count` needles: ``automatic`` decided.
        func resolved(forNeedles count: Int) -> Engine {
            guard self == .automatic else { return self }
            return count > Self.manyNeedles ? .hashed : Self.fastest
        }
    }

    private enum Plan: Sendable {
        case anchors(AnchorPlan)
        case teddy(TeddyPlan)
        case hashed(HashPlan)
        case none
    }

    let needles: [[UInt8]]
    /// The longest needle, for the overlap between streamed chunks.
    let maxLength: Int
    private let plan: Plan

    /// Needles of fewer than 2 bytes are never matched (callers do not produce them).
    /// `engine`: tests choose one (at most ``Engine/fastest``); the default is ``Engine/best``.
    init(_ needles: [[UInt8]], engine: Engine = .best) {
        self.needles = needles
        maxLength = needles.map(\.count).max() ?? 0
        let usable = needles.indices.filter { needles[$0].count >= 2 }
        switch engine.resolved(forNeedles: usable.count) {
        case _ where usable.isEmpty: plan = .none
        case .anchors: plan = .anchors(AnchorPlan(needles, usable: usable))
        case .teddy(let level, let width): plan = .teddy(TeddyPlan(needles, usable: usable, level: level, width: width))
        case .hashed, .automatic: plan = .hashed(HashPlan(needles, usable: usable))
        }
    }

    /// A needle found at `start`.
    struct Match: Equatable {
        let needle: Int
        let start: Int
    }

    /// Appends every occurrence that lies wholly inside `buffer` to `matches`.
    func scan(_ buffer: UnsafeRawBufferPointer, into matches: inout [Match]) {
        guard let base = buffer.baseAddress else { return }
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        switch plan {
        case .anchors(let anchors): anchors.scan(bytes, buffer.count, needles, into: &matches)
        case .teddy(let teddy): teddy.scan(bytes, buffer.count, into: &matches)
        case .hashed(let hashed): hashed.scan(bytes, buffer.count, needles, into: &matches)
        case .none: break
        }
    }

    /// Appends a match when needle `needle` lies at `start` (which may be out of bounds).
    @inline(__always)
    static func verify(
        _ needle: Int, at start: Int, _ bytes: UnsafePointer<UInt8>, _ count: Int, _ needles: [[UInt8]],
        _ matches: inout [Match]
    ) {
        guard start >= 0, start + needles[needle].count <= count else { return }
        let equal = needles[needle].withUnsafeBufferPointer { n in
            var k = 0
            while k < n.count && bytes[start + k] == n[k] { k += 1 }
            return k == n.count
        }
        if equal { matches.append(Match(needle: needle, start: start)) }
    }
}
