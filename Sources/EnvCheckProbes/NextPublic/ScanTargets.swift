import EnvCheckCore

/// What one scan looks for, and what each needle means. Built once per check from the
/// expected values' literal forms, the secrets' forms and the ``ScanPattern`` literals.
struct ScanTargets: Sendable {
    enum Tag: Sendable, Equatable {
        /// A literal form of expected value number `n`.
        case value(Int)
        /// A form of secret number `n`.
        case secret(Int)
        case pattern(ScanPattern)
    }

    /// For `*.js` under `static/`: values, un-inlined references, secrets and shapes.
    let client: TaggedMatcher
    /// For every other scanned file (source maps, CSS, media, prerendered pages): secrets
    /// and shapes only.
    let other: TaggedMatcher

    /// `values[n]` and `secrets[n]` hold the forms of value or secret number `n`.
    init(values: [[String]], secrets: [[Secret]]) {
        var shared: [([UInt8], Tag)] = []
        for (index, forms) in secrets.enumerated() {
            for form in forms { shared.append((Array(form.revealed.utf8), .secret(index))) }
        }
        for pattern in ScanPattern.allCases where pattern != .notInlined {
            for literal in pattern.literals { shared.append((Array(literal.utf8), .pattern(pattern))) }
        }
        var client = shared
        for (index, forms) in values.enumerated() {
            for form in forms { client.append((Array(form.utf8), .value(index))) }
        }
        for literal in ScanPattern.notInlined.literals { client.append((Array(literal.utf8), .pattern(.notInlined))) }
        self.client = TaggedMatcher(client)
        self.other = TaggedMatcher(shared)
    }
}

/// A ``LiteralMatcher`` whose needles carry a ``ScanTargets/Tag``.
struct TaggedMatcher: Sendable {
    let matcher: LiteralMatcher
    let tags: [ScanTargets.Tag]
    /// Bytes kept from one chunk to the next so that no match straddling the boundary is
    /// missed: the longest needle, or a pattern literal plus its confirmation.
    let overlap: Int

    init(_ needles: [([UInt8], ScanTargets.Tag)]) {
        var seen = Set<[UInt8]>()
        var unique: [([UInt8], ScanTargets.Tag)] = []
        for (bytes, tag) in needles where bytes.count >= 2 {
            // The same bytes for two tags are both kept; identical pairs only once.
            if case .pattern = tag, !seen.insert(bytes).inserted { continue }
            unique.append((bytes, tag))
        }
        matcher = LiteralMatcher(unique.map(\.0))
        tags = unique.map(\.1)
        overlap = max(matcher.maxLength, 32 + ScanPattern.maxExtension)
    }

    /// Records what `buffer` holds into `findings`. `final`: the buffer ends the file.
    /// `matches` is scratch space, reused across calls.
    func scan(
        _ buffer: UnsafeRawBufferPointer, final: Bool, into findings: inout FileFindings,
        matches: inout [LiteralMatcher.Match]
    ) {
        guard let base = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        matches.removeAll(keepingCapacity: true)
        matcher.scan(buffer, into: &matches)
        for match in matches {
            switch tags[match.needle] {
            case .value(let n): findings.values.insert(n)
            case .secret(let n): findings.secrets.insert(n)
            case .pattern(let pattern):
                let length = matcher.needles[match.needle].count
                if case .yes(let name) = pattern.confirm(base, count: buffer.count, start: match.start, length: length, final: final) {
                    if let name { findings.notInlined.insert(name) } else { findings.shapes.insert(pattern) }
                }
            }
        }
    }
}

/// What one file holds.
struct FileFindings: Sendable {
    var values = Set<Int>()
    var secrets = Set<Int>()
    /// Key names of un-inlined `.env.NEXT_PUBLIC_X` references.
    var notInlined = Set<String>()
    /// Credential shapes (never `.notInlined`).
    var shapes = Set<ScanPattern>()
}
