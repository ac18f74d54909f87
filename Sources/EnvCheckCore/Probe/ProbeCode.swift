/// A code a probe kind can give a result, as the kind declares it: the code, the statuses a
/// result with it has, one line saying what it means, and what to do (the hint). Codes
/// belong to a (kind, code) pair (docs/design.md, "Probe model"): `auth_failed` means one
/// thing for postgres and, with another hint, the same for redis. `envcheck list --codes`
/// and the README's codes table are generated from these declarations.
public struct ProbeCode: Sendable, Equatable {
    public let code: ErrorCode
    /// The statuses a result with this code can have, most usual first (`weak_credential`
    /// is `warn`, `fail` in a production-like environment).
    public let statuses: [ProbeStatus]
    /// One line: what the code means.
    public let meaning: String
    /// What to do about it: the text probes use, or, for a hint with parameters, its
    /// template with each parameter shown as `<name>` (``HintTemplate``). Nil when every
    /// failure writes its own.
    public let hint: Message?
    /// Whether waiting can heal it: `--wait` retries a failure with this code (a server
    /// starting up, a failover) unless it does not (a rejected password, a missing bucket,
    /// a leaked secret), which ``permanent`` declares; `--retry-on` retries it anyway.
    public let heals: Bool

    public init(_ code: ErrorCode, _ statuses: ProbeStatus..., meaning: String, hint: Message? = nil) {
        self.code = code
        self.statuses = statuses
        self.meaning = meaning
        self.hint = hint
        self.heals = true
    }

    /// A code whose hint takes typed parameters: the declaration shows the template.
    public init<Parameters>(_ code: ErrorCode, _ statuses: ProbeStatus..., meaning: String, hint: HintTemplate<Parameters>) {
        self.code = code
        self.statuses = statuses
        self.meaning = meaning
        self.hint = hint.template
        self.heals = true
    }

    private init(code: ErrorCode, statuses: [ProbeStatus], meaning: String, hint: Message?, heals: Bool) {
        self.code = code
        self.statuses = statuses
        self.meaning = meaning
        self.hint = hint
        self.heals = heals
    }

    /// This code as one kind means it: its own meaning or hint where given.
    public func with(meaning: String? = nil, hint: Message? = nil) -> ProbeCode {
        ProbeCode(code: code, statuses: statuses, meaning: meaning ?? self.meaning, hint: hint ?? self.hint, heals: heals)
    }

    /// The same code, declared as one waiting does not heal: `--wait` stops at it.
    public var permanent: ProbeCode { ProbeCode(code: code, statuses: statuses, meaning: meaning, hint: hint, heals: false) }

    public static func == (a: ProbeCode, b: ProbeCode) -> Bool {
        a.code == b.code && a.statuses == b.statuses && a.meaning == b.meaning && a.hint?.text == b.hint?.text && a.heals == b.heals
    }
}

/// A hint whose text takes typed parameters, written once: probes fill it in
/// (`hint(("db", "postgres"))`), documentation shows it with the placeholders it was
/// declared with (``template``).
public struct HintTemplate<Parameters>: Sendable {
    /// The text with the placeholders in place of the parameters.
    public let template: Message
    private let fill: @Sendable (Parameters) -> Message

    public init(_ placeholders: Parameters, _ fill: @escaping @Sendable (Parameters) -> Message) {
        self.template = fill(placeholders)
        self.fill = fill
    }

    public func callAsFunction(_ parameters: Parameters) -> Message { fill(parameters) }
}

extension Array where Element == ProbeCode {
    /// The declaration of `code` in a kind's list (`Self.codes[.clockSkew]?.hint`).
    public subscript(code: ErrorCode) -> ProbeCode? { first { $0.code == code } }
}
