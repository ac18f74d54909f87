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
        /// A file last written longer ago than this is a warning (`--max-age`: vault-agent
        /// re-renders its file on every lease renewal, so an old one says it stopped).
        public var maxAge: Duration?

        public init(
            envFiles: [String] = [], autoLoadDotEnv: Bool = true, override: Bool = false, dialect: EnvDialect = .dotenv,
            dotEnvPath: String = ".env", maxAge: Duration? = nil
        ) {
            self.dotEnvPath = dotEnvPath
            self.maxAge = maxAge
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
        read: (String) throws(FileSystem.Failure) -> [UInt8] = FileSystem.readInput,
        age: (String) -> Duration? = FileSystem.age
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
            if let maxAge = options.maxAge, let fileAge = age(path), fileAge > maxAge {
                config.addWarning(
                    ConfigWarning(
                        key: "", source: .file(path: path, line: 1),
                        message: "stale_file: last written \(DurationText.rough(fileAge)) ago, more than --max-age "
                            + "\(DurationText.rough(maxAge)): whatever renders it (vault-agent, consul-template) may have stopped"))
            }
            do {
                var parser = try EnvFileParser(bytes: bytes, path: path, dialect: options.dialect)
                var lines: [String: Int] = [:]
                var used: [String] = []
                while let assignment = try parser.next(lookup: { name in
                    used.append(name)
                    return config.value(name)
                }) {
                    config.addReferences(assignment.key, used)
                    used = []
                    if let earlier = lines[assignment.key] {
                        config.addWarning(
                            ConfigWarning(
                                key: assignment.key, source: .file(path: path, line: assignment.line),
                                message: "duplicate_key: set twice in this file, on lines \(earlier) and \(assignment.line); "
                                    + "the later one counts (a template that renders the key twice, or a leftover copy)"))
                    }
                    lines[assignment.key] = assignment.line
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
                kept.shadowed.append(ConfigAssignment(source: source, value: a.value))
                config.set(kept)
                return
            }
            config.set(
                ConfigEntry(
                    key: a.key, value: a.value, source: source,
                    shadowed: existing.shadowed + [ConfigAssignment(source: existing.source, value: existing.value)]))
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
        if secondAssignment(in: value) {
            found.append("holds what looks like a second KEY=value assignment: a template may have rendered two keys on one line")
        }
        if value.count >= 2, let f = value.first, let l = value.last, f == l, f == "\"" || f == "'" {
            found.append("is still wrapped in \(f == "\"" ? "double" : "single") quotes after parsing: the quotes will be part of the value")
        }
        return found
    }

    /// A space or tab, then an upper-case name of 3+ characters and `=`: `... REDIS_URL=redis://`.
    static func secondAssignment(in value: String) -> Bool {
        let b = Array(value.utf8)
        var i = 0
        while i < b.count {
            defer { i += 1 }
            guard b[i] == 0x20 || b[i] == 0x09 else { continue }
            var j = i + 1
            while j < b.count, j - i <= 128, (b[j] >= 0x41 && b[j] <= 0x5A) || b[j] == 0x5F || (j > i + 1 && b[j] >= 0x30 && b[j] <= 0x39) {
                j += 1
            }
            if j - i - 1 >= 3, j < b.count, b[j] == 0x3D { return true }
        }
        return false
    }
}
