/// The name of a `NAME=` or `export NAME=` assignment, wherever one is looked for: a second
/// assignment on an env-file line, a key a template renders, a commented-out example key.
public enum AssignmentName {
    /// The name when `s` holds `NAME=` or `export NAME=` at `start` (NAME: a letter or `_`,
    /// then letters, digits and `_`), else nil. Reads no further than the `=`.
    public static func at(_ s: [Unicode.Scalar], _ start: Int) -> String? {
        var i = start
        func identifier() -> String? {
            let begin = i
            while i < s.count, isIdentifier(s[i], first: i == begin) { i += 1 }
            return i > begin ? String(String.UnicodeScalarView(s[begin..<i])) : nil
        }
        guard var name = identifier() else { return nil }
        if name == "export", i < s.count, s[i] == " " || s[i] == "\t" {
            while i < s.count, s[i] == " " || s[i] == "\t" { i += 1 }
            guard let exported = identifier() else { return nil }
            name = exported
        }
        return i < s.count && s[i] == "=" ? name : nil
    }

    static func isIdentifier(_ c: Unicode.Scalar, first: Bool) -> Bool {
        (c >= "A" && c <= "Z") || (c >= "a" && c <= "z") || c == "_" || (!first && c >= "0" && c <= "9")
    }
}
