import EnvCheckCore

/// Keys declared twice within one layer.
extension KeysChecker {
    static func duplicates(_ layers: KeysLayers) -> [KeyFinding] {
        templateDuplicates(layers.template ?? []) + settingsDuplicates(layers.settings) + exampleDuplicates(layers.example)
    }

    /// A key rendered twice, unless the two sit in different arms of one `if`/`with` block.
    static func templateDuplicates(_ keys: [TemplateKey]) -> [KeyFinding] {
        var findings: [KeyFinding] = []
        var seen: [String: ArmTrie] = [:]
        var files: [String: Int] = [:]
        for (n, t) in keys.enumerated() {
            // Keys of different files are never exclusive: each file is a block of its own.
            if files[t.file] == nil { files[t.file] = files.count }
            let file = TemplateKey.Arm(block: -1 - files[t.file]!, arm: 0)
            let trie = seen[t.key] ?? ArmTrie()
            seen[t.key] = trie
            guard let m = trie.insert([file] + t.arms, index: n) else { continue }
            let first = keys[m]
            findings.append(
                KeyFinding(
                    .fail, .duplicateKey, "\(t.key) is rendered twice (first at \(first.file):\(first.line)); the later line wins",
                    key: t.key, file: t.file, line: t.line, layer: .template))
        }
        return findings
    }

    /// A field declared twice in one class body, or two fields reading the same env name.
    static func settingsDuplicates(_ classes: [SettingsClass]) -> [KeyFinding] {
        var findings: [KeyFinding] = []
        for c in classes {
            for r in c.redeclared {
                findings.append(
                    KeyFinding(
                        .fail, .duplicateKey, "\(c.name).\(r.name) is declared twice (first at \(c.file):\(r.first)); the later one wins",
                        key: r.name, file: c.file, line: r.line, layer: .settings))
            }
            // The first earlier field reading a name: case-sensitive ones by the name as written,
            // the others by its lowercased form (see SettingsField.accepts).
            var firstExact: [String: Int] = [:]
            var firstFolded: [String: Int] = [:]
            for (n, f) in c.fields.enumerated() {
                for name in f.envNames {
                    let earlier = [firstExact[name], firstFolded[name.lowercased()]].compactMap { $0 }.min()
                    guard let earlier else { continue }
                    let other = c.fields[earlier]
                    findings.append(
                        KeyFinding(
                            .fail, .duplicateKey,
                            "\(name) is read by both \(other.declaredIn).\(other.name) (\(other.file):\(other.line)) and \(f.declaredIn).\(f.name)",
                            key: name, file: f.file, line: f.line, layer: .settings))
                }
                for name in f.envNames {
                    if f.caseSensitive {
                        if firstExact[name] == nil { firstExact[name] = n }
                    } else if firstFolded[name.lowercased()] == nil {
                        firstFolded[name.lowercased()] = n
                    }
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
                findings.append(
                    KeyFinding(
                        .fail, .duplicateKey, "\(e.key) is assigned twice (first at \(first.file):\(first.line)); the later value wins",
                        key: e.key, file: e.file, line: e.line, layer: .example))
            } else {
                firstSeen[e.key] = e
            }
        }
        return findings
    }
}

/// The template keys of one name seen so far, as paths of (block, arm) from the file down:
/// finds the first earlier key a new one can be rendered together with (not exclusive, see
/// ``TemplateKey/isExclusive(with:)``) in time proportional to the nesting depth, where
/// comparing with every earlier key was quadratic.
///
/// Two paths share exactly the blocks of their common prefix of blocks, so an earlier key is
/// exclusive with the new one only if it went, at some depth along the new key's path, into
/// the same block by another arm. Keys are added in order, so the first key to reach a node
/// is the earliest one below it.
final class ArmTrie {
    private final class Node {
        /// The first key whose path ends here.
        var endingHere: Int?
        /// The first two distinct blocks entered below this node, each with its first key.
        var firstBlocks: [(block: Int, first: Int)] = []
        var children: [Int: [Int: Node]] = [:]
    }

    private let root = Node()

    /// The first earlier key that is not exclusive with a key on `path`; then adds it as `index`.
    func insert(_ path: [TemplateKey.Arm], index: Int) -> Int? {
        var candidates: [Int] = []
        var node = root
        for step in path {
            // Keys that end here, or go into another block, share only the blocks so far.
            if let k = node.endingHere { candidates.append(k) }
            if let other = node.firstBlocks.first(where: { $0.block != step.block }) { candidates.append(other.first) }
            if node.firstBlocks.count < 2, !node.firstBlocks.contains(where: { $0.block == step.block }) {
                node.firstBlocks.append((step.block, index))
            }
            let child = node.children[step.block]?[step.arm] ?? Node()
            node.children[step.block, default: [:]][step.arm] = child
            node = child
        }
        // Keys that end here or go deeper share every block of this path, arm for arm.
        if let k = node.endingHere { candidates.append(k) }
        if let deeper = node.firstBlocks.first { candidates.append(deeper.first) }
        if node.endingHere == nil { node.endingHere = index }
        return candidates.min()
    }
}
