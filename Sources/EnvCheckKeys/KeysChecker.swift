import EnvCheckCore

/// What `envcheck keys` compares, and how.
public struct KeysOptions: Sendable {
    public var templates: [String]
    public var settings: [String]
    public var examples: [String]
    /// false with `--no-template`: check settings against the example only.
    public var useTemplate: Bool
    /// Example keys with these prefixes may be unknown to the settings (frontend keys).
    public var allowPrefixes: [String]
    /// Warnings become failures.
    public var strict: Bool
    /// How far a `[VAULT]` marker in the example reaches.
    public var vaultMarkers: ExampleParser.VaultMarkers = .line

    public static let defaultTemplate = "secrets.ctmpl"
    public static let defaultSettings = "config.py"
    public static let defaultExample = ".env.example"
    public static let defaultAllowPrefixes = ["NEXT_PUBLIC_"]

    public init(
        templates: [String] = [defaultTemplate], settings: [String] = [defaultSettings],
        examples: [String] = [defaultExample], useTemplate: Bool = true,
        allowPrefixes: [String] = defaultAllowPrefixes, strict: Bool = false, vaultMarkers: ExampleParser.VaultMarkers = .line
    ) {
        self.vaultMarkers = vaultMarkers
        self.templates = templates
        self.settings = settings
        self.examples = examples
        self.useTemplate = useTemplate
        self.allowPrefixes = allowPrefixes
        self.strict = strict
    }
}

/// The three layers as read from their files.
public struct KeysLayers: Sendable {
    /// nil with `--no-template`.
    public var template: [TemplateKey]?
    public var settings: [SettingsClass]
    public var example: [ExampleEntry]

    /// Reads every named file; a missing or unparseable one is a ``KeysInputError``.
    public static func load(_ options: KeysOptions) throws(KeysInputError) -> KeysLayers {
        var template: [TemplateKey]?
        if options.useTemplate {
            template = []
            for path in options.templates {
                template! += try TemplateParser.parse(KeysFile.text(path, layer: .template), path: path)
            }
        }
        var settings: [SettingsClass] = []
        for path in options.settings { settings += try SettingsParser.parse(KeysFile.text(path, layer: .settings), path: path) }
        var example: [ExampleEntry] = []
        for path in options.examples {
            example += try ExampleParser.parse(KeysFile.text(path, layer: .example), path: path, markers: options.vaultMarkers)
        }
        return KeysLayers(template: template, settings: settings, example: example)
    }
}

/// Proves template ⊆ typed settings ⊆ documented example, and that values and
/// `[VAULT]` markers agree; see docs/design.md, `envcheck keys`. Each finding names `file:line`.
public enum KeysChecker {
    /// Reads the layers and checks them: the whole of `envcheck keys` but the printing.
    public static func run(_ options: KeysOptions) throws(KeysInputError) -> KeysReport {
        let startedAt = Timestamp.nowEpochMs()
        let start = ContinuousClock.now
        let layers = try KeysLayers.load(options)
        let findings = check(layers, options: options)
        let files = (options.useTemplate ? options.templates : []) + options.settings + options.examples
        return KeysReport(
            startedAtEpochMs: startedAt, durationMs: Int((ContinuousClock.now - start).milliseconds),
            findings: findings, files: files)
    }

    public static func check(_ layers: KeysLayers, options: KeysOptions) -> [KeyFinding] {
        let index = KeysIndex(fields: uniqueFields(layers.settings), example: layers.example, template: layers.template)
        var findings: [KeyFinding] = []
        findings += duplicates(layers)
        if let template = layers.template {
            findings += templateFindings(template, index: index)
        }
        findings += exampleFindings(index, hasTemplate: layers.template != nil, allow: options.allowPrefixes)
        findings += fieldFindings(index, hasTemplate: layers.template != nil)
        if options.strict {
            for n in findings.indices { findings[n].severity = .fail }
        }
        let order = Dictionary(KeysLayer.allCases.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        return findings.sorted {
            (order[$0.layer] ?? 0, $0.file, $0.line, $0.code.rawValue) < (order[$1.layer] ?? 0, $1.file, $1.line, $1.code.rawValue)
        }
    }

    /// Fields of every checked class, once each (a parent's field reaches several leaves).
    static func uniqueFields(_ classes: [SettingsClass]) -> [SettingsField] {
        var seen = Set<String>()
        return classes.flatMap(\.fields).filter { seen.insert("\($0.file):\($0.line):\($0.displayName)").inserted }
    }

    static func templateFindings(_ template: [TemplateKey], index: KeysIndex) -> [KeyFinding] {
        var findings: [KeyFinding] = []
        var seen = Set<String>()
        var unmarked: [ExampleEntry] = []
        var renderedAt: [String: String] = [:]
        for t in template where renderedAt[t.key] == nil { renderedAt[t.key] = "\(t.file):\(t.line)" }
        for t in template {
            guard let first = t.sameLineAs else { continue }
            findings.append(
                KeyFinding(
                    .fail, .keysOnOneLine,
                    "\(first) and \(t.key) are rendered on one line: python-dotenv cannot parse it and drops both "
                        + "(end \(first)'s assignment with a newline in the template)",
                    key: t.key, file: t.file, line: t.line, layer: .template))
        }
        for t in template where seen.insert(t.key).inserted {
            if index.readers(of: t.key).isEmpty {
                findings.append(
                    KeyFinding(
                        .fail, .templateKeyUnknown,
                        "\(t.key) is rendered by the template but no settings field reads it (the app ignores it, or expects another name): "
                            + "rename it in the template, or add the field to the settings",
                        key: t.key, file: t.file, line: t.line, layer: .template))
            }
            let documented = index.documented(t.key)
            if documented.isEmpty {
                findings.append(
                    KeyFinding(
                        .warn, .templateKeyNotVault,
                        "\(t.key) is rendered by the template but not documented in the example: add it to the example, marked [VAULT]",
                        key: t.key, file: t.file, line: t.line, layer: .template))
            } else if let e = documented.first, !documented.contains(where: \.isVault) {
                unmarked.append(e)
            }
        }
        // One line per group of the example (keys between blank lines), not one per key:
        // a real example marks a whole group, or none of it.
        var groups: [(file: String, paragraph: Int, entries: [ExampleEntry])] = []
        for e in unmarked.sorted(by: { ($0.file, $0.line) < ($1.file, $1.line) }) {
            if let last = groups.last, last.file == e.file, last.paragraph == e.paragraph {
                groups[groups.count - 1].entries.append(e)
            } else {
                groups.append((e.file, e.paragraph, [e]))
            }
        }
        for group in groups {
            let first = group.entries[0]
            let message =
                group.entries.count == 1
                ? "\(first.key) comes from the template (Vault\(renderedAt[first.key].map { ", " + $0 } ?? "")) but the example does not mark it [VAULT]: "
                    + "mark it in the example"
                : "\(group.entries.map(\.key).joined(separator: ", ")) come from the template (Vault) but the example does not mark them "
                    + "[VAULT] (lines \(group.entries.map { String($0.line) }.joined(separator: ", ")); a marked comment header above the group "
                    + "covers them all with --vault-markers block)"
            findings.append(KeyFinding(.warn, .templateKeyNotVault, message, key: first.key, file: first.file, line: first.line, layer: .example))
        }
        return findings
    }

    static func exampleFindings(_ index: KeysIndex, hasTemplate: Bool, allow: [String]) -> [KeyFinding] {
        var findings: [KeyFinding] = []
        for e in index.example {
            let readers = index.readers(of: e.key)
            if readers.isEmpty, !allow.contains(where: { !$0.isEmpty && e.key.hasPrefix($0) }) {
                findings.append(
                    KeyFinding(
                        .warn, .exampleKeyUnknown,
                        "\(e.key) is documented in the example but no settings field reads it: remove it from the example, or add the field",
                        key: e.key, file: e.file, line: e.line, layer: .example))
            }
            if hasTemplate, e.isVault, !index.isRendered(e.key) {
                findings.append(
                    KeyFinding(
                        .fail, .vaultKeyNotInTemplate,
                        "\(e.key) is marked [VAULT] but the template does not render it (production will not have it): render it in the template, "
                            + "or drop the mark in the example",
                        key: e.key, file: e.file, line: e.line, layer: .example))
            }
            guard let value = e.value else { continue }
            if let prefix = ExampleParser.rawStringPrefix(value) {
                findings.append(
                    KeyFinding(
                        .warn, .invalidExampleValue,
                        "\(e.key): the value starts with \(prefix)\"...\", a Python string prefix: python-dotenv keeps the \(prefix) and the quotes "
                            + "as part of the value (write KEY=\"...\" in the example)",
                        key: e.key, file: e.file, line: e.line, layer: .example))
            }
            // `env_parse_none_str`: the exact marker becomes None, which only an Optional field takes.
            let asNone = readers.filter { $0.noneString == value }
            if !asNone.isEmpty {
                if let f = asNone.first(where: { !$0.type.isOptional && $0.type.kinds != [.any] }) {
                    findings.append(
                        KeyFinding(
                            .fail, .invalidExampleValue,
                            "\(e.key): the example value is the class's env_parse_none_str, which pydantic-settings turns into None, but "
                                + "\(f.className).\(f.name) (\(f.file):\(f.line)) is \(f.type.text), which rejects None: give a sample value, or make the field Optional",
                            key: e.key, file: e.file, line: e.line, layer: .example))
                }
                continue
            }
            if value.trimmingSpaces.isEmpty {
                // An example copied to .env as it is must start the app: pydantic reads KEY= as "".
                if let f = readers.first(where: { $0.type.rejectsEmpty && !$0.ignoresEmpty }) {
                    findings.append(
                        KeyFinding(
                            .warn, .invalidExampleValue,
                            "\(e.key) is empty in the example, but \(f.className).\(f.name) (\(f.file):\(f.line)) is \(f.type.text), which rejects an empty value "
                                + "(the app will not start with the example copied to .env): give a sample value, or comment the line out",
                            key: e.key, file: e.file, line: e.line, layer: .example))
                }
                continue
            }
            for f in readers {
                if let problem = f.type.problem(with: value) {
                    findings.append(
                        KeyFinding(
                            .fail, .invalidExampleValue,
                            "\(e.key): the example value is \(problem), but \(f.className).\(f.name) (\(f.file):\(f.line)) is \(f.type.text): "
                                + (f.type.readsNoEnvironmentValue ? "change the field (use string values, or int)" : "change the example"),
                            key: e.key, file: e.file, line: e.line, layer: .example))
                    break
                }
            }
        }
        return findings
    }

    static func fieldFindings(_ index: KeysIndex, hasTemplate: Bool) -> [KeyFinding] {
        var findings: [KeyFinding] = []
        for f in index.fields where !f.isNestedModel {
            let documented = index.documented(by: f)
            if documented.isEmpty {
                findings.append(
                    KeyFinding(
                        .fail, .fieldNotInExample, "\(f.className).\(f.name) (\(f.displayName)) is not documented in the example: add it to the example",
                        key: f.envNames.first ?? f.name, file: f.file, line: f.line, layer: .settings))
            }
            let isSecret = f.envNames.contains(where: SecretPolicy.isSecretKey)
            if let value = f.defaultValue, let why = DevDefault.reason(value, secret: isSecret) {
                // Production needs it: the template renders it, or it is a secret by name.
                let inTemplate = hasTemplate && index.isRendered(by: f)
                if inTemplate || isSecret {
                    let need = inTemplate ? "production gets it from the template" : "it is a secret"
                    findings.append(
                        KeyFinding(
                            .warn, .devDefault,
                            "\(f.className).\(f.name) (\(f.displayName)) defaults to a development value (\(why)), and \(need): production "
                                + "would start with that default if the value were missing; drop the default in the settings so a missing value stops start-up",
                            key: f.envNames.first ?? f.name, file: f.file, line: f.line, layer: .settings))
                }
            }
            guard f.isRequired else { continue }
            let rendered = hasTemplate && index.isRendered(by: f)
            // Without a template, a key the example marks [VAULT] is taken as production-managed.
            let given = documented.contains { $0.hasValue || (!hasTemplate && $0.isVault) }
            if !rendered && !given {
                let source = !hasTemplate ? "has no value in the example" : "is neither rendered by the template nor given a value in the example"
                findings.append(
                    KeyFinding(
                        .fail, .requiredWithoutSource,
                        "\(f.className).\(f.name) (\(f.displayName)) is required (no default, not optional) but \(source): the app will not start "
                            + "(render it in the template, give it a value in the example, or a default in the settings)",
                        key: f.envNames.first ?? f.name, file: f.file, line: f.line, layer: .settings))
            }
        }
        return findings
    }
}
