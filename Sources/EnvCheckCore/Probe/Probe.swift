/// One dependency check: the whole plug-in contract.
///
/// `check` proves the dependency works and returns a `pass` or `warn` outcome, or throws a
/// ``ProbeFailure``. It must end by `context.deadline`; blocking C work goes through
/// ``Blocking/run(_:)-swift.type.method`` so it never stalls other probes.
public protocol Probe: Sendable {
    func check(_ context: ProbeContext) async throws -> ProbeOutcome
}

/// What a probe knows about the attempt it is running.
public struct ProbeContext: Sendable {
    public let id: String
    /// When this attempt must be over (the probe timeout, capped by the run deadline).
    public let deadline: Deadline
    public let timeout: Duration
    /// `--write-check`: write round trips are allowed (unique names, cleaned up).
    public let writeCheck: Bool
    /// 1 for the first attempt; more under `--wait`.
    public let attempt: Int

    public init(id: String, deadline: Deadline, timeout: Duration, writeCheck: Bool = false, attempt: Int = 1) {
        self.id = id
        self.deadline = deadline
        self.timeout = timeout
        self.writeCheck = writeCheck
        self.attempt = attempt
    }
}

/// What setting up a probe from configuration gave.
public enum ProbeSetup: Sendable {
    /// Configured: ready to run.
    case ready(any Probe)
    /// The keys it needs are not set; `message` names them (e.g. "DATABASE_URL is not set").
    case notConfigured(String)
    /// Configured, but not checkable as configured (an unparseable URL, ...): an `error` result.
    case invalid(ProbeFailure)
}

/// A kind of probe: its registry entry.
public struct ProbeKind: Sendable {
    /// The kind name, also the default probe id (`postgres`).
    public let kind: String
    /// One line: what a pass proves.
    public let summary: String
    /// Critical by default?
    public let critical: Bool
    /// Named inputs and the config keys each reads by default, in precedence order.
    public let inputs: [ProbeInput]
    /// Option names a manifest may set for this kind (besides the common ones).
    public let options: [String]
    /// Reads the settings and builds the probe.
    public let setup: @Sendable (ProbeSettings) -> ProbeSetup

    public init(kind: String, summary: String, critical: Bool, inputs: [ProbeInput], options: [String] = [],
                setup: @escaping @Sendable (ProbeSettings) -> ProbeSetup) {
        self.kind = kind
        self.summary = summary
        self.critical = critical
        self.inputs = inputs
        self.options = options
        self.setup = setup
    }

    /// Every config key this kind may read, in order, without duplicates.
    public var keys: [String] {
        var seen = Set<String>()
        return inputs.flatMap(\.keys).filter { seen.insert($0).inserted }
    }
}

/// A named input of a probe kind (`url`), read from the first set key of `keys` unless a
/// manifest binds it to another `${VAR}` expression.
public struct ProbeInput: Sendable, Equatable {
    public let name: String
    public let keys: [String]

    public init(_ name: String, keys: [String]) {
        self.name = name
        self.keys = keys
    }
}
