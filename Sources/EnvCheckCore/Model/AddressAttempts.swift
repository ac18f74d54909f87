/// What happened at one of the addresses a host name resolved to.
public struct AddressAttempt: Sendable, Equatable {
    public enum Outcome: String, Sendable {
        /// The connection was made; the probe's conversation ran over it.
        case connected
        /// This address failed (`failure` says how), before or after connecting.
        case failed
        /// Started, then dropped when another address connected first (happy eyeballs).
        case abandoned
        /// Never tried: an earlier address connected, or failed in a way that ends the attempt.
        case notTried = "not_tried"
    }

    /// `127.0.0.1:5432`, `[::1]:6379`: the address and port, as messages show them.
    public var address: String
    public var outcome: Outcome
    /// Set when `outcome` is `failed`.
    public var failure: ProbeFailure?

    public init(_ address: String, _ outcome: Outcome, failure: ProbeFailure? = nil) {
        self.address = address
        self.outcome = outcome
        self.failure = failure
    }
}

/// The outcome at every address a probe tried for one connection, and the one rule that
/// turns them into the probe's result (binding for every probe): the code, status and hint
/// come from the most informative failure, the message lists each address's outcome, and
/// `details.addresses` holds one object per address (`address`, `outcome`, and for a
/// failure `code` and `message`). With a single address nothing is added: the result is
/// that address's own.
public struct AddressAttempts: Sendable, Equatable {
    public private(set) var attempts: [AddressAttempt]

    /// Every address, in the order they will be tried, none tried yet.
    public init(_ addresses: [String] = []) {
        var seen = Set<String>()
        attempts = addresses.filter { seen.insert($0).inserted }.map { AddressAttempt($0, .notTried) }
    }

    public var isEmpty: Bool { attempts.isEmpty }
    /// Whether the result lists addresses: only when there was more than one.
    public var areSeveral: Bool { attempts.count > 1 }

    /// Records the outcome at `address` (appended when it was not announced), replacing an
    /// earlier one: a later try at the same address is what it finally did.
    public mutating func record(_ address: String, _ outcome: AddressAttempt.Outcome, failure: ProbeFailure? = nil) {
        let attempt = AddressAttempt(address, outcome, failure: failure)
        if let i = attempts.firstIndex(where: { $0.address == address }) { attempts[i] = attempt } else { attempts.append(attempt) }
    }

    public mutating func failed(_ address: String, _ failure: ProbeFailure) { record(address, .failed, failure: failure) }

    /// The address the conversation ran over.
    public var connected: String? { attempts.first { $0.outcome == .connected }?.address }

    /// How informative a failure at one address is, lower first: a configuration error
    /// (`error`), then any answer from the server (authentication, a missing database, a
    /// refusal the protocol carried: every code that is not a transport code), then `tls`,
    /// `protocol`, `timeout`, `network`, `connection_refused`, `dns`.
    public static func rank(_ failure: ProbeFailure) -> Int {
        if failure.status == .error { return 0 }
        return (transportCodes.firstIndex(of: failure.code) ?? -1) + 2
    }

    private static let transportCodes: [ErrorCode] = [.tls, .protocolError, .timeout, .network, .connectionRefused, .dns]

    /// The most informative of `failures`; the earliest among equals.
    public static func mostInformative(_ failures: [ProbeFailure]) -> ProbeFailure? {
        failures.enumerated().min { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }?.element
    }

    /// The result when no address worked: nil when none failed.
    public func failure() -> ProbeFailure? {
        guard var chosen = Self.mostInformative(attempts.compactMap(\.failure)) else { return nil }
        guard areSeveral else { return chosen }
        chosen.message = "\(chosen.message); by address: \(label: summary)"
        chosen.details["addresses"] = details
        return chosen
    }

    /// The result when `failure` happened after connecting (TLS, authentication, a query,
    /// an HTTP answer): it is the connected address's outcome, ranked with the others. A
    /// failure that already lists its addresses is returned as it is.
    public func failure(after failure: ProbeFailure) -> ProbeFailure {
        guard let address = connected, failure.details["addresses"] == nil else { return failure }
        var all = self
        all.failed(address, failure)
        return all.failure() ?? failure
    }

    /// `outcome` with `details.addresses` when there were several addresses.
    public func annotated(_ outcome: ProbeOutcome) -> ProbeOutcome {
        guard areSeveral else { return outcome }
        var annotated = outcome
        annotated.details["addresses"] = details
        return annotated
    }

    /// `[::1]:5432 connection_refused, 127.0.0.1:5432 tls`.
    public var summary: String {
        attempts.map { attempt in
            "\(attempt.address) " + (attempt.outcome == .failed ? attempt.failure?.code.rawValue ?? "failed" : attempt.outcome.rawValue)
        }.joined(separator: ", ")
    }

    /// `details.addresses`.
    public var details: JSONValue {
        .array(
            attempts.map { attempt in
                var entry: JSONObject = ["address": .string(attempt.address), "outcome": .string(attempt.outcome.rawValue)]
                if let failure = attempt.failure {
                    entry["code"] = .string(failure.code.rawValue)
                    entry["message"] = .string(failure.message.text)
                }
                return .object(entry)
            })
    }
}
