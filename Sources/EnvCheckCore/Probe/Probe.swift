/// One dependency check: the whole plug-in contract.
///
/// `check` proves the dependency works and returns a `pass` or `warn` outcome, or throws a
/// ``ProbeFailure``. It must end by `context.deadline`; blocking C work goes through
/// ``Blocking/run(_:)-swift.type.method`` so it never stalls other probes.
public protocol Probe: Sendable {
    func check(_ context: ProbeContext) async throws -> ProbeOutcome

    /// The servers the probe talks to, each a ``ProbeTarget`` key: the runner lets at most
    /// `--max-per-target` probes talk to one of them at once (docs/concurrency.md). None
    /// (the default) for a probe that reads only local state.
    var targets: [String] { get }
}

extension Probe {
    public var targets: [String] { [] }
}

/// The key of one server for the per-target limit: `host:port` with the host lowercased and
/// the port always written, so that two spellings of one server share its slots; a Unix
/// socket by its path. (A URL's, as libcurl reads it: `CurlURL.target(of:)`.)
public enum ProbeTarget {
    /// `host` without brackets for an IPv6 address.
    public static func key(host: String, port: Int) -> String { HostPort(host: host.lowercased(), port: port).description }

    /// A Unix socket's key.
    public static func key(socket path: String) -> String { "unix:" + path }
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

    public init(
        id: String, deadline: Deadline, timeout: Duration, writeCheck: Bool = false, attempt: Int = 1,
        cleanups: Cleanups = Cleanups()
    ) {
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

/// A kind of probe: its registry entry, and everything the kind declares about itself
/// (docs/adding-a-probe.md): inputs and their secrecy, typed options, the codes its
/// results can carry, and how it builds a probe from settings.
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
    /// The codes this kind's probes give, beyond those the runner gives any kind
    /// (``ProbeCode/universal``, and ``ProbeCode/weakCredential`` for a kind with a secret
    /// input): see ``allCodes``.
    public let codes: [ProbeCode]
    /// The rules of a kind made of rules (`policy`): each also one of ``codes``.
    public let rules: [RuleDeclaration]
    /// Whether the runner judges the secrets of its secret inputs (``WeakCredential``): off
    /// for a kind that judges them itself (`policy`, whose signing-key rule does, and whose
    /// other secrets are findings for being there at all).
    public let judgesWeakCredentials: Bool
    /// The one thing outside the process the kind's probe uses (a database on a host, a
    /// bucket at an endpoint), read from settings: snapshots record it and `diff` fails when
    /// two environments share it. Nil for a kind without one.
    public let resource: (@Sendable (ProbeSettings) -> ProbeResource?)?
    private let make: @Sendable (ProbeSettings) -> ProbeSetup

    public init(
        kind: String, summary: String, critical: Bool, inDefault: Bool = true, inputs: [ProbeInput],
        options: [any OptionDeclaration] = [], codes: [ProbeCode] = [], rules: [RuleDeclaration] = [],
        judgesWeakCredentials: Bool = true, resource: (@Sendable (ProbeSettings) -> ProbeResource?)? = nil,
        setup: @escaping @Sendable (ProbeSettings) -> ProbeSetup
    ) {
        self.kind = kind
        self.summary = summary
        self.critical = critical
        self.inDefault = inDefault
        self.inputs = inputs
        self.options = options.map(\.option)
        self.codes = codes
        self.rules = rules
        self.judgesWeakCredentials = judgesWeakCredentials
        self.resource = resource
        self.make = setup
    }

    /// Reads the settings and builds the probe. The settings learn which options the kind
    /// declares, so that reading an undeclared one is caught in debug builds.
    public func setup(_ settings: ProbeSettings) -> ProbeSetup {
        var settings = settings
        settings.declaredOptions = Set((options + ProbeOption.common).map(\.name))
        return make(settings)
    }

    /// Every config key this kind may read, in order, without duplicates.
    public var keys: [String] {
        var seen = Set<String>()
        return inputs.flatMap(\.keys).filter { seen.insert($0).inserted }
    }

    /// The runner's codes this kind gets: the universal ones, and `weak_credential` when it
    /// has a secret input (and ``judgesWeakCredentials``).
    public var runnerCodes: [ProbeCode] {
        ProbeCode.universal + (judgesWeakCredentials && inputs.contains { $0.secrecy != .none } ? [ProbeCode.weakCredential] : [])
    }

    /// Every code a result of this kind can carry: its own declarations, then the runner's
    /// it does not refine itself.
    public var allCodes: [ProbeCode] {
        codes + runnerCodes.filter { shared in !codes.contains { $0.code == shared.code } }
    }

    /// The hint of every code this kind declares with one.
    public var declaredHints: [ErrorCode: Message] {
        var hints: [ErrorCode: Message] = [:]
        for declared in allCodes { if let hint = declared.hint, hints[declared.code] == nil { hints[declared.code] = hint } }
        return hints
    }

    /// The codes waiting does not heal (``ProbeCode/heals``): `--wait` stops retrying there.
    public var permanentCodes: Set<ErrorCode> { Set(allCodes.filter { !$0.heals }.map(\.code)) }

    /// How this kind declares `code`; nil when it does not.
    public func declaration(of code: ErrorCode) -> ProbeCode? { allCodes.first { $0.code == code } }

    /// What is wrong with a result of this kind that has `code` and `status`, or nil: a
    /// code the kind does not declare, or a status the declaration does not allow.
    public func undeclared(_ code: ErrorCode?, status: ProbeStatus) -> String? {
        guard let code else {
            return status == .pass || status == .skip ? nil : "a \(status.rawValue) result of kind \(kind) has no code"
        }
        guard let declared = declaration(of: code) else { return "kind \(kind) does not declare code \(code.rawValue) (a \(status.rawValue) result)" }
        guard declared.statuses.contains(status) else {
            let allowed = declared.statuses.map(\.rawValue).joined(separator: ", ")
            return "kind \(kind) declares \(code.rawValue) as \(allowed), but a result has it as \(status.rawValue)"
        }
        return nil
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

/// What a probe points at, by name: `database app on db.internal:5432`. Two environments
/// that name the same resource share data (``ProbeKind/resource``).
public struct ProbeResource: Sendable, Equatable, Hashable {
    /// "database", "bucket", "redis database".
    public let what: String
    public let host: String
    public let port: Int?
    /// The database name, bucket or database index.
    public let name: String
    /// The key (or manifest expression) it was read from.
    public let key: String

    public init(what: String, host: String, port: Int?, name: String, key: String) {
        self.what = what
        self.host = host
        self.port = port
        self.name = name
        self.key = key
    }
}
