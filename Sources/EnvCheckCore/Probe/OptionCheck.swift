/// Checks a probe's typed options once `${VAR}` templates are filled in. The manifest loader
/// checks literal values; a template can only be checked against the resolved config, so a
/// `tls_verify: ${S3_TLS_VERIFY}` whose variable is unset or says `maybe` makes the probe an
/// `error` instead of silently meaning something (least of all "verification off").
public enum OptionCheck {
    public static func failure(_ spec: ProbeSpec, kind: ProbeKind, config: ResolvedConfig) -> ProbeFailure? {
        // A template whose expansion would pass the limits (``Limits/valueBytes``).
        let templates =
            spec.bindings.sorted { $0.key < $1.key }.map { ("input \($0.key)", $0.value) }
            + spec.options.entries.compactMap { entry in entry.value.stringValue.map { ("option \(entry.key)", $0) } }
        for (what, template) in templates where template.utf8Contains("${") {
            if let problem = Interpolation.problem(expanding: template, lookup: { config.value($0) }) {
                return .misconfigured(
                    .invalidConfig, "\(what) of probe \(spec.id): \(problem)",
                    hint: "check the variables it names: expanded, a value must stay within the limit")
            }
        }
        for option in kind.options + ProbeOption.common {
            guard case .string(let template)? = spec.options[option.name], template.contains("${") else { continue }
            let (value, unset) = Interpolation.expand(template, lookup: { config.value($0) })
            let valid =
                switch option.type {
                case .bool: ProbeSettings.parseBool(value) != nil
                case .number: Double(value.trimmingSpaces) != nil
                case .duration: (try? DurationParser.parse(value)) != nil
                case .string, .stringList, .stringMap: true
                }
            guard !valid else { continue }
            let expected =
                switch option.type {
                case .bool: "true or false"
                case .number: "a number"
                case .duration: "a duration such as 5s"
                case .string, .stringList, .stringMap: "a string"
                }
            let why = unset.isEmpty ? "is not \(expected)" : "names \(unset.joined(separator: ", ")), which is not set"
            return .misconfigured(
                .invalidConfig, "option \(option.name) of probe \(spec.id) \(why)",
                hint: "set \(unset.first ?? "the variable it names") to \(expected), or write the value in the manifest")
        }
        // A secret option (HTTP headers) whose template names an unset variable would send
        // a credential with a hole in it (`Bearer `): say which variable instead.
        for option in kind.options where option.secret {
            guard let raw = spec.options[option.name] else { continue }
            for (name, template) in ProbeOption.templates(in: raw) where template.contains("${") {
                // `${VAR:-default}` is a value: only a plain `${VAR}` left unset or empty (the
                // same as unset) is a hole.
                let lookup: (String) -> String? = { config.value($0).flatMap { $0.isEmpty ? nil : $0 } }
                let unset = Interpolation.expand(template, lookup: lookup).unset.filter { template.contains("${\($0)}") }
                guard let first = unset.first else { continue }
                return .misconfigured(
                    .invalidConfig,
                    "option \(option.name)\(name.map { " (\($0))" } ?? "") of probe \(spec.id) names \(unset.joined(separator: ", ")), which is not set or empty",
                    hint: "set \(first), or give a default in the manifest (${\(first):-value})")
            }
        }
        return nil
    }
}
