/// A deliberately tiny XML reader for the few flat elements the S3 probe needs from S3's
/// response bodies (`<Code>`, `<Message>`, `<Region>`, `<KeyCount>`...). It finds the first
/// `<Name>...</Name>` (or `<Name/>`) and decodes the five predefined entities and numeric
/// character references. No Foundation, no DOM: S3 error bodies are small and flat.
public enum S3XML {
    /// The text of the first element called `name`, or nil when there is none.
    public static func text(of name: String, in xml: String) -> String? {
        var rest = Substring(xml)
        while let open = rest.firstRange(of: "<" + name) {
            let after = rest[open.upperBound...]
            guard let next = after.first else { return nil }
            if next == ">" {
                let content = after.dropFirst()
                guard let close = content.firstRange(of: "</" + name + ">") else { return nil }
                return decodeEntities(String(content[..<close.lowerBound]))
            }
            if next == "/" && after.dropFirst().first == ">" { return "" }
            if next == " " || next == "\t" || next == "\n" || next == "\r" {
                // Attributes: skip to the end of the start tag.
                guard let end = after.firstIndex(of: ">") else { return nil }
                if after[after.index(before: end)] == "/" { return "" }
                let content = after[after.index(after: end)...]
                guard let close = content.firstRange(of: "</" + name + ">") else { return nil }
                return decodeEntities(String(content[..<close.lowerBound]))
            }
            rest = after  // a longer name with the same prefix (<CodeX>)
        }
        return nil
    }

    /// Replaces `&lt; &gt; &amp; &quot; &apos; &#NN; &#xHH;`; unknown entities stay as they are.
    public static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var out = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            let tail = rest[amp...]
            if let semi = tail.prefix(12).firstIndex(of: ";"), let decoded = entity(tail[tail.index(after: amp)..<semi]) {
                out.unicodeScalars.append(decoded)
                rest = tail[tail.index(after: semi)...]
            } else {
                out += "&"
                rest = tail.dropFirst()
            }
        }
        return out + rest
    }

    private static func entity(_ name: Substring) -> Unicode.Scalar? {
        switch name {
        case "lt": return "<"
        case "gt": return ">"
        case "amp": return "&"
        case "quot": return "\""
        case "apos": return "'"
        default:
            guard name.hasPrefix("#") else { return nil }
            let digits = name.dropFirst()
            let value = digits.hasPrefix("x") || digits.hasPrefix("X") ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
            return value.flatMap(Unicode.Scalar.init)
        }
    }
}

/// The parts of an S3 `<Error>` body the probe uses. Only these: AWS also echoes the
/// `<CanonicalRequest>` and `<StringToSign>`, which carry the session token, so nothing
/// else from the body ever reaches a report.
public struct S3ErrorBody: Sendable, Equatable {
    public var code: String?
    public var message: String?
    public var region: String?
    public var endpoint: String?
    public var serverTime: String?

    public init(
        code: String? = nil, message: String? = nil, region: String? = nil, endpoint: String? = nil,
        serverTime: String? = nil
    ) {
        self.code = code
        self.message = message
        self.region = region
        self.endpoint = endpoint
        self.serverTime = serverTime
    }

    /// Nil when the body is not an S3 error document (empty, HTML from a proxy, ...).
    public init?(xml: String) {
        guard xml.contains("<Error") else { return nil }
        code = S3XML.text(of: "Code", in: xml)
        message = S3XML.text(of: "Message", in: xml)
        region = S3XML.text(of: "Region", in: xml)
        endpoint = S3XML.text(of: "Endpoint", in: xml)
        serverTime = S3XML.text(of: "ServerTime", in: xml)
        if code == nil && message == nil { return nil }
    }
}
