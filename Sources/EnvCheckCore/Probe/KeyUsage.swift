/// Which config keys a set of probes reads, for `config` and for the run's warnings.
public enum KeyUsage {
    /// Each key with the probe ids that read it, in first-seen order. A manifest binding
    /// replaces the input's default keys with the variables its template names.
    public static func keys(for specs: [ProbeSpec], registry: ProbeRegistry) -> [(key: String, probes: [String])] {
        var order: [String] = []
        var probes: [String: [String]] = [:]
        func add(_ key: String, _ id: String) {
            if probes[key] == nil { order.append(key) }
            if !(probes[key] ?? []).contains(id) { probes[key, default: []].append(id) }
        }
        for spec in specs {
            guard let kind = registry.kind(spec.kind) else { continue }
            for input in kind.inputs {
                let keys = spec.bindings[input.name].map(variables(in:)) ?? input.keys
                for key in keys { add(key, spec.id) }
            }
            for (_, value) in spec.options.entries {
                if case .string(let s) = value { for key in variables(in: s) { add(key, spec.id) } }
            }
        }
        return order.map { ($0, probes[$0] ?? []) }
    }

    /// How secret each key is as the inputs it feeds declare (the strongest wins): a key
    /// bound through a manifest template counts for every variable the template names.
    public static func secrecy(for specs: [ProbeSpec], registry: ProbeRegistry) -> [String: InputSecrecy] {
        var out: [String: InputSecrecy] = [:]
        for spec in specs {
            guard let kind = registry.kind(spec.kind) else { continue }
            for input in kind.inputs where input.secrecy != .none {
                for key in spec.bindings[input.name].map(variables(in:)) ?? input.keys where out[key] != .whole {
                    out[key] = input.secrecy
                }
            }
        }
        return out
    }

    /// The keys read by required probes (for "set but empty" warnings).
    public static func requiredKeys(for specs: [ProbeSpec], registry: ProbeRegistry) -> Set<String> {
        let required = specs.filter { spec in spec.required ?? spec.critical ?? registry.kind(spec.kind)?.critical ?? false }
        return Set(keys(for: required, registry: registry).map(\.key))
    }

    /// The names referenced as `${NAME}` or `${NAME:-...}` in a template.
    public static func variables(in template: String) -> [String] {
        var names: [String] = []
        var rest = Substring(template)
        while let open = rest.firstRange(of: "${") {
            let after = rest[open.upperBound...]
            let name = after.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
            if !name.isEmpty { names.append(String(name)) }
            rest = after
        }
        return names
    }
}
