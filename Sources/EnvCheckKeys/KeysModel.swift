import EnvCheckCore

/// The three configuration layers `envcheck keys` compares.
public enum KeysLayer: String, Sendable, CaseIterable {
    /// The consul-template / Vault file production renders (`secrets.ctmpl`).
    case template
    /// The typed pydantic `BaseSettings` class(es) the backend validates at start-up.
    case settings
    /// The documented `.env.example`.
    case example
}

/// One disagreement between the layers, located at `file:line`.
public struct KeyFinding: Sendable, Equatable {
    /// A `fail` makes `envcheck keys` exit 1; a `warn` is reported only (`--strict` makes
    /// every finding a `fail`).
    public enum Severity: String, Sendable { case fail, warn }

    public var severity: Severity
    public let code: ErrorCode
    public let message: String
    public let key: String
    public let file: String
    public let line: Int
    public let layer: KeysLayer

    public init(_ severity: Severity, _ code: ErrorCode, _ message: String, key: String, file: String, line: Int, layer: KeysLayer) {
        self.severity = severity
        self.code = code
        self.message = message
        self.key = key
        self.file = file
        self.line = line
        self.layer = layer
    }

    public var location: String { "\(file):\(line)" }
}

/// The finding codes, in the order the JUnit report lists its checks.
extension ErrorCode {
    public static let templateKeyUnknown = ErrorCode("template_key_unknown")
    public static let fieldNotInExample = ErrorCode("field_not_in_example")
    public static let exampleKeyUnknown = ErrorCode("example_key_unknown")
    public static let vaultKeyNotInTemplate = ErrorCode("vault_key_not_in_template")
    public static let templateKeyNotVault = ErrorCode("template_key_not_vault")
    public static let requiredWithoutSource = ErrorCode("required_without_source")
    public static let invalidExampleValue = ErrorCode("invalid_example_value")
    public static let duplicateKey = ErrorCode("duplicate_key")
    public static let keysOnOneLine = ErrorCode("keys_on_one_line")
    public static let devDefault = ErrorCode("dev_default")

    /// Every code `envcheck keys` reports.
    public static let keysCodes: [ErrorCode] = [
        .templateKeyUnknown, .fieldNotInExample, .exampleKeyUnknown, .vaultKeyNotInTemplate,
        .templateKeyNotVault, .requiredWithoutSource, .invalidExampleValue, .duplicateKey, .keysOnOneLine, .devDefault,
    ]
}

/// `envcheck keys` could not run as asked (a missing or unreadable file, a file it cannot
/// parse): exit 2. The description names `file:line` when there is one.
public struct KeysInputError: Error, Equatable, CustomStringConvertible {
    public let path: String
    public let line: Int?
    public let message: String

    public init(path: String, line: Int? = nil, message: String) {
        self.path = path
        self.line = line
        self.message = message
    }

    public var description: String { line.map { "\(path):\($0): \(message)" } ?? "\(path): \(message)" }
}

/// Reads a layer file; a missing file is an error, never a silent pass.
enum KeysFile {
    static func read(_ path: String, layer: KeysLayer) throws(KeysInputError) -> [UInt8] {
        guard FileSystem.exists(path) else {
            throw KeysInputError(
                path: path,
                message:
                    "the \(layer.rawValue) file does not exist (name it with --\(layer.rawValue) PATH\(layer == .template ? ", or pass --no-template" : ""))")
        }
        do {
            return try FileSystem.readInput(path)
        } catch {
            throw KeysInputError(path: path, message: "cannot read the \(layer.rawValue) file: \(error.reason)")
        }
    }

    static func text(_ path: String, layer: KeysLayer) throws(KeysInputError) -> String {
        let bytes = try read(path, layer: layer)
        do { return try TextInput.normalised(bytes) } catch {
            throw KeysInputError(path: path, line: error.line, message: error.message)
        }
    }
}
