/// The validity of the certificate a TLS peer presented, as far as its expiry goes: what a
/// probe hands the runner (``ProbeOutcome/certificate``) after a handshake, whether or not
/// the chain was verified. The runner turns it into a `details.certificate` entry and the
/// expiry verdict (``CertificateExpiry``), the same way for every kind
/// (docs/design.md, "Certificate expiry").
public struct PeerCertificate: Sendable, Equatable {
    /// The certificate's `notAfter`, in seconds since the Unix epoch.
    public let notAfterEpochSeconds: Int64

    public init(notAfterEpochSeconds: Int64) {
        self.notAfterEpochSeconds = notAfterEpochSeconds
    }

    /// `2026-12-20T10:00:00Z`.
    public var notAfter: String { Timestamp.iso8601(epochMs: notAfterEpochSeconds * 1000, plain: true) + "Z" }

    /// `2026-12-20`: the day, as messages name it.
    public var notAfterDay: String { String(notAfter.prefix(10)) }

    /// Whole days from `nowEpochMs` until it expires, rounded down: 0 on its last day,
    /// negative once it has expired.
    public func daysLeft(nowEpochMs: Int64) -> Int {
        let seconds = notAfterEpochSeconds - nowEpochMs / 1000
        return Int(seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
    }

    public func hasExpired(nowEpochMs: Int64) -> Bool { notAfterEpochSeconds * 1000 <= nowEpochMs }
}

/// The certificate-expiry rule every TLS probe follows, in one place: the runner applies it
/// to an outcome that carries the peer's certificate.
/// - The outcome's details gain `certificate: {not_after, days_left}`.
/// - An expired certificate makes a `pass` or `warn` a `fail` with code `tls`, even when
///   verification was off (`tls_verify: false`): every client that verifies rejects it.
/// - Fewer than `warnDays` days left makes a `pass` a `warn` with code `cert_expiring`; a
///   `warn` keeps its code and gains the sentence. `warnDays` 0 turns the warning off.
/// - A `fail` or `error` keeps its verdict; it only gains the details.
public struct CertificateExpiry: Sendable, Equatable {
    /// `cert_warn_days`.
    public let warnDays: Int

    /// The default of `cert_warn_days`.
    public static let defaultWarnDays = 14

    public init(warnDays: Int = CertificateExpiry.defaultWarnDays) {
        self.warnDays = max(0, warnDays)
    }

    public func apply(to outcome: ProbeOutcome, nowEpochMs: Int64 = Timestamp.nowEpochMs()) -> ProbeOutcome {
        guard let certificate = outcome.certificate else { return outcome }
        var result = outcome
        let days = certificate.daysLeft(nowEpochMs: nowEpochMs)
        let expired = certificate.hasExpired(nowEpochMs: nowEpochMs)
        result.details["certificate"] = .object(["not_after": .string(certificate.notAfter), "days_left": .int(days)])
        guard outcome.status == .pass || outcome.status == .warn else { return result }
        let day = certificate.notAfterDay
        if expired {
            let ago = max(0, -days)
            result.status = .fail
            result.code = .tls
            result.message =
                outcome.message + "; but the server's TLS certificate expired on \(label: day) (\(ago) \(label: ago == 1 ? "day" : "days") ago)"
            result.hint = "renew the server's certificate: every client that verifies TLS rejects it"
        } else if days < warnDays {
            let left: Message = days == 0 ? "today" : "in \(days) \(label: days == 1 ? "day" : "days")"
            result.message = outcome.message + "; its TLS certificate expires \(left) (\(label: day))"
            if outcome.status == .pass {
                result.status = .warn
                result.code = .certExpiring
                result.hint = "renew the server's certificate before \(label: day) (cert_warn_days: \(warnDays))"
            }
        }
        return result
    }
}
