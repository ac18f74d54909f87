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
        let target = Array(name.uppercased().utf8)
        guard !target.isEmpty, target.count <= maximumLength else { return nil }
        let limit = target.count <= 4 ? 1 : target.count <= 12 ? 2 : 3
        var best: (name: String, distance: Int)?
        for candidate in candidates where candidate != name {
            let other = Array(candidate.uppercased().utf8)
            guard other.count <= maximumLength, abs(other.count - target.count) <= limit else { continue }
            let d = distance(target, other, limit: limit)
            if d <= limit, d < (best?.distance ?? Int.max) { best = (candidate, d) }
        }
        return best?.name
    }

    /// Optimal string alignment distance between `a` and `b`; anything over `limit` comes
    /// back as `limit + 1`.
    static func distance(_ a: [UInt8], _ b: [UInt8], limit: Int) -> Int {
        if a == b { return 0 }
        let n = a.count
        let m = b.count
        var previous2 = [Int](repeating: 0, count: m + 1)
        var previous = Array(0...m)
        var current = [Int](repeating: 0, count: m + 1)
        for i in 1...max(n, 1) where n > 0 {
            current[0] = i
            var rowMinimum = current[0]
            for j in stride(from: 1, through: m, by: 1) {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { value = min(value, previous2[j - 2] + 1) }
                current[j] = value
                rowMinimum = min(rowMinimum, value)
            }
            if rowMinimum > limit { return limit + 1 }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return min(previous[m], limit + 1)
    }
}
