/// Checks the `${VAR}` templates a manifest binds inputs and options to, so a typo is a
/// `file:line` error instead of a literal `${...}` reaching a probe.
enum ManifestTemplate {
    /// Nil when every `${` is a well-formed `${NAME}` or `${NAME:-default}` (the default may
    /// itself contain templates, at most ``Limits/interpolationNesting`` deep); else what is
    /// wrong.
    static func problem(in text: String) -> String? {
        let s = Array(text.unicodeScalars)
        var i = 0
        while i < s.count {
            if s[i] == "$", i + 1 < s.count, s[i + 1] == "{" {
                switch expression(s, from: i + 2, depth: 1) {
                case .failure(let problem): return problem
                case .success(let end): i = end
                }
            } else {
                i += 1
            }
        }
        return nil
    }

    private enum Scan {
        case success(Int)
        case failure(String)
    }

    /// Reads the body of a `${` starting at `start`; on success, the index after its `}`.
    private static func expression(_ s: [Unicode.Scalar], from start: Int, depth: Int) -> Scan {
        guard depth <= Limits.interpolationNesting else {
            return .failure("${...} expressions are nested more than \(Limits.interpolationNesting) deep (the limit for interpolation)")
        }
        var j = start
        while j < s.count, s[j].isASCII, s[j].properties.isAlphabetic || ("0"..."9").contains(s[j]) || s[j] == "_" { j += 1 }
        guard j > start, !("0"..."9").contains(s[start]) else {
            return .failure("'${' must be followed by a variable name, as in ${DATABASE_URL}")
        }
        guard j < s.count else { return .failure("unterminated '${': close it with '}'") }
        if s[j] == "}" { return .success(j + 1) }
        guard s[j] == ":", j + 1 < s.count, s[j + 1] == "-" else {
            return .failure("only ${NAME} and ${NAME:-default} are supported")
        }
        j += 2
        while j < s.count {
            if s[j] == "}" { return .success(j + 1) }
            if s[j] == "$", j + 1 < s.count, s[j + 1] == "{" {
                switch expression(s, from: j + 2, depth: depth + 1) {
                case .failure(let problem): return .failure(problem)
                case .success(let end): j = end
                }
            } else {
                j += 1
            }
        }
        return .failure("unterminated '${': close it with '}'")
    }
}
