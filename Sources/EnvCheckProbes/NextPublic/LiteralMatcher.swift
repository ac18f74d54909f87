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
/// x86-64). `ENVCHECK_SCAN_KERNEL` picks another for measuring (docs/bench.md
/// "next_public kernels" has the measurements behind this choice).
struct LiteralMatcher: Sendable {
    enum Engine: Sendable, Equatable {
        case anchors
        /// `level` 1: SSSE3, 2: AVX2. `width`: fingerprint bytes (2 or 3); nil: chosen per needle set.
        case teddy(level: Int32, width: Int? = nil)

        /// The fastest this CPU runs.
        static let fastest = chosen(by: nil, cpuLevel: TeddyPlan.bestLevel)

        /// What the matcher uses: ``fastest``, unless the environment variable
        /// `ENVCHECK_SCAN_KERNEL` names another engine this CPU runs (read once).
        static let best = chosen(by: getenv(kernelVariable).map { String(cString: $0) }, cpuLevel: TeddyPlan.bestLevel)

        static let kernelVariable = "ENVCHECK_SCAN_KERNEL"

        /// The engine `knob` names (`anchors`, `ssse3`, `avx2`) if a CPU of Teddy level
        /// `cpuLevel` (``TeddyPlan/bestLevel``) runs it; else, or when nil or unknown, the fastest.
        static func chosen(by knob: String?, cpuLevel: Int32) -> Engine {
            switch knob?.lowercased() {
            case "anchors": .anchors
            case "ssse3" where cpuLevel >= 1: .teddy(level: 1)
            case "avx2" where cpuLevel >= 2: .teddy(level: 2)
            default: cpuLevel > 0 ? .teddy(level: cpuLevel) : .anchors
            }
        }
    }

    private enum Plan: Sendable {
        case anchors(AnchorPlan)
        case teddy(TeddyPlan)
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
        switch engine {
        case _ where usable.isEmpty: plan = .none
        case .anchors: plan = .anchors(AnchorPlan(needles, usable: usable))
        case .teddy(let level, let width): plan = .teddy(TeddyPlan(needles, usable: usable, level: level, width: width))
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
