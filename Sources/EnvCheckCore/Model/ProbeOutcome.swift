/// What one attempt of a probe concluded. Probes return this on success or warning and
/// throw ``ProbeFailure`` otherwise; the runner adds id, timing and attempts.
public struct ProbeOutcome: Sendable, Equatable {
    public var status: ProbeStatus
    /// One line for humans, from typed parts; the runner renders it through the run's
    /// ``Redactor`` before it leaves the process.
    public var message: Message
    public var code: ErrorCode?
    public var hint: Message?
    public var details: JSONObject
    /// The checks a result is made of (`policy`'s rules): typed, so that their ids stay
    /// envcheck's own words and their messages are rendered like ``message``.
    public var checks: [CheckOutcome] = []
    /// The certificate the TLS peer presented, when the probe spoke TLS: the runner applies
    /// the expiry rule to it (``CertificateExpiry``).
    public var certificate: PeerCertificate?
    /// Secret values the probe read from the dependency itself (a secret store's fields):
    /// never in the outcome's text by construction, and scrubbed from it like the run's
    /// secrets in case the server echoed one.
    public var revealed: [String] = []

    public init(
        status: ProbeStatus, message: Message, code: ErrorCode? = nil, hint: Message? = nil,
        details: JSONObject = JSONObject(), checks: [CheckOutcome] = [], certificate: PeerCertificate? = nil
    ) {
        self.status = status
        self.message = message
        self.code = code
        self.hint = hint
        self.details = details
        self.checks = checks
        self.certificate = certificate
    }

    /// The same outcome, carrying the peer's certificate (nil leaves it as it is).
    public func presenting(_ certificate: PeerCertificate?) -> ProbeOutcome {
        var outcome = self
        if let certificate { outcome.certificate = certificate }
        return outcome
    }

    public static func pass(_ message: Message, details: JSONObject = JSONObject()) -> ProbeOutcome {
        ProbeOutcome(status: .pass, message: message, details: details)
    }

    public static func warn(
        _ code: ErrorCode, _ message: Message, hint: Message? = nil,
        details: JSONObject = JSONObject()
    ) -> ProbeOutcome {
        ProbeOutcome(status: .warn, message: message, code: code, hint: hint, details: details)
    }

    public static func skip(_ message: Message, details: JSONObject = JSONObject()) -> ProbeOutcome {
        ProbeOutcome(status: .skip, message: message, details: details)
    }
}

/// A probe's failure: thrown from anywhere inside a probe, it becomes a `fail` (or `error`)
/// result with its code, message and hint. Its `description` is generic on purpose, so an
/// accidental string interpolation of the error cannot leak what the message carries.
public struct ProbeFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public var status: ProbeStatus
    public var code: ErrorCode
    public var message: Message
    public var hint: Message?
    public var details: JSONObject
    /// See ``ProbeOutcome/revealed``.
    public var revealed: [String] = []

    /// A `fail`: the dependency is not healthy.
    public init(_ code: ErrorCode, _ message: Message, hint: Message? = nil, details: JSONObject = JSONObject()) {
        self.status = .fail
        self.code = code
        self.message = message
        self.hint = hint
        self.details = details
    }

    /// An `error`: the probe cannot be checked as configured.
    public static func misconfigured(_ code: ErrorCode, _ message: Message, hint: Message? = nil) -> ProbeFailure {
        var failure = ProbeFailure(code, message, hint: hint)
        failure.status = .error
        return failure
    }

    public var description: String { "probe failure (\(code.rawValue))" }

    public var outcome: ProbeOutcome {
        var outcome = ProbeOutcome(status: status, message: message, code: code, hint: hint, details: details)
        outcome.revealed = revealed
        return outcome
    }
}

extension ProbeOutcome {
    /// The TLS rule every probe follows, in one place (docs/design.md: turning verification off
    /// makes the result at best `warn`): a `pass` over TLS whose certificate was not
    /// verified becomes a `warn` with code `tls_verify_disabled`, its message extended by
    /// ", but " + `reason` (what was not verified, and why), with `hint`. Without TLS there
    /// is no certificate to distrust, so a pass stays a pass; any other outcome is returned
    /// as it is.
    public func capped(tlsInUse: Bool, tlsVerified: Bool, reason: Message, hint: Message) -> ProbeOutcome {
        guard status == .pass, tlsInUse, !tlsVerified else { return self }
        var capped = ProbeOutcome.warn(.tlsVerifyDisabled, message + ", but " + reason, hint: hint, details: details)
        capped.certificate = certificate
        capped.revealed = revealed
        return capped
    }
}

/// One check of a result made of several (``ProbeOutcome/checks``).
public struct CheckOutcome: Sendable, Equatable {
    public let id: ErrorCode
    public let status: ProbeStatus
    public let message: Message
    /// The config keys involved (names, never values).
    public let keys: [String]

    public init(id: ErrorCode, status: ProbeStatus, message: Message, keys: [String]) {
        self.id = id
        self.status = status
        self.message = message
        self.keys = keys
    }
}
