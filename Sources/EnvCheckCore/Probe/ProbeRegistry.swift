/// The probe kinds a build knows, in the order reports list them.
public struct ProbeRegistry: Sendable {
    public let kinds: [ProbeKind]

    public init(_ kinds: [ProbeKind]) { self.kinds = kinds }

    public func kind(_ name: String) -> ProbeKind? { kinds.first { $0.kind == name } }

    /// Problems that make the registry unusable (duplicate kinds, missing summaries, code
    /// declarations without meaning).
    public var problems: [String] {
        var seen = Set<String>()
        var problems: [String] = []
        for k in kinds {
            if !seen.insert(k.kind).inserted { problems.append("duplicate probe kind '\(k.kind)'") }
            if k.summary.trimmingSpaces.isEmpty { problems.append("probe kind '\(k.kind)' has no summary") }
            if k.inputs.isEmpty { problems.append("probe kind '\(k.kind)' reads no keys") }
            problems += Self.codeProblems(k)
        }
        return problems
    }

    /// A kind's code declarations: each code once, with a meaning and the statuses of a
    /// result that did not pass.
    static func codeProblems(_ k: ProbeKind) -> [String] {
        var problems: [String] = []
        var seen = Set<ErrorCode>()
        for c in k.codes {
            if !seen.insert(c.code).inserted { problems.append("probe kind '\(k.kind)' declares code \(c.code) twice") }
            if c.meaning.trimmingSpaces.isEmpty { problems.append("code \(c.code) of probe kind '\(k.kind)' has no meaning") }
            if c.statuses.isEmpty || c.statuses.contains(.pass) || c.statuses.contains(.skip) {
                problems.append("code \(c.code) of probe kind '\(k.kind)' must be warn, fail or error")
            }
        }
        return problems
    }

    /// The built-in default: one probe per kind marked ``ProbeKind/inDefault``, id = kind,
    /// the kind's default criticality.
    public var defaultSpecs: [ProbeSpec] {
        kinds.filter(\.inDefault).map { ProbeSpec(id: $0.kind, kind: $0.kind) }
    }
}

/// One probe to run, as the built-in default or a manifest declares it.
public struct ProbeSpec: Sendable, Equatable {
    public var id: String
    public var kind: String
    /// Nil: the kind's default.
    public var critical: Bool?
    /// Nil: same as `critical`.
    public var required: Bool?
    /// Nil: the run's default timeout.
    public var timeout: Duration?
    public var bindings: [String: String]
    public var options: JSONObject

    public init(
        id: String, kind: String, critical: Bool? = nil, required: Bool? = nil, timeout: Duration? = nil,
        bindings: [String: String] = [:], options: JSONObject = JSONObject()
    ) {
        self.id = id
        self.kind = kind
        self.critical = critical
        self.required = required
        self.timeout = timeout
        self.bindings = bindings
        self.options = options
    }
}
