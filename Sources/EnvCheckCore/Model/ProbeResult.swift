/// The final result of one probe in a run: what reports print, its text already rendered
/// through the run's ``Redactor`` (``Redactor/result(id:kind:critical:outcome:durationMs:attempts:)``).
public struct ProbeResult: Sendable, Equatable {
    public var id: String
    public var kind: String
    public var critical: Bool
    public var status: ProbeStatus
    public var durationMs: Int
    public var attempts: Int
    public var message: String
    public var code: ErrorCode?
    public var hint: String?
    public var details: JSONObject
    /// The checks the result is made of (empty for most kinds; also in `details.rules`).
    public var subChecks: [SubCheck]

    public init(
        id: String, kind: String, critical: Bool, status: ProbeStatus, durationMs: Int,
        attempts: Int, message: String, code: ErrorCode? = nil, hint: String? = nil,
        details: JSONObject = JSONObject(), subChecks: [SubCheck] = []
    ) {
        self.id = id
        self.kind = kind
        self.critical = critical
        self.status = status
        self.durationMs = durationMs
        self.attempts = attempts
        self.message = message
        self.code = code
        self.hint = hint
        self.details = details
        self.subChecks = subChecks
    }
}

/// A whole run: what every reporter renders.
public struct RunReport: Sendable, Equatable {
    /// The command that produced the report (the JSON `mode`, the JUnit suite name).
    public enum Mode: String, Sendable { case check, healthcheck, keys, serve }

    public var mode: Mode
    /// Wall-clock start, milliseconds since the Unix epoch (injected, so reports are pure).
    public var startedAtEpochMs: Int64
    public var durationMs: Int
    public var probes: [ProbeResult]
    /// Configuration warnings (suspicious values), already scrubbed.
    public var warnings: [String]
    /// `--fail-on warn`: a warning fails the run (exit code, JSON `status`, the summary).
    public var failOnWarn = false

    public init(mode: Mode, startedAtEpochMs: Int64, durationMs: Int, probes: [ProbeResult], warnings: [String] = []) {
        self.mode = mode
        self.startedAtEpochMs = startedAtEpochMs
        self.durationMs = durationMs
        self.probes = probes
        self.warnings = warnings
    }

    /// `pass` when every probe passed, warned (unless ``failOnWarn``) or skipped.
    public var passed: Bool { probes.allSatisfy(counts) }

    /// Whether one result lets the run pass.
    public func counts(_ result: ProbeResult) -> Bool { result.status.isPassing && !(failOnWarn && result.status == .warn) }

    public func count(_ status: ProbeStatus) -> Int { probes.count { $0.status == status } }

    /// 0 when every selected probe passed, 1 otherwise (docs/design.md, exit codes).
    public var exitCode: Int32 { passed ? 0 : 1 }
}

/// One of several checks a single probe result is made of (`policy`'s rules), as reports
/// show it: the probe's ``ProbeOutcome/checks`` rendered through the run's ``Redactor``.
/// JSON carries them as `details.rules[]` ({id, status, message, keys}); JUnit shows one test
/// case per check; the human report lists the broken ones under the probe.
public struct SubCheck: Sendable, Equatable {
    public let id: String
    public let status: ProbeStatus
    public let message: String
    public let keys: [String]

    public init(id: String, status: ProbeStatus, message: String, keys: [String]) {
        self.id = id
        self.status = status
        self.message = message
        self.keys = keys
    }

    /// `details.rules`.
    public static func json(_ checks: [SubCheck]) -> JSONValue {
        .array(
            checks.map { c in
                .object([
                    "id": .string(c.id), "status": .string(c.status.rawValue), "message": .string(c.message), "keys": .array(c.keys.map(JSONValue.string)),
                ])
            })
    }
}
