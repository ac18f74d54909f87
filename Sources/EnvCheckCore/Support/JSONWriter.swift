/// Serialises ``JSONValue`` without Foundation: compact or two-space indented, keys in order.
public enum JSONWriter {
    public static func write(_ value: JSONValue, pretty: Bool = true) -> String {
        var out = ""
        append(value, to: &out, indent: pretty ? 0 : nil)
        return out
    }

    private static func append(_ value: JSONValue, to out: inout String, indent: Int?) {
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += format(d)
        case .string(let s): appendString(s, to: &out)
        case .array(let items):
            appendContainer(open: "[", close: "]", count: items.count, to: &out, indent: indent) { i, out, inner in
                append(items[i], to: &out, indent: inner)
            }
        case .object(let object):
            appendContainer(open: "{", close: "}", count: object.entries.count, to: &out, indent: indent) { i, out, inner in
                appendString(object.entries[i].key, to: &out)
                out += inner == nil ? ":" : ": "
                append(object.entries[i].value, to: &out, indent: inner)
            }
        }
    }

    private static func appendContainer(
        open: String, close: String, count: Int, to out: inout String, indent: Int?,
        element: (Int, inout String, Int?) -> Void
    ) {
        out += open
        guard count > 0 else {
            out += close
            return
        }
        let inner = indent.map { $0 + 2 }
        for i in 0..<count {
            if i > 0 { out += "," }
            if let inner { out += "\n" + String(repeating: " ", count: inner) }
            element(i, &out, inner)
        }
        if let indent { out += "\n" + String(repeating: " ", count: indent) }
        out += close
    }

    private static func format(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return String(d)
    }

    static func appendString(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0x2028 || scalar.value == 0x2029:
                out += "\\u" + Hex.digits(scalar.value, width: 4)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

}
