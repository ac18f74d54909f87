/// Something a kind lists among its options: a ``ProbeOption`` or a ``TypedOption``.
public protocol OptionDeclaration: Sendable {
    var option: ProbeOption { get }
}

/// A probe option a manifest may set (`expect_primary: true`), with its type, so that a
/// manifest with a wrong type is rejected with `file:line` before anything runs. Kinds
/// declare theirs as ``TypedOption`` values (`ProbeOption.bool("expect_primary", ...)`),
/// list them in their registry entry and read them through the same value
/// (`settings[Self.expectPrimary]`), so an option's name is written once.
public struct ProbeOption: OptionDeclaration, Equatable {
    /// The YAML type the option's value must have; the raw value names it in errors.
    public enum ValueType: String, Sendable {
        case string, bool, number, duration
        /// A YAML list of strings.
        case stringList = "list of strings"
        /// A YAML mapping of names to strings (HTTP headers, rule overrides); each value
        /// may be a `${VAR}` template.
        case stringMap = "map of strings"
    }

    public let name: String
    public let type: ValueType
    public let summary: String
    /// Every value the option takes is a secret of the run (HTTP headers): the planner
    /// registers it, and the values of the variables its `${VAR}` templates name, as it does
    /// a secret input's (``Planner/secretOptions(_:settings:)``).
    public let secret: Bool

    public init(_ name: String, _ type: ValueType, _ summary: String, secret: Bool = false) {
        self.name = name
        self.type = type
        self.summary = summary
        self.secret = secret
    }

    public var option: ProbeOption { self }

    /// `ca_file`: an extra CA bundle (every kind accepts it).
    public static let caFile = ProbeOption.string("ca_file", "an extra CA bundle for TLS verification")
    /// `tls_verify`: false turns verification off (every kind accepts it).
    public static let tlsVerify = ProbeOption.bool("tls_verify", "false turns TLS verification off (the result is then at best warn)")

    /// `cert_warn_days`: a TLS peer's certificate expiring in fewer days is a warning
    /// (default 14, 0 turns it off; every kind accepts it).
    public static let certWarnDays = ProbeOption.number(
        "cert_warn_days", "warn when the TLS certificate expires in fewer days (default 14; 0: never)")

    /// Options every kind accepts.
    public static let common: [ProbeOption] = [caFile.option, tlsVerify.option, certWarnDays.option]
}

/// A ``ProbeOption`` together with how its value reads: what a probe reads through
/// `settings[option]`, typed, `${VAR}` templates filled in from the configuration.
public struct TypedOption<Value: Sendable>: OptionDeclaration {
    public let option: ProbeOption
    /// The manifest's value, with `expand` filling in `${VAR}` templates; nil when it
    /// is not a `Value`.
    let read: @Sendable (_ raw: JSONValue, _ expand: (String) -> String) -> Value?

    public var name: String { option.name }

    init(
        _ name: String, _ type: ProbeOption.ValueType, _ summary: String, secret: Bool = false,
        read: @escaping @Sendable (_ raw: JSONValue, _ expand: (String) -> String) -> Value?
    ) {
        self.option = ProbeOption(name, type, summary, secret: secret)
        self.read = read
    }
}

extension ProbeOption {
    /// A string; numbers and booleans written in the manifest read as their text.
    public static func string(_ name: String, _ summary: String) -> TypedOption<String> {
        TypedOption(name, .string, summary) { raw, expand in
            switch raw {
            case .string(let s): expand(s)
            case .int(let i): String(i)
            case .double(let d): String(d)
            case .bool(let b): String(b)
            default: nil
            }
        }
    }

    /// A boolean; nil when absent or, after `${VAR}` substitution, not a boolean (the
    /// planner has already turned that case into an `error` result, see ``OptionCheck``).
    public static func bool(_ name: String, _ summary: String) -> TypedOption<Bool> {
        TypedOption(name, .bool, summary) { raw, expand in
            switch raw {
            case .bool(let b): b
            case .string(let s): ProbeSettings.parseBool(expand(s))
            default: nil
            }
        }
    }

    public static func number(_ name: String, _ summary: String) -> TypedOption<Double> {
        TypedOption(name, .number, summary) { raw, expand in
            switch raw {
            case .int(let i): Double(i)
            case .double(let d): d
            case .string(let s): Double(expand(s).trimmingSpaces)
            default: nil
            }
        }
    }

    public static func duration(_ name: String, _ summary: String) -> TypedOption<Duration> {
        TypedOption(name, .duration, summary) { raw, expand in
            guard case .string(let s) = raw else { return nil }
            return try? DurationParser.parse(expand(s))
        }
    }

    /// A list of strings: a YAML list (or, from code, one string separated by commas or
    /// spaces); items trimmed, empty ones dropped; numbers and booleans read as their text
    /// (`[200, 204]`).
    public static func stringList(_ name: String, _ summary: String) -> TypedOption<[String]> {
        TypedOption(name, .stringList, summary) { raw, _ in
            switch raw {
            case .array(let items): items.compactMap(\.scalarText).map(\.trimmingSpaces).filter { !$0.isEmpty }
            case .string(let text):
                text.split(whereSeparator: { $0 == "," || $0 == " " }).map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
            default: nil
            }
        }
    }

    /// A map of names to strings, each value's `${VAR}` templates filled in (numbers and
    /// booleans read as their text); with `secret`, every value is a secret of the run.
    public static func stringMap(_ name: String, _ summary: String, secret: Bool = false) -> TypedOption<[String: String]> {
        TypedOption(name, .stringMap, summary, secret: secret) { raw, expand in
            guard case .object(let object) = raw else { return nil }
            var map: [String: String] = [:]
            for (key, value) in object.entries {
                guard let text = value.scalarText else { return nil }
                map[key] = value.stringValue != nil ? expand(text) : text
            }
            return map
        }
    }
}

extension ProbeOption {
    /// The templates a secret option's raw manifest value holds, each with the map key it
    /// is under (nil for a plain string): what the planner registers and ``OptionCheck``
    /// checks, read the way ``stringMap(_:_:secret:)`` reads them (numbers and booleans as text).
    static func templates(in raw: JSONValue) -> [(name: String?, template: String)] {
        switch raw {
        case .object(let object): object.entries.compactMap { entry in entry.value.scalarText.map { (entry.key, $0) } }
        default: raw.scalarText.map { [(nil, $0)] } ?? []
        }
    }
}

extension JSONValue {
    /// A scalar's text as a manifest means it: a string as it is, a number or boolean as
    /// written; nil for null, lists and maps.
    var scalarText: String? {
        switch self {
        case .string(let s): s
        case .int(let i): String(i)
        case .double(let d): String(d)
        case .bool(let b): String(b)
        default: nil
        }
    }
}
