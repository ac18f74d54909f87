/// How an env file is read. A vault-agent file rendered with Go's `%q` parses differently
/// in each consumer (docs/protocols.md §3), so the user names the one their app uses.
public enum EnvDialect: String, Sendable, CaseIterable {
    /// python-dotenv: `export` accepted; `\n`-style escapes decoded in double quotes;
    /// `${VAR}` and `${VAR:-default}` interpolated in every value, single-quoted ones too.
    case dotenv
    /// docker compose `env_file`: `$VAR`, `${VAR}` and the shell operators interpolated in
    /// double-quoted and unquoted values, `$$` is a literal `$`, single quotes are literal.
    case compose
    /// systemd `EnvironmentFile=`: no `export`, no inline comments, no interpolation,
    /// `\n` kept as backslash + letter, backslash-newline continues a line.
    case systemd
}

/// A malformed env file: names the file, line and problem. Exit code 2.
public struct EnvFileError: Error, Equatable, CustomStringConvertible {
    public let path: String
    public let line: Int
    public let message: String

    public init(path: String, line: Int, message: String) {
        self.path = path
        self.line = line
        self.message = message
    }

    public var description: String { line > 0 ? "\(path):\(line): \(message)" : "\(path): \(message)" }
}

/// One `KEY=value` read from a file.
public struct EnvAssignment: Equatable, Sendable {
    public let key: String
    public let value: String
    public let line: Int
    /// Notes about how the value was read that the user should know (kept escapes, ...).
    public let notes: [String]

    public init(key: String, value: String, line: Int, notes: [String] = []) {
        self.key = key
        self.value = value
        self.line = line
        self.notes = notes
    }
}
