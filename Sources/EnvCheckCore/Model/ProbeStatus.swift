/// The verdict of one probe, as docs/design.md defines it.
public enum ProbeStatus: String, Sendable, CaseIterable {
    /// The dependency works.
    case pass
    /// It works, but something needs attention (low credit, TLS verification off, ...).
    case warn
    /// The dependency is not healthy, timeouts included.
    case fail
    /// The probe cannot be checked as configured (an unparseable URL, ...).
    case error
    /// Not configured and not required.
    case skip

    /// Whether this status lets the run pass (warnings and skips do).
    public var isPassing: Bool { self == .pass || self == .warn || self == .skip }

    /// How bad it is, for "worst of" decisions: pass < skip < warn < fail < error.
    var severity: Int {
        switch self {
        case .pass: 0
        case .skip: 1
        case .warn: 2
        case .fail: 3
        case .error: 4
        }
    }
}
