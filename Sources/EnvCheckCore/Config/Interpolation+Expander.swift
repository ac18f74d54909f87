extension Interpolation {
    /// One expansion over a text's scalars. `budget` is what the value may still grow by:
    /// every byte appended at any depth is taken from it once, so it tracks the value's real
    /// size.
    struct Expander {
        let s: [Unicode.Scalar]
        let style: Interpolation.Style
        /// For each `$` of a `${`, the index of its `}`; -1 when it has none.
        let closing: [Int]
        var budget = Limits.valueBytes
        var notes: [String] = []
        var noted = Set<String>()

        init(_ s: [Unicode.Scalar], style: Interpolation.Style) {
            self.s = s
            self.style = style
            var closing = [Int](repeating: -1, count: s.count)
            var open: [Int] = []
            var j = 0
            while j < s.count {
                if s[j] == "$", j + 1 < s.count, s[j + 1] == "{" {
                    open.append(j)
                    j += 2
                    continue
                }
                if s[j] == "}", let start = open.popLast() { closing[start] = j }
                j += 1
            }
            self.closing = closing
        }

        static func isNameStart(_ c: Unicode.Scalar) -> Bool {
            (c >= "A" && c <= "Z") || (c >= "a" && c <= "z") || c == "_"
        }

        static func isName(_ c: Unicode.Scalar) -> Bool { isNameStart(c) || (c >= "0" && c <= "9") }

        func text(_ range: Range<Int>) -> String { String(String.UnicodeScalarView(s[range])) }

        // Values are appended as whole strings (a copy of their bytes), not scalar by scalar.
        mutating func append(_ value: String, to out: inout String) throws(Interpolation.Problem) {
            try Interpolation.spend(value.utf8.count, from: &budget)
            out += value
        }

        mutating func append(_ c: Unicode.Scalar, to out: inout String) throws(Interpolation.Problem) {
            try Interpolation.spend(UTF8.width(c), from: &budget)
            out.unicodeScalars.append(c)
        }

        mutating func expand(_ range: Range<Int>, depth: Int, _ lookup: (String) -> String?) throws(Interpolation.Problem) -> String {
            var out = ""
            var i = range.lowerBound
            let end = range.upperBound
            while i < end {
                guard s[i] == "$", i + 1 < end else {
                    try append(s[i], to: &out)
                    i += 1
                    continue
                }
                let next = s[i + 1]
                if style == .compose, next == "$" {
                    try append("$", to: &out)
                    i += 2
                    continue
                }
                if style == .compose, Self.isNameStart(next) {
                    var j = i + 1
                    while j < end, Self.isName(s[j]) { j += 1 }
                    try append(resolve(text((i + 1)..<j), lookup), to: &out)
                    i = j
                    continue
                }
                let close = next == "{" ? closing[i] : -1
                guard close >= 0, close < end else {
                    try append(s[i], to: &out)
                    i += 1
                    continue
                }
                guard depth < Limits.interpolationNesting else { throw .tooDeep }
                guard let value = try braced((i + 2)..<close, depth: depth + 1, lookup) else {
                    try append(s[i], to: &out)
                    i += 1
                    continue
                }
                out += value  // already taken from the budget
                i = close + 1
            }
            return out
        }

        /// The value of a `${...}` body, or nil when it is not an expression (kept literally).
        /// The value returned has already been taken from the budget.
        mutating func braced(_ body: Range<Int>, depth: Int, _ lookup: (String) -> String?) throws(Interpolation.Problem) -> String? {
            var n = body.lowerBound
            while n < body.upperBound, Self.isName(s[n]) { n += 1 }
            guard n > body.lowerBound, Self.isNameStart(s[body.lowerBound]) else { return nil }
            let name = text(body.lowerBound..<n)
            let rest = n..<body.upperBound
            if rest.isEmpty {
                let value = resolve(name, lookup)
                try Interpolation.spend(value.utf8.count, from: &budget)
                return value
            }
            let ops: [String] = style == .compose ? [":-", "-", ":?", "?", ":+", "+"] : [":-"]
            guard let op = ops.first(where: { s[rest].starts(with: $0.unicodeScalars) }) else { return nil }
            let argumentRange = (rest.lowerBound + op.unicodeScalars.count)..<rest.upperBound
            let value = lookup(name)
            let isSet = value != nil
            let isNonEmpty = !(value ?? "").isEmpty
            if op == ":?" || op == "?" {
                // The argument is a message for the user; it is neither expanded nor shown.
                guard op == ":?" ? isNonEmpty : isSet else {
                    let state = op == ":?" ? "unset or empty" : "unset"
                    let hidden = "the message after '\(op)' is not shown, as it may contain a secret"
                    throw Interpolation.Problem(message: "required variable \(name) is \(state) (${\(name)\(op)...}; \(hidden))")
                }
                try Interpolation.spend(value!.utf8.count, from: &budget)
                return value!
            }
            // The argument is expanded only when it is used, as a shell does: an unused default
            // adds no notes and no errors.
            let useArgument =
                switch op {
                case ":-": !isNonEmpty
                case "-": !isSet
                case ":+": isNonEmpty
                default: isSet  // "+"
                }
            if useArgument { return try expand(argumentRange, depth: depth, lookup) }
            let kept = op == ":-" || op == "-" ? value! : ""
            try Interpolation.spend(kept.utf8.count, from: &budget)
            return kept
        }

        mutating func resolve(_ name: String, _ lookup: (String) -> String?) -> String {
            if let v = lookup(name) { return v }
            if noted.insert(name).inserted {
                notes.append("${\(name)} is not set, so it was interpolated as an empty string")
            }
            return ""
        }
    }
}
