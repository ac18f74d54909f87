/// "Did you mean": the closest of a set of known names to a name nobody knows, for keys
/// (`DATABSE_URL`), probe ids (`--only postgress`) and subcommands (`envcheck chek`).
public enum Spelling {
    /// Names longer than this are never compared (the distance is quadratic in length).
    static let maximumLength = 128

    /// The closest of `candidates` to `name` (case-insensitive optimal string alignment:
    /// insertions, deletions, substitutions and swaps of neighbours), when it is close
    /// enough to be a slip: one edit for names up to 4 characters, two up to 12, three
    /// beyond. `name` itself is never suggested; ties go to the first candidate.
    public static func suggestion(for name: String, among candidates: some Sequence<String>) -> String? {
        var prepared = Candidates(candidates)
        return prepared.suggestion(for: name)
    }

    /// Known names prepared once (upper-cased bytes), for asking about many names: `config`
    /// asks about every key of a file against the probes' keys.
    public struct Candidates {
        let names: [String]
        let bytes: [[UInt8]]
        /// How often each byte (folded into 64 buckets) occurs in each name: half the
        /// difference of two counts bounds the distance from below (an insertion or a
        /// deletion changes one count, a substitution two, a swap none), so most names are
        /// ruled out without the table.
        let counts: [[Int16]]
        /// Three rows of the distance table, reused by every comparison.
        private var rows: [[Int]]

        public init(_ candidates: some Sequence<String>) {
            var names: [String] = []
            var bytes: [[UInt8]] = []
            var counts: [[Int16]] = []
            for name in candidates {
                let b = Array(name.uppercased().utf8)
                guard b.count <= maximumLength else { continue }
                names.append(name)
                bytes.append(b)
                counts.append(Spelling.counts(b))
            }
            self.names = names
            self.bytes = bytes
            self.counts = counts
            rows = Array(repeating: [Int](repeating: 0, count: maximumLength + 1), count: 3)
        }

        public mutating func suggestion(for name: String) -> String? {
            let target = Array(name.uppercased().utf8)
            guard !target.isEmpty, target.count <= maximumLength else { return nil }
            let limit = target.count <= 4 ? 1 : target.count <= 12 ? 2 : 3
            let targetCounts = Spelling.counts(target)
            var best: (index: Int, distance: Int)?
            for (index, other) in bytes.enumerated() where names[index] != name {
                guard abs(other.count - target.count) <= limit else { continue }
                var difference = 0
                for k in 0..<64 { difference += abs(Int(targetCounts[k]) - Int(counts[index][k])) }
                guard (difference + 1) / 2 <= limit else { continue }
                let d = Spelling.distance(target, other, limit: limit, rows: &rows)
                if d <= limit, d < (best?.distance ?? Int.max) { best = (index, d) }
            }
            return best.map { names[$0.index] }
        }
    }

    static func counts(_ bytes: [UInt8]) -> [Int16] {
        var counts = [Int16](repeating: 0, count: 64)
        for b in bytes { counts[Int(b & 63)] += 1 }
        return counts
    }

    /// Optimal string alignment distance between `a` and `b`; anything over `limit` comes
    /// back as `limit + 1`.
    static func distance(_ a: [UInt8], _ b: [UInt8], limit: Int) -> Int {
        var rows = Array(repeating: [Int](repeating: 0, count: b.count + 1), count: 3)
        return distance(a, b, limit: limit, rows: &rows)
    }

    /// The same over three caller-owned rows of at least `b.count + 1` entries each.
    static func distance(_ a: [UInt8], _ b: [UInt8], limit: Int, rows: inout [[Int]]) -> Int {
        if a == b { return 0 }
        let n = a.count
        let m = b.count
        guard n > 0, m > 0 else { return min(max(n, m), limit + 1) }
        // rows[p2], rows[p1], rows[c]: two rows back, the previous row, the current one.
        var (p2, p1, c) = (0, 1, 2)
        for j in 0...m { rows[p1][j] = j }
        for i in 1...n {
            rows[c][0] = i
            var rowMinimum = i
            for j in 1...m {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(rows[p1][j] + 1, rows[c][j - 1] + 1, rows[p1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { value = min(value, rows[p2][j - 2] + 1) }
                rows[c][j] = value
                rowMinimum = min(rowMinimum, value)
            }
            if rowMinimum > limit { return limit + 1 }
            (p2, p1, c) = (p1, c, p2)
        }
        return min(rows[p1][m], limit + 1)
    }
}
