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
    /// Where a write check registers what it creates, so that an interrupted run removes it.
    public let cleanups: Cleanups

    public init(id: String, deadline: Deadline, timeout: Duration, writeCheck: Bool = false, attempt: Int = 1,
                cleanups: Cleanups = Cleanups()) {
        self.id = id
        self.deadline = deadline
        self.timeout = timeout
        self.writeCheck = writeCheck
        self.attempt = attempt
        self.cleanups = cleanups
    }
}

/// What setting up a probe from configuration gave.
public enum ProbeSetup: Sendable {
    /// Configured: ready to run.
    case ready(any Probe)
    /// The keys it needs are not set; `message` names them (e.g. "DATABASE_URL is not set").
    case notConfigured(Message)
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
    /// Part of the built-in default (`probes/default.yaml`)? A manifest-only kind is not.
    public let inDefault: Bool
    /// Named inputs and the config keys each reads by default, in precedence order.
    public let inputs: [ProbeInput]
    /// Options a manifest may set for this kind (besides ``ProbeOption/common``).
    public let options: [ProbeOption]
    /// Reads the settings and builds the probe.
    public let setup: @Sendable (ProbeSettings) -> ProbeSetup

    public init(kind: String, summary: String, critical: Bool, inDefault: Bool = true, inputs: [ProbeInput], options: [ProbeOption] = [],
                setup: @escaping @Sendable (ProbeSettings) -> ProbeSetup) {
        self.kind = kind
        self.summary = summary
        self.critical = critical
        self.inDefault = inDefault
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
/// manifest binds it to another `${VAR}` expression. `secrecy` says how much of its value
/// is secret: every value that reaches a secret input is a secret of the run, whatever
/// route it came by (``SecretInventory``).
public struct ProbeInput: Sendable, Equatable {
    public let name: String
    public let keys: [String]
    public let secrecy: InputSecrecy

    public init(_ name: String, keys: [String], secret secrecy: InputSecrecy = .none) {
        self.name = name
        self.keys = keys
        self.secrecy = secrecy
    }
}

/// A probe option a manifest may set (`expect_primary: true`), with its type, so that a
/// manifest with a wrong type is rejected with `file:line` before anything runs.
public struct ProbeOption: Sendable, Equatable {
    /// The YAML type the option's value must have; the raw value names it in errors.
    public enum ValueType: String, Sendable {
        case string, bool, number, duration
        /// A YAML list of strings.
        case stringList = "list of strings"
    }

    public let name: String
    public let type: ValueType
    public let summary: String

    public init(_ name: String, _ type: ValueType, _ summary: String) {
        self.name = name
        self.type = type
        self.summary = summary
    }

    /// Options every kind accepts.
    public static let common: [ProbeOption] = [
        ProbeOption("ca_file", .string, "an extra CA bundle for TLS verification"),
        ProbeOption("tls_verify", .bool, "false turns TLS verification off (the result is then at best warn)"),
    ]
}
