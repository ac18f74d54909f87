/// An input file's text as every line-based parser reads it: within ``Limits/fileBytes``,
/// no line longer than ``Limits/lineBytes``, valid UTF-8, a leading BOM dropped, and every
/// line break turned into `\n`. `\r\n` is one line break and a bare `\r` is one too, as
/// python-dotenv, systemd and Python itself read them, so a value can never silently run
/// on past a carriage return into the next line.
public enum TextInput {
    /// Why the text cannot be read, and on which line (1-based).
    public struct Problem: Error, Equatable {
        public let line: Int
        public let message: String
    }

    /// The normalised text as scalars.
    public static func scalars(_ bytes: some Collection<UInt8>, maxBytes: Int = Limits.fileBytes) throws(Problem) -> [Unicode.Scalar] {
        let text = try normalised(bytes, maxBytes: maxBytes)
        return Array(text.unicodeScalars)
    }

    public static func scalars(_ text: String, maxBytes: Int = Limits.fileBytes) throws(Problem) -> [Unicode.Scalar] {
        try scalars(text.utf8, maxBytes: maxBytes)
    }

    /// The normalised text.
    public static func normalised(_ bytes: some Collection<UInt8>, maxBytes: Int = Limits.fileBytes) throws(Problem) -> String {
        guard bytes.count <= maxBytes else {
            throw Problem(line: 1, message: "the file is larger than \(Limits.describe(bytes: maxBytes)), the limit for an input file")
        }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var line = 1
        var lineStart = 0
        var skipLF = false
        var start = bytes.startIndex
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = bytes.index(start, offsetBy: 3) }
        for b in bytes[start...] {
            if skipLF {
                skipLF = false
                if b == 0x0A { continue }
            }
            guard b == 0x0A || b == 0x0D else {
                out.append(b)
                continue
            }
            try checkLength(out.count - lineStart, line: line)
            out.append(0x0A)
            line += 1
            lineStart = out.count
            skipLF = b == 0x0D
        }
        try checkLength(out.count - lineStart, line: line)
        guard let text = String(validating: out, as: UTF8.self) else {
            throw Problem(line: lineOfInvalidUTF8(out), message: "invalid UTF-8")
        }
        return text
    }

    private static func checkLength(_ length: Int, line: Int) throws(Problem) {
        guard length > Limits.lineBytes else { return }
        throw Problem(line: line, message: "the line is longer than \(Limits.describe(bytes: Limits.lineBytes)), the limit for one line")
    }

    /// The first line (of `\n`-separated bytes) that is not valid UTF-8.
    static func lineOfInvalidUTF8(_ bytes: [UInt8]) -> Int {
        var line = 1
        var start = 0
        for (n, b) in bytes.enumerated() where b == 0x0A {
            if String(validating: bytes[start..<n], as: UTF8.self) == nil { return line }
            line += 1
            start = n + 1
        }
        return line
    }
}
