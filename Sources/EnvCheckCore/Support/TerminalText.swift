/// Makes untrusted text (server messages, driver errors) safe for one terminal line:
/// newlines and tabs become spaces, other control characters (ESC included, so no escape
/// sequence reaches the terminal) become `\xNN`.
public enum TerminalText {
    public static func oneLine(_ text: String) -> String {
        var out = ""
        for c in text.unicodeScalars {
            switch c {
            case "\n", "\r", "\t": out += " "
            case _ where c.value < 0x20 || c.value == 0x7F || (0x80...0x9F).contains(c.value):
                out += "\\x" + (c.value < 0x10 ? "0" : "") + String(c.value, radix: 16)
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
