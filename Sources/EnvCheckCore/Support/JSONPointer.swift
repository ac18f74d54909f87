/// A JSON Pointer (RFC 6901): `/status`, `/checks/0/name`, `/a~1b` for the key `a/b`.
public struct JSONPointer: Sendable, Equatable, CustomStringConvertible {
    /// The unescaped reference tokens.
    public let tokens: [String]
    public let description: String

    public struct ParseError: Error, Equatable, Sendable {
        public let reason: String
    }

    /// `""` is the whole document; anything else starts with `/`. `~0` is `~`, `~1` is `/`,
    /// and a `~` followed by anything else is an error.
    public init(_ text: String) throws(ParseError) {
        description = text
        guard !text.isEmpty else {
            tokens = []
            return
        }
        guard text.hasPrefix("/") else { throw ParseError(reason: "a JSON Pointer starts with / (\"/status\")") }
        var tokens: [String] = []
        for raw in text.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            var token = ""
            var tilde = false
            for c in raw {
                if tilde {
                    switch c {
                    case "0": token.append("~")
                    case "1": token.append("/")
                    default: throw ParseError(reason: "~ must be followed by 0 or 1 in a JSON Pointer")
                    }
                    tilde = false
                } else if c == "~" {
                    tilde = true
                } else {
                    token.append(c)
                }
            }
            if tilde { throw ParseError(reason: "~ must be followed by 0 or 1 in a JSON Pointer") }
            tokens.append(token)
        }
        self.tokens = tokens
    }

    /// The value the pointer refers to in `document`; nil when there is none. An array
    /// index is decimal digits without a leading zero (`-` names no element).
    public func resolve(in document: JSONValue) -> JSONValue? {
        var current = document
        for token in tokens {
            switch current {
            case .object(let object):
                guard let next = object[token] else { return nil }
                current = next
            case .array(let items):
                guard !token.isEmpty, token.allSatisfy({ $0.isASCII && $0.isNumber }), token == "0" || !token.hasPrefix("0"), let index = Int(token),
                    index < items.count
                else { return nil }
                current = items[index]
            default:
                return nil
            }
        }
        return current
    }
}
