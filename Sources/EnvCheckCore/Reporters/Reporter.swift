/// How a report is rendered.
public struct ReportOptions: Sendable {
    /// ANSI colour (only on a TTY, never with NO_COLOR or --no-color: the caller decides).
    public var color: Bool
    public var verbose: Bool
    public var quiet: Bool
    /// Host name for JUnit's `hostname` attribute.
    public var hostname: String?

    public init(color: Bool = false, verbose: Bool = false, quiet: Bool = false, hostname: String? = nil) {
        self.color = color
        self.verbose = verbose
        self.quiet = quiet
        self.hostname = hostname
    }
}

/// A report format: a pure function of the run (with its injected start time) to text.
public protocol Reporter: Sendable {
    static var identifier: String { get }
    static func report(_ run: RunReport, options: ReportOptions) -> String
}

/// The formats `--format` accepts, in one list.
public enum Reporters {
    public static let all: [any Reporter.Type] = [
        HumanReporter.self, JSONReporter.self, JUnitReporter.self, MarkdownReporter.self, TAPReporter.self, PrometheusReporter.self,
    ]

    public static func named(_ identifier: String) -> (any Reporter.Type)? {
        all.first { $0.identifier == identifier }
    }

    public static var identifiers: [String] { all.map { $0.identifier } }
}
