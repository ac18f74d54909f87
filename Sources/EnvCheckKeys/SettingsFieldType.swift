import EnvCheckCore

/// A settings field's type as pydantic reads it from an environment variable, so an
/// example value can be checked the way the app will check it at start-up.
public struct FieldType: Sendable, Equatable {
    /// The shape of value the type accepts from an environment variable.
    public enum Kind: Sendable, Equatable {
        case string, int, float, bool
        /// `list[...]`, `set[...]`, `tuple[...]`: a JSON array.
        case jsonArray
        /// `dict[...]`, a nested model: a JSON object.
        case jsonObject
        /// `Json`: any JSON.
        case json
        /// `AnyUrl`, `HttpUrl`, `PostgresDsn`...: `httpOnly` for `HttpUrl`, `needsHost` for DSNs.
        case url(httpOnly: Bool, needsHost: Bool)
        /// `Literal[...]` of strings and integers: one of them, exactly.
        case literal([LiteralValue])
        /// Anything else (enums, paths, own classes, `Literal[True]`): not checked.
        case any
    }

    /// One value of a `Literal[...]`.
    public enum LiteralValue: Sendable, Equatable, CustomStringConvertible {
        case string(String)
        case int(Int)

        public var description: String {
            switch self {
            case .string(let s): "'\(s)'"
            case .int(let n): "\(n)"
            }
        }
    }

    /// The union's members, `None` removed.
    public let kinds: [Kind]
    /// `Optional[X]`, `X | None`, `Union[X, None]`.
    public let isOptional: Bool
    /// The annotation as written (for messages).
    public let text: String

    public init(kinds: [Kind], isOptional: Bool, text: String) {
        self.kinds = kinds
        self.isOptional = isOptional
        self.text = text
    }

    /// nil when pydantic would accept `value`, else why not. Empty values are not checked
    /// (an example leaves them to be filled in).
    public func problem(with value: String) -> String? {
        let v = value.trimmingSpaces
        guard !v.isEmpty, !kinds.isEmpty else { return nil }
        if isOptional, v.lowercased() == "null" || v.lowercased() == "none" { return nil }
        let reasons = kinds.compactMap { Self.problem(v, as: $0) }
        return reasons.count == kinds.count ? reasons.joined(separator: "; ") : nil
    }

    /// Whether pydantic rejects an empty value (an `int` field set to `KEY=` fails at
    /// start-up; a `str` takes it, and `Optional` does not help: `""` is not `None`).
    public var rejectsEmpty: Bool {
        !kinds.isEmpty && kinds.allSatisfy { Self.problem("", as: $0) != nil }
    }

    /// A `Literal[...]` of integers only: no value from the environment can ever match it.
    public var readsNoEnvironmentValue: Bool {
        !kinds.isEmpty
            && kinds.allSatisfy { kind in
                guard case .literal(let values) = kind else { return false }
                return values.allSatisfy { if case .int = $0 { true } else { false } }
            }
    }

    static func problem(_ v: String, as kind: Kind) -> String? {
        switch kind {
        case .string, .any: return nil
        case .literal(let values):
            // A string must match exactly (case too). pydantic-settings hands the model the
            // environment's strings, and a string never equals an integer value: `Literal[1, 2]`
            // rejects "2" (checked against pydantic 2.14, Tests/EndToEndTests/KeysPydanticTests).
            let matches = values.contains { value in
                if case .string(let s) = value { return s == v }
                return false
            }
            if matches { return nil }
            if values.contains(where: { if case .int = $0 { true } else { false } }), isInt(v) {
                return "a string to pydantic-settings (the environment holds only strings), which never equals an integer Literal value"
            }
            return "not one of \(values.map(\.description).joined(separator: ", ")) (pydantic compares exactly, case included)"
        case .int: return isInt(v) ? nil : v.isEmpty ? "empty" : "not an integer"
        case .float: return isFloat(v) ? nil : v.isEmpty ? "empty" : "not a number"
        case .bool: return boolWords.contains(v.lowercased()) ? nil : "not a boolean (pydantic reads true/false, 1/0, yes/no, on/off, t/f, y/n)"
        case .json, .jsonArray, .jsonObject:
            guard let parsed = try? JSONParser.parse(v) else { return "not valid JSON (pydantic-settings decodes this type as JSON)" }
            if kind == .jsonArray, parsed.arrayValue == nil { return "not a JSON array" }
            if kind == .jsonObject, parsed.objectValue == nil { return "not a JSON object" }
            return nil
        case .url(let httpOnly, let needsHost):
            return urlProblem(v, httpOnly: httpOnly, needsHost: needsHost)
        }
    }

    static let boolWords: Set<String> = ["true", "false", "1", "0", "yes", "no", "on", "off", "t", "f", "y", "n"]

    /// Python `int()` syntax (sign, digits, single underscores between digits), or a
    /// float with a zero fraction, which pydantic also accepts.
    static func isInt(_ v: String) -> Bool {
        var digits = Substring(v)
        if digits.first == "+" || digits.first == "-" { digits = digits.dropFirst() }
        if let dot = digits.firstIndex(of: ".") {
            guard digits[digits.index(after: dot)...].allSatisfy({ $0 == "0" }) else { return false }
            digits = digits[..<dot]
        }
        return isDigitRun(digits)
    }

    static func isFloat(_ v: String) -> Bool {
        let lower = v.lowercased()
        var body = Substring(lower)
        if body.first == "+" || body.first == "-" { body = body.dropFirst() }
        if ["inf", "infinity", "nan"].contains(String(body)) { return true }
        let parts = body.split(separator: "e", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return false }
        if parts.count == 2 {
            var exp = parts[1]
            if exp.first == "+" || exp.first == "-" { exp = exp.dropFirst() }
            guard isDigitRun(exp) else { return false }
        }
        let mantissa = parts[0].split(separator: ".", omittingEmptySubsequences: false)
        guard mantissa.count <= 2, mantissa.contains(where: { !$0.isEmpty }) else { return false }
        return mantissa.allSatisfy { $0.isEmpty || isDigitRun($0) }
    }

    static func isDigitRun(_ s: Substring) -> Bool {
        guard let first = s.first, let last = s.last, first.isASCIIDigit, last.isASCIIDigit else { return false }
        return !s.contains("__") && s.allSatisfy { $0.isASCIIDigit || $0 == "_" }
    }

    static func urlProblem(_ v: String, httpOnly: Bool, needsHost: Bool) -> String? {
        guard let colon = v.firstIndex(of: ":") else { return "not a URL (no scheme)" }
        let scheme = v[..<colon]
        guard let first = scheme.first, first.isLetter,
            scheme.allSatisfy({ $0.isLetter || $0.isASCIIDigit || "+-.".contains($0) })
        else { return "not a URL (bad scheme)" }
        let rest = v[v.index(after: colon)...]
        if httpOnly, !["http", "https"].contains(scheme.lowercased()) { return "not an http(s) URL" }
        if httpOnly || needsHost, !rest.hasPrefix("//") || rest.count <= 2 { return "not a URL with a host (scheme://host)" }
        return rest.isEmpty ? "not a URL" : nil
    }
}

extension Character {
    var isASCIIDigit: Bool { self >= "0" && self <= "9" }
}
