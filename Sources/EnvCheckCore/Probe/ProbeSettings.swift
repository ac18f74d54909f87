/// Everything a probe kind's `setup` reads: its inputs, resolved through the manifest's
/// bindings or the default keys, its options, and the run-wide settings.
public struct ProbeSettings: Sendable {
    public let id: String
    public let config: ResolvedConfig
    /// Input name → `${VAR}` template, from a manifest.
    public let bindings: [String: String]
    /// Probe options from a manifest (`expect_primary: true`, `ca_file: ...`).
    public let options: JSONObject
    public let global: GlobalSettings
    /// The option names the kind declares (set by ``ProbeKind/setup(_:)``); nil: unchecked.
    var declaredOptions: Set<String>?

    public init(
        id: String, config: ResolvedConfig, bindings: [String: String] = [:], options: JSONObject = JSONObject(),
        global: GlobalSettings = GlobalSettings()
    ) {
        self.id = id
        self.config = config
        self.bindings = bindings
        self.options = options
        self.global = global
    }

    /// A resolved input: its value and which key (or manifest expression) gave it.
    public struct Value: Sendable, Equatable {
        public let value: String
        public let key: String

        public init(value: String, key: String) {
            self.value = value
            self.key = key
        }
    }

    /// The input's value: the manifest binding if there is one, else the first of its keys
    /// that is set and not empty. Nil when nothing is set or the value is empty.
    public func value(_ input: ProbeInput) -> Value? {
        if let template = bindings[input.name] {
            let (value, _) = Interpolation.expand(template, lookup: { config.value($0) })
            return value.trimmingSpaces.isEmpty ? nil : Value(value: value, key: Self.source(of: template, input: input))
        }
        return config.first(of: input.keys).map { Value(value: $0.value, key: $0.key) }
    }

    /// What messages call a manifest binding: the template when it names variables (shown
    /// scrubbed), else "the manifest's NAME input": a literal is a value, and may be a
    /// secret however much it looks like a key name.
    static func source(of template: String, input: ProbeInput) -> String {
        template.utf8Contains("${") ? template : "the manifest's \(input.name) input"
    }

    /// The names a missing input would be read from, for "not configured" messages.
    public func describe(_ input: ProbeInput) -> Message {
        if let template = bindings[input.name] { return "\(key: Self.source(of: template, input: input))" }
        return "\(label: input.keys.count == 1 ? input.keys[0] : input.keys.joined(separator: " or "))"
    }

    /// The option's value, typed, `${VAR}` templates filled in from the configuration; nil
    /// when the manifest does not set it (or, after substitution, it is not of the type:
    /// the planner has already made that probe an `error`, see ``OptionCheck``). Reading
    /// an option the kind does not declare is a bug, caught in debug builds: the manifest
    /// could never set it.
    public subscript<Value>(option: TypedOption<Value>) -> Value? {
        assert(declaredOptions?.contains(option.name) ?? true, "probe \(id) reads option \(option.name), which its kind does not declare")
        guard let raw = options[option.name] else { return nil }
        return option.read(raw) { Interpolation.expand($0, lookup: { config.value($0) }).value }
    }

    /// `true/yes/1/on` and `false/no/0/off`, any case; anything else (empty included) is nil.
    public static func parseBool(_ text: String) -> Bool? {
        switch text.trimmingSpaces.lowercased() {
        case "true", "yes", "1", "on": true
        case "false", "no", "0", "off": false
        default: nil
        }
    }

    /// `ca_file` from the probe's options, else `--ca-file`.
    public var caFile: String? { self[ProbeOption.caFile] ?? global.caFile }

    /// TLS verification stays on unless a probe's options say `tls_verify: false`: a value
    /// that is not a boolean (an unset `${VAR}`, a typo) never turns it off.
    public var tlsVerify: Bool { self[ProbeOption.tlsVerify] ?? true }

    /// The expiry rule for the peer's certificate, from `cert_warn_days`.
    public var certificateExpiry: CertificateExpiry {
        guard let days = self[ProbeOption.certWarnDays], days.isFinite else { return CertificateExpiry() }
        return CertificateExpiry(warnDays: Int(max(0, min(days, 36_500))))
    }
}

/// Run-wide settings from the command line.
public struct GlobalSettings: Sendable {
    /// `--ca-file`: an extra CA bundle for every TLS connection.
    public var caFile: String?
    /// `--next-dir`: the Next.js build directory.
    public var nextDir: String?
    /// The values `.env.example` commits (`--env-example`), key → value: a secret equal
    /// to one is a weak credential.
    public var exampleValues: [String: String]

    /// `--template`: the consul-template file production renders (the vault probe checks
    /// the fields it reads).
    public var template: String?

    public init(caFile: String? = nil, nextDir: String? = nil, exampleValues: [String: String] = [:], template: String? = nil) {
        self.template = template
        self.caFile = caFile
        self.nextDir = nextDir
        self.exampleValues = exampleValues
    }
}
