/// XML 1.0 escaping, shared by every XML report (the run's JUnit and `keys`' JUnit).
/// Characters XML 1.0 forbids even as references (C0 controls but TAB, LF, CR; U+FFFE,
/// U+FFFF) are replaced by their `\xNN` text form.
public enum XML {
    public static func text(_ s: String) -> String { escape(s, attribute: false) }
    public static func attribute(_ s: String) -> String { escape(s, attribute: true) }

    static func escape(_ s: String, attribute: Bool) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where attribute: out += "&quot;"
            case "'" where attribute: out += "&apos;"
            case "\n" where attribute: out += "&#10;"
            case "\t" where attribute: out += "&#9;"
            case "\r": out += "&#13;"
            case _ where c.value < 0x20 && c != "\n" && c != "\t":
                out += "\\x" + Hex.digits(c.value, width: 2)
            case "\u{FFFE}", "\u{FFFF}": out += "\\u" + Hex.digits(c.value, width: 4)
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
