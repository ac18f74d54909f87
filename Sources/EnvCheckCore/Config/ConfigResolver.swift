/// Builds the ``ResolvedConfig``: env files in order (lowest precedence first), then the
/// process environment, which wins unless `override` makes files authoritative.
public struct ConfigResolver {
    /// What to load: the env files (`--env-file`, in order), whether `./.env` is picked up,
    /// whether files override the process environment, and the files' dialect.
    public struct Options: Sendable {
        public var envFiles: [String]
        /// Load `./.env` when it exists and no `envFiles` are named (as docker compose does).
        public var autoLoadDotEnv: Bool
        /// Files win over the process environment (python-dotenv's `override=True`).
        public var override: Bool
        public var dialect: EnvDialect
        /// The file auto-loaded when `autoLoadDotEnv` is on.
        public var dotEnvPath: String

        public init(
            envFiles: [String] = [], autoLoadDotEnv: Bool = true, override: Bool = false, dialect: EnvDialect = .dotenv,
            dotEnvPath: String = ".env"
        ) {
            self.dotEnvPath = dotEnvPath
            self.envFiles = envFiles
            self.autoLoadDotEnv = autoLoadDotEnv
            self.override = override
            self.dialect = dialect
        }
    }

    /// Why the configuration cannot be resolved (exit 2).
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case unreadable(FileSystem.Failure)
        case malformed(EnvFileError)

        public var description: String {
            switch self {
            case .unreadable(let f): "cannot read env file \(f.path): \(f.reason)"
            case .malformed(let e): e.description
            }
        }
    }

    public static func resolve(
        _ options: Options, environment: [String: String],
        read: (String) throws(FileSystem.Failure) -> [UInt8] = FileSystem.readInput
    ) throws(Failure) -> ResolvedConfig {
        var config = ResolvedConfig(environment)
        var files = options.envFiles
        if files.isEmpty, options.autoLoadDotEnv, FileSystem.exists(options.dotEnvPath), !FileSystem.isDirectory(options.dotEnvPath) {
            files = [options.dotEnvPath]
        }
        for path in files {
            let bytes: [UInt8]
            do { bytes = try read(path) } catch { throw .unreadable(error) }
            config.addFile(path)
            do {
                var parser = try EnvFileParser(bytes: bytes, path: path, dialect: options.dialect)
                while let assignment = try parser.next(lookup: { config.value($0) }) {
                    apply(assignment, path: path, override: options.override, to: &config)
                }
            } catch {
                throw .malformed(error)
            }
        }
        for entry in config.entries.values.sorted(by: { $0.key < $1.key }) {
            for message in SuspiciousValues.check(entry.value) {
                config.addWarning(ConfigWarning(key: entry.key, source: entry.source, message: message))
            }
        }
        return config
    }

    private static func apply(_ a: EnvAssignment, path: String, override: Bool, to config: inout ResolvedConfig) {
        let source = ConfigSource.file(path: path, line: a.line)
        for note in a.notes { config.addWarning(ConfigWarning(key: a.key, source: source, message: note)) }
        if let existing = config[a.key] {
            if existing.source == .environment && !override {
                var kept = existing
                kept.shadowed.append(source)
                config.set(kept)
                return
            }
            config.set(ConfigEntry(key: a.key, value: a.value, source: source, shadowed: existing.shadowed + [existing.source]))
        } else {
            config.set(ConfigEntry(key: a.key, value: a.value, source: source))
        }
    }
}

/// Values that are almost certainly a rendering or quoting mistake.
public enum SuspiciousValues {
    public static func check(_ value: String) -> [String] {
        var found: [String] = []
        if value.utf8Contains("%!") {
            found.append("looks like a Go template formatting error (e.g. %!q(<nil>)): the secret was missing when the file was rendered")
        }
        if value.utf8Contains("<no value>") {
            found.append("contains '<no value>': a template key was missing when the file was rendered")
        }
        if value.utf8Contains("${") {
            found.append("contains an unresolved ${...} reference")
        }
        if value.count >= 2, let f = value.first, let l = value.last, f == l, f == "\"" || f == "'" {
            found.append("is still wrapped in \(f == "\"" ? "double" : "single") quotes after parsing: the quotes will be part of the value")
        }
        return found
    }
}
