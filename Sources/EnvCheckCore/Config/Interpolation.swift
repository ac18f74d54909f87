/// `${VAR}` expansion, shared by env files and manifests.
///
/// Linear in the text: the `}` closing each `${` is found in one pass before expanding, and
/// each expression's body is read once. Bounded: expressions nest at most
/// ``Limits/interpolationNesting`` deep and a value grows to at most ``Limits/valueBytes``.
public enum Interpolation {
    /// A part of a value: `text` is expanded, `literal` (an escaped `\$`, a compose
    /// single-quoted value) is not.
    public enum Piece: Equatable {
        case text(String)
        case literal(String)

        var text: String {
            switch self {
            case .text(let t), .literal(let t): t
            }
        }
    }

    /// Which `$` forms expand: python-dotenv's and manifests' (braces only) or compose's.
    public enum Style {
        /// python-dotenv and manifests: `${VAR}` and `${VAR:-default}` only; `$VAR` is literal.
        case braces
        /// compose-go: also `$VAR`, `$$`, `${VAR-d}`, `${VAR:?err}`, `${VAR?err}`, `${VAR:+alt}`,
        /// `${VAR+alt}`, and nested expressions in the default.
        case compose
    }

    /// Expands `pieces`. An unset variable becomes "" and adds a note (once per name);
    /// `${VAR:?err}` on an unset variable, nesting deeper than the limit and a value longer
    /// than the limit throw the error built by `failure`. The message never contains the
    /// text after `?` or any value: it may be, or be built from, a secret.
    public static func expand<E: Error>(
        _ pieces: [Piece], style: Style, lookup: (String) -> String?,
        notes: inout [String], failure: (String) -> E
    ) throws(E) -> String {
        var budget = Limits.valueBytes
        var noted = Set<String>()
        var out = ""
        do {
            for piece in pieces {
                switch piece {
                case .literal(let t):
                    try spend(t.utf8.count, from: &budget)
                    out += t
                case .text(let t):
                    var expander = Expander(Array(t.unicodeScalars), style: style)
                    expander.budget = budget
                    expander.noted = noted
                    out += try expander.expand(0..<expander.s.count, depth: 0, lookup)
                    budget = expander.budget
                    noted = expander.noted
                    notes += expander.notes
                }
            }
        } catch {
            throw failure(error.message)
        }
        return out
    }

    /// Expands one string with `${VAR}` / `${VAR:-default}` (the manifest entry point);
    /// also returns the names that were not set. A template that cannot be expanded within
    /// the limits gives an empty value; ``problem(expanding:lookup:)`` says why.
    public static func expand(_ text: String, lookup: (String) -> String?) -> (value: String, unset: [String]) {
        var unset: [String] = []
        var expander = Expander(Array(text.unicodeScalars), style: .braces)
        let value =
            (try? expander.expand(0..<expander.s.count, depth: 0) { name in
                let v = lookup(name)
                if v == nil { unset.append(name) }
                return v
            }) ?? ""
        return (value, unset)
    }

    /// Why a manifest template cannot be expanded against `lookup` (nested too deep, longer
    /// than the limit once expanded), or nil when it can.
    public static func problem(expanding text: String, lookup: (String) -> String?) -> String? {
        var expander = Expander(Array(text.unicodeScalars), style: .braces)
        do {
            _ = try expander.expand(0..<expander.s.count, depth: 0, lookup)
            return nil
        } catch {
            return error.message
        }
    }

    /// Why an expansion stopped. Messages name variables, never values.
    struct Problem: Error {
        let message: String

        static let tooLong = Problem(
            message: "the value is longer than \(Limits.describe(bytes: Limits.valueBytes)) after interpolation (the limit for one value)")
        static let tooDeep = Problem(message: "${...} expressions are nested more than \(Limits.interpolationNesting) deep (the limit for interpolation)")
    }

    static func spend(_ bytes: Int, from budget: inout Int) throws(Problem) {
        budget -= bytes
        if budget < 0 { throw .tooLong }
    }
}
