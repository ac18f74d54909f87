#if arch(x86_64)
    import _Builtin_intrinsics.intel

    /// The SIMD stage of ``AnchorPlan``: finds the anchor bytes in 32-byte blocks with
    /// SSE2 (`pcmpeqb`, `por`, `pmovmskb`: baseline x86-64, no CPU detection needed). Swift's
    /// portable SIMD types have no movemask, hence the intrinsics; other architectures use the
    /// matcher's byte-table loop.
    enum AnchorScan {
        /// Calls `found(i)` for every anchor byte in whole 32-byte blocks; returns where the
        /// blocks end (the caller finishes the tail).
        static func scan(_ anchors: [UInt8], _ bytes: UnsafePointer<UInt8>, _ count: Int, _ found: (Int) -> Void) -> Int {
            switch anchors.count {
            case 0: return 0
            case 1...4: return blocks(Anchors4(anchors), bytes, count, found)
            case 5...8: return blocks(Anchors8(anchors), bytes, count, found)
            default: return blocks(Anchors16(anchors), bytes, count, found)
            }
        }

        @inline(__always)
        private static func blocks<A: AnchorSet>(_ set: A, _ bytes: UnsafePointer<UInt8>, _ count: Int, _ found: (Int) -> Void) -> Int {
            var i = 0
            while i + 32 <= count {
                let raw = UnsafeRawPointer(bytes + i)
                let low = _mm_loadu_si128(raw.assumingMemoryBound(to: __m128i.self))
                let high = _mm_loadu_si128((raw + 16).assumingMemoryBound(to: __m128i.self))
                var bits =
                    UInt32(truncatingIfNeeded: _mm_movemask_epi8(set.matches(low)))
                    | UInt32(truncatingIfNeeded: _mm_movemask_epi8(set.matches(high))) << 16
                while bits != 0 {
                    found(i + bits.trailingZeroBitCount)
                    bits &= bits - 1
                }
                i += 32
            }
            return i
        }
    }

    /// Up to N anchor bytes as splatted vectors (unused slots repeat the first byte).
    private protocol AnchorSet {
        func matches(_ v: __m128i) -> __m128i
    }

    private struct Anchors4: AnchorSet {
        let a, b, c, d: __m128i
        init(_ bytes: some Collection<UInt8>) {
            let padded = Array(bytes) + Array(repeating: bytes.first ?? 0, count: 4)
            func splat(_ i: Int) -> __m128i { _mm_set1_epi8(Int8(bitPattern: padded[i])) }
            (a, b, c, d) = (splat(0), splat(1), splat(2), splat(3))
        }
        @inline(__always) func matches(_ v: __m128i) -> __m128i {
            _mm_or_si128(
                _mm_or_si128(_mm_cmpeq_epi8(v, a), _mm_cmpeq_epi8(v, b)),
                _mm_or_si128(_mm_cmpeq_epi8(v, c), _mm_cmpeq_epi8(v, d)))
        }
    }

    private struct Anchors8: AnchorSet {
        let low, high: Anchors4
        init(_ bytes: [UInt8]) {
            low = Anchors4(bytes.prefix(4))
            high = Anchors4(bytes.count > 4 ? Array(bytes.dropFirst(4)) : [bytes[0]])
        }
        @inline(__always) func matches(_ v: __m128i) -> __m128i { _mm_or_si128(low.matches(v), high.matches(v)) }
    }

    private struct Anchors16: AnchorSet {
        let low, high: Anchors8
        init(_ bytes: [UInt8]) {
            low = Anchors8(Array(bytes.prefix(8)))
            high = Anchors8(bytes.count > 8 ? Array(bytes.dropFirst(8)) : [bytes[0]])
        }
        @inline(__always) func matches(_ v: __m128i) -> __m128i { _mm_or_si128(low.matches(v), high.matches(v)) }
    }
#endif

/// How common each byte is in minified JavaScript, JSON and HTML, in hundredths of a
/// percent (measured on minified editor bundles, search indexes and generated HTML;
/// bytes above 0x7F, UTF-8 text, count 5). Only the ranking matters.
enum ByteFrequency {
    private static let ascii: [Int] = [
        1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 68, 1, 1, 1, 1, 1,
        1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
        748, 29, 897, 12, 21, 2, 41, 29, 177, 176, 14, 33, 252, 106, 249, 134,
        203, 246, 91, 94, 71, 75, 62, 84, 55, 56, 445, 72, 150, 159, 150, 19,
        2, 33, 16, 35, 19, 51, 14, 5, 11, 24, 1, 7, 27, 29, 33, 27,
        14, 2, 27, 41, 31, 11, 4, 8, 2, 2, 3, 55, 60, 54, 11, 68,
        4, 393, 93, 277, 233, 769, 193, 138, 186, 447, 10, 41, 294, 150, 515, 382,
        168, 16, 445, 441, 614, 211, 95, 68, 48, 64, 12, 253, 50, 253, 1, 1,
    ]

    static func weight(_ byte: UInt8) -> Int { byte < 0x80 ? ascii[Int(byte)] : 5 }

    private static let shares: [Double] = {
        let total = Double((0...255).reduce(0) { $0 + weight(UInt8($1)) })
        return (0...255).map { Double(weight(UInt8($0))) / total }
    }()

    /// The byte's share of all bytes (0...1).
    static func share(_ byte: UInt8) -> Double { shares[Int(byte)] }

    /// Where a needle's rarest window of `width` bytes (or of all its bytes, if fewer)
    /// starts: the fingerprint a prefilter looks for (Teddy's, the hash filter's).
    static func rarestWindow(in needle: [UInt8], width: Int = 3) -> Int {
        let width = min(width, needle.count)
        return (0...(needle.count - width)).min { a, b in
            func cost(_ o: Int) -> Double { needle[o..<(o + width)].reduce(1.0) { $0 * share($1) } }
            return cost(a) < cost(b)
        }!
    }
}
