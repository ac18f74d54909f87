/// Keys declared twice within one layer.
extension KeysChecker {
    static func duplicates(_ layers: KeysLayers) -> [KeyFinding] {
        templateDuplicates(layers.template ?? []) + settingsDuplicates(layers.settings) + exampleDuplicates(layers.example)
    }

    /// A key rendered twice, unless the two sit in different arms of one `if`/`with` block.
    static func templateDuplicates(_ keys: [TemplateKey]) -> [KeyFinding] {
        var findings: [KeyFinding] = []
        var earlier: [String: [Int]] = [:]
        for (n, t) in keys.enumerated() {
            defer { earlier[t.key, default: []].append(n) }
            guard let m = earlier[t.key]?.first(where: { !keys[$0].isExclusive(with: t) }) else { continue }
            let first = keys[m]
            findings.append(KeyFinding(.fail, .duplicateKey, "\(t.key) is rendered twice (first at \(first.file):\(first.line)); the later line wins",
                                       key: t.key, file: t.file, line: t.line, layer: .template))
        }
        return findings
    }

    /// A field declared twice in one class body, or two fields reading the same env name.
    static func settingsDuplicates(_ classes: [SettingsClass]) -> [KeyFinding] {
        var findings: [KeyFinding] = []
        for c in classes {
            for r in c.redeclared {
                findings.append(KeyFinding(.fail, .duplicateKey, "\(c.name).\(r.name) is declared twice (first at \(c.file):\(r.first)); the later one wins",
                                           key: r.name, file: c.file, line: r.line, layer: .settings))
            }
            for (n, f) in c.fields.enumerated() {
                for name in f.envNames {
                    guard let other = c.fields[..<n].first(where: { $0.accepts(name) }) else { continue }
                    findings.append(KeyFinding(.fail, .duplicateKey, "\(name) is read by both \(other.declaredIn).\(other.name) (\(other.file):\(other.line)) and \(f.declaredIn).\(f.name)",
                                               key: name, file: f.file, line: f.line, layer: .settings))
                }
            }
        }
        var seen = Set<String>()
        return findings.filter { seen.insert("\($0.file):\($0.line):\($0.key)").inserted }
    }

    /// A key assigned twice in the example (commented-out alternatives do not count).
    static func exampleDuplicates(_ entries: [ExampleEntry]) -> [KeyFinding] {
        var firstSeen: [String: ExampleEntry] = [:]
        var findings: [KeyFinding] = []
        for e in entries where !e.isCommentedOut {
            if let first = firstSeen[e.key] {
                findings.append(KeyFinding(.fail, .duplicateKey, "\(e.key) is assigned twice (first at \(first.file):\(first.line)); the later value wins",
                                           key: e.key, file: e.file, line: e.line, layer: .example))
            } else {
                firstSeen[e.key] = e
            }
        }
        return findings
    }
}
