import Testing

@testable import EnvCheckCore

private func deepError(_ text: String) -> ManifestError? {
    do {
        _ = try YAMLParser.parse(text, path: "m.yaml")
        return nil
    } catch {
        return error
    }
}

/// `depth` mappings inside each other: `k0:` / `  k1:` / ... / `k{depth-1}: x`.
private func nestedMappings(_ depth: Int, innermost: String = "x") -> String {
    (0..<depth).map { String(repeating: "  ", count: $0) + "k\($0):" + ($0 == depth - 1 ? " \(innermost)" : "") }.joined(separator: "\n") + "\n"
}

/// Reads `node` down through single-entry mappings and counts the levels.
private func mappingDepth(_ node: YAMLNode) -> Int {
    guard case .mapping(let entries) = node.content, let only = entries.first else { return 0 }
    return 1 + mappingDepth(only.value)
}

@Suite("manifests: limits")
struct ManifestLimitsTests {
    @Test func thirtyTwoLevelsOfMappingsAreReadAndThirtyThreeAreNot() throws {
        #expect(mappingDepth(try YAMLParser.parse(nestedMappings(32), path: "m.yaml")) == 32)
        let over = deepError(nestedMappings(33))
        #expect(over?.line == 33, "\(String(describing: over))")
        #expect(over?.message == "lists and mappings are nested more than 32 deep (the limit for a manifest)")
    }

    @Test func listsOnOneLineCountAsLevelsToo() throws {
        let dashes = { (n: Int) in String(repeating: "- ", count: n) + "x\n" }
        _ = try YAMLParser.parse(dashes(32), path: "m.yaml")
        #expect(
            deepError(dashes(33))?.description.hasPrefix("m.yaml:1:65: lists and mappings are nested more than 32 deep") == true,
            "\(String(describing: deepError(dashes(33))))")
        // A [flow] list is a level: 31 mappings and a list fit, 32 and a list do not.
        _ = try YAMLParser.parse(nestedMappings(31, innermost: "[a, b]"), path: "m.yaml")
        #expect(deepError(nestedMappings(32, innermost: "[a, b]"))?.line == 32)
    }

    @Test func deepInputIsAnErrorNotAStackOverflow() {
        #expect(deepError(String(repeating: "- ", count: 30_000) + "x\n")?.line == 1)
        #expect(deepError(nestedMappings(900))?.line == 33)
    }

    @Test func fileSizeAndLineLength() throws {
        let long = "a: " + String(repeating: "v", count: Limits.lineBytes - 3) + "\n"
        _ = try YAMLParser.parse(long, path: "m.yaml")
        let over = deepError("# first\n" + long.replacing("a: ", with: "a: v"))
        #expect(over?.description == "m.yaml:2: the line is longer than 64 KiB, the limit for one line", "\(String(describing: over))")
        let comments = String(repeating: "#" + String(repeating: "c", count: 1022) + "\n", count: 1024)
        #expect(comments.utf8.count == Limits.fileBytes)
        #expect(try YAMLParser.parse(comments, path: "m.yaml").content == .null)
        #expect(deepError(comments + "a: 1\n")?.description == "m.yaml:1: the file is larger than 1 MiB, the limit for an input file")
    }

    @Test func aBareCarriageReturnEndsALine() throws {
        let root = try YAMLParser.parse("a: 1\rb: two\r\nc: 3", path: "m.yaml")
        guard case .mapping(let entries) = root.content else {
            Issue.record("not a mapping")
            return
        }
        #expect(entries.map(\.key) == ["a", "b", "c"])
        #expect(entries.map(\.line) == [1, 2, 3])
        #expect(entries.map(\.value.text) == ["1", "two", "3"])
    }

    @Test func atMostOneThousandProbes() throws {
        let probe = "  - id: p{n}\n    kind: redis\n"
        let probes = { (count: Int) in
            "version: 1\nprobes:\n" + (1...count).map { probe.replacing("{n}", with: "\($0)") }.joined()
        }
        #expect(try loadManifest(probes(Limits.manifestProbes)).count == 1000)
        #expect(manifestError(probes(Limits.manifestProbes + 1)) == "probes/m.yaml:2003:5: more than 1000 probes in one manifest (the limit)")
    }

    @Test func templatesNestAtMostThirtyTwoDeep() {
        let template = { (n: Int) in String(repeating: "${A:-", count: n) + "${DATABASE_URL}" + String(repeating: "}", count: n) }
        let manifest = { (n: Int) in "probes:\n  - kind: postgres\n    inputs:\n      url: \(template(n))\n" }
        #expect(manifestError(manifest(31)).hasPrefix("no error"))
        #expect(
            manifestError(manifest(32)).contains("probes/m.yaml:4:12: input 'url' of probe 'postgres': ${...} expressions are nested more than 32 deep"),
            "\(manifestError(manifest(32)))")
        #expect(manifestError(manifest(9_000)).contains("nested more than 32 deep"))
    }

    @Test func aBindingThatExpandsPastTheLimitIsAnErrorResultNotAProbe() throws {
        let specs = try loadManifest("probes:\n  - kind: postgres\n    inputs:\n      url: ${BIG}${BIG}\n")
        let config = ResolvedConfig(["BIG": String(repeating: "b", count: 600_000)])
        let plans = Planner.plan(specs, registry: ManifestTestKinds.registry, config: config, global: GlobalSettings(), timeouts: .init())
        guard case .invalid(let failure) = plans.first?.setup else {
            Issue.record("the probe was set up")
            return
        }
        #expect(failure.code == .invalidConfig)
        #expect(
            String(describing: failure.message).contains("input url of probe postgres: the value is longer than 1 MiB after interpolation"),
            "\(failure.message)")
        let fits = Planner.plan(specs, registry: ManifestTestKinds.registry, config: ResolvedConfig(["BIG": "b"]), global: GlobalSettings(), timeouts: .init())
        guard case .ready = fits.first?.setup else {
            Issue.record("a short value was not set up")
            return
        }
    }
}
