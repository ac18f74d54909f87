import EnvCheckCore

/// Compares two probe lists as a run would see them, for every config over the keys they
/// read: same ids and kinds in the same order, same effective criticality, required-ness,
/// timeout and options, the same keys reported by `config`, and the same value for every
/// input (a manifest binding vs. the input's default keys).
public enum ManifestEquivalence {
    /// The values each key takes in turn: unset, empty, spaces only, and a real value.
    static let trials: [String?] = [nil, "", "  ", "value"]

    /// An empty list means equivalent; else one line per difference.
    public static func differences(_ manifest: [ProbeSpec], _ builtIn: [ProbeSpec], registry: ProbeRegistry) -> [String] {
        var problems: [String] = []
        if manifest.map(\.id) != builtIn.map(\.id) {
            problems.append("ids differ: \(manifest.map(\.id)) vs \(builtIn.map(\.id))")
        }
        for (a, b) in zip(manifest, builtIn) {
            problems += compare(a, b, registry: registry)
        }
        return problems
    }

    static func compare(_ a: ProbeSpec, _ b: ProbeSpec, registry: ProbeRegistry) -> [String] {
        guard a.kind == b.kind, let kind = registry.kind(a.kind) else { return ["\(a.id): kinds differ (\(a.kind) vs \(b.kind))"] }
        var problems: [String] = []
        let critical = (a.critical ?? kind.critical, b.critical ?? kind.critical)
        if critical.0 != critical.1 { problems.append("\(a.id): critical \(critical.0) vs \(critical.1)") }
        if (a.required ?? critical.0) != (b.required ?? critical.1) { problems.append("\(a.id): required differs") }
        if a.timeout != b.timeout { problems.append("\(a.id): timeout \(String(describing: a.timeout)) vs \(String(describing: b.timeout))") }
        if a.options != b.options { problems.append("\(a.id): options differ") }
        let keysA = KeyUsage.keys(for: [a], registry: registry).map(\.key)
        let keysB = KeyUsage.keys(for: [b], registry: registry).map(\.key)
        if keysA != keysB { problems.append("\(a.id): keys read \(keysA) vs \(keysB)") }
        for input in kind.inputs {
            let keys = Array(Set(input.keys + (a.bindings[input.name].map(KeyUsage.variables(in:)) ?? []))).sorted()
            for config in configs(over: keys) {
                let va = ProbeSettings(id: a.id, config: config, bindings: a.bindings, options: a.options).value(input)?.value
                let vb = ProbeSettings(id: b.id, config: config, bindings: b.bindings, options: b.options).value(input)?.value
                if va != vb {
                    problems.append("\(a.id): input \(input.name) is \(va ?? "nil") vs \(vb ?? "nil") with \(config.entries.mapValues(\.value))")
                    break
                }
            }
        }
        return problems
    }

    /// Every combination of ``trials`` over `keys` (4^n configs; inputs read at most a few keys).
    static func configs(over keys: [String]) -> [ResolvedConfig] {
        // Every combination while that stays small; for an input with many keys (policy's
        // lists), each key alone with each trial, each adjacent pair set, and all set.
        guard keys.count <= 5 else {
            var combos: [[String: String]] = [[:], Dictionary(uniqueKeysWithValues: keys.map { ($0, "value-of-\($0)") })]
            for key in keys { for trial in trials { if let trial { combos.append([key: trial == "value" ? "value-of-\(key)" : trial]) } } }
            for (a, b) in zip(keys, keys.dropFirst()) { combos.append([a: "value-of-\(a)", b: "value-of-\(b)"]) }
            return combos.map { ResolvedConfig($0) }
        }
        var combos: [[String: String]] = [[:]]
        for key in keys {
            combos = combos.flatMap { base in
                trials.map { trial in
                    var next = base
                    if let trial { next[key] = trial == "value" ? "value-of-\(key)" : trial }
                    return next
                }
            }
        }
        return combos.map { ResolvedConfig($0) }
    }
}
