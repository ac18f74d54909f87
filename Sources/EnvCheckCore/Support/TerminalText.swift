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
                out += "\\x" + Hex.digits(c.value, width: 2)
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// `text` cut to at most `limit` characters, a cut marked with "…".
    public static func truncated(_ text: String, to limit: Int) -> String {
        guard text.count > limit else { return text }
        return String(text.prefix(max(0, limit - 1))) + "…"
    }

    /// Text from outside the process (a server's or a driver's message) made fit to quote
    /// in a result: `secrets` (at least ``SecretPolicy/minimumScrubLength`` characters)
    /// and any connection-string credential removed by ``Redactor``, on one line
    /// (``oneLine(_:)``), trimmed, and at most `limit` characters. It is scrubbed before it
    /// is cut, so a cut cannot leave half a secret behind. Probes keep only what is
    /// specific to their server (dropping echoed arguments, eliding quoted fragments).
    public static func quote(_ text: String, hiding secrets: [String] = [], limit: Int = 200) -> String {
        truncated(oneLine(Redactor(secrets: secrets).scrub(text)).trimmingSpaces, to: limit)
    }
}
