/// Where a configuration value came from.
public enum ConfigSource: Sendable, Equatable, CustomStringConvertible {
    case environment
    case file(path: String, line: Int)

    public var description: String {
        switch self {
        case .environment: "env"
        case .file(let path, let line): "\(path):\(line)"
        }
    }
}

/// One value a source gave a key.
public struct ConfigAssignment: Sendable, Equatable {
    public let source: ConfigSource
    public let value: String

    public init(source: ConfigSource, value: String) {
        self.source = source
        self.value = value
    }
}

/// One resolved key: its winning value and source.
public struct ConfigEntry: Sendable, Equatable {
    public let key: String
    public let value: String
    public let source: ConfigSource
    /// What this value overrode or was preferred over, lowest precedence first.
    public var shadowed: [ConfigAssignment]

    public init(key: String, value: String, source: ConfigSource, shadowed: [ConfigAssignment] = []) {
        self.key = key
        self.value = value
        self.source = source
        self.shadowed = shadowed
    }

    /// Every source that set the key, the winner first (`env`, then `.env:3`, then `base.env:7`).
    public var sources: [ConfigAssignment] { [ConfigAssignment(source: source, value: value)] + shadowed.reversed() }
}

/// A suspicious value or a parsing note, tied to a key and where it was read; a warning
/// about a whole file (too old) has an empty `key`.
public struct ConfigWarning: Sendable, Equatable, CustomStringConvertible {
    public let key: String
    public let source: ConfigSource
    public let message: String

    public init(key: String, source: ConfigSource, message: String) {
        self.key = key
        self.source = source
        self.message = message
    }

    public var description: String { key.isEmpty ? "\(source): \(message)" : "\(key) (\(source)): \(message)" }

    /// For reports: the key, its source and the message are envcheck's own words (warnings
    /// and parse notes name keys, escapes and variables, never a value).
    public var text: Message {
        key.isEmpty ? "\(label: source.description): \(label: message)" : "\(key: key) (\(label: source.description)): \(label: message)"
    }
}

/// The application's configuration after every source was read and precedence applied.
public struct ResolvedConfig: Sendable {
    public private(set) var entries: [String: ConfigEntry] = [:]
    public private(set) var warnings: [ConfigWarning] = []
    /// The env files that were read, in order.
    public private(set) var files: [String] = []
    /// Key → the variables its env-file value interpolated (`${PART}`), for the secret
    /// inventory: a part of a secret is a secret.
    public private(set) var references: [String: [String]] = [:]

    public init() {}

    /// A config from plain values (tests, and the environment alone).
    public init(_ values: [String: String], source: ConfigSource = .environment) {
        for (k, v) in values { entries[k] = ConfigEntry(key: k, value: v, source: source) }
    }

    public subscript(key: String) -> ConfigEntry? { entries[key] }

    /// The value of `key`, or nil when unset.
    public func value(_ key: String) -> String? { entries[key]?.value }

    /// The value of `key` when set and not empty (after trimming spaces).
    public func nonEmpty(_ key: String) -> String? {
        guard let v = entries[key]?.value, !v.trimmingSpaces.isEmpty else { return nil }
        return v
    }

    /// The first of `keys` that is set and not empty, with its key.
    public func first(of keys: [String]) -> (key: String, value: String)? {
        for k in keys { if let v = nonEmpty(k) { return (k, v) } }
        return nil
    }

    /// Every key that is set, sorted.
    public var keys: [String] { entries.keys.sorted() }

    mutating func set(_ entry: ConfigEntry) { entries[entry.key] = entry }
    mutating func addWarning(_ warning: ConfigWarning) { warnings.append(warning) }
    mutating func addFile(_ path: String) { files.append(path) }
    mutating func addReferences(_ key: String, _ names: [String]) { if !names.isEmpty { references[key, default: []] += names } }

    /// The environment this configuration describes (``EnvironmentName``).
    public var environment: EnvironmentName { EnvironmentName(config: self) }

    /// The environment name as configured: `ENVIRONMENT` > `ENV` > `NODE_ENV`.
    public var environmentName: String? { environment.name }

    /// Whether the environment is production, staging or a preview (which counts as staging).
    public var isProductionLike: Bool { environment.isProductionLike }
}
