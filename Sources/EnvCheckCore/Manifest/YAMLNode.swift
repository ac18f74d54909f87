/// A node of the YAML subset manifests use, with the line and column (both 1-based) where
/// it starts, so every error about it can name `file:line`.
public struct YAMLNode: Sendable, Equatable {
    /// What the node holds: null, a scalar (with its quoting), a sequence or a mapping.
    public enum Content: Sendable, Equatable {
        /// An empty value (`key:` with nothing under it) or a plain `null` / `~`.
        case null
        case scalar(String, YAMLScalarStyle)
        case sequence([YAMLNode])
        case mapping([YAMLEntry])
    }

    public let content: Content
    public let line: Int
    public let column: Int

    public init(_ content: Content, line: Int, column: Int) {
        self.content = content
        self.line = line
        self.column = column
    }

    /// A scalar typed by the YAML 1.2 core schema: plain `true`/`false`, `null`/`~`, integers
    /// and decimals are typed; quoted scalars are always strings. Nil for collections.
    public var scalar: YAMLScalar? {
        switch content {
        case .null: .null
        case .scalar(let text, .plain): YAMLScalar(plain: text)
        case .scalar(let text, _): .string(text)
        case .sequence, .mapping: nil
        }
    }

    /// The scalar's text as written (numbers keep their spelling); nil for null and collections.
    public var text: String? {
        if case .scalar(let text, _) = content { text } else { nil }
    }

    /// What the node is, for "must be X, found Y" errors (never the value: it may be a secret).
    public var kindDescription: String {
        switch scalar {
        case nil: if case .sequence = content { "a list" } else { "a mapping" }
        case .null: "no value"
        case .bool: "true/false"
        case .int, .double: "a number"
        case .string: "a string"
        }
    }
}

/// One `key: value` of a block mapping; `line`/`column` are the key's.
public struct YAMLEntry: Sendable, Equatable {
    public let key: String
    public let line: Int
    public let column: Int
    public let value: YAMLNode

    public init(key: String, line: Int, column: Int, value: YAMLNode) {
        self.key = key
        self.line = line
        self.column = column
        self.value = value
    }
}

/// How a scalar was written: only a plain one is read as a bool, number or null; a
/// quoted one is always a string.
public enum YAMLScalarStyle: Sendable, Equatable {
    case plain, singleQuoted, doubleQuoted
}

/// A scalar's typed value.
public enum YAMLScalar: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)

    /// Types a plain scalar by the YAML 1.2 core schema (no YAML 1.1 `yes`/`no`/`on`/`off`).
    public init(plain text: String) {
        switch text {
        case "", "~", "null", "Null", "NULL": self = .null
        case "true", "True", "TRUE": self = .bool(true)
        case "false", "False", "FALSE": self = .bool(false)
        default:
            if Self.isInteger(text), let i = Int(text) {
                self = .int(i)
            } else if Self.isDecimal(text), let d = Double(text) {
                self = .double(d)
            } else {
                self = .string(text)
            }
        }
    }

    private static func isInteger(_ text: String) -> Bool {
        let digits = text.first == "-" || text.first == "+" ? text.dropFirst() : Substring(text)
        return !digits.isEmpty && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// `1.5`, `-.5`, `2e3`, `1.0E-2` (not `inf`/`nan`, which `Double.init` would also accept).
    private static func isDecimal(_ text: String) -> Bool {
        var body = text.first == "-" || text.first == "+" ? text.dropFirst() : Substring(text)
        if let e = body.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            let exponent = body[body.index(after: e)...]
            let expDigits = exponent.first == "-" || exponent.first == "+" ? exponent.dropFirst() : exponent
            guard !expDigits.isEmpty, expDigits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
            body = body[..<e]
        }
        let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let allDigits = parts.allSatisfy { $0.allSatisfy { $0.isASCII && $0.isNumber } }
        return allDigits && parts.contains { !$0.isEmpty }
    }
}

/// A manifest that cannot be read, parsed or validated: `file:line:column: message` (exit 2).
public struct ManifestError: Error, Equatable, CustomStringConvertible {
    public let path: String
    /// 0 when the problem is not on a line (the file cannot be read).
    public let line: Int
    public let column: Int
    public let message: String

    public init(path: String, line: Int, column: Int, message: String) {
        self.path = path
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        guard line > 0 else { return "\(path): \(message)" }
        return column > 0 ? "\(path):\(line):\(column): \(message)" : "\(path):\(line): \(message)"
    }
}
