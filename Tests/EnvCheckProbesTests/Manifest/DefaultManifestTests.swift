import EnvCheckCore
import EnvCheckProbes
import Foundation
import TestSupport
import Testing

/// probes/default.yaml and the examples, against the real registry: the default manifest
/// must select the same probes as `BuiltInProbes.registry.defaultSpecs`, with the same
/// criticality, required-ness, timeouts and effective inputs for any config, whatever
/// kinds the registry holds.
@Suite struct DefaultManifestTests {
    static let kindsInDefault = ["postgres", "s3", "redis", "openrouter", "next_public"]

    static func load(_ name: String) throws -> [ProbeSpec] {
        let text = try String(contentsOfFile: repositoryRoot + "/probes/" + name, encoding: .utf8)
        return try ManifestLoader.parse(text, path: "probes/" + name, registry: BuiltInProbes.registry)
    }

    /// Runs `body` with every built-in kind registered: a missing kind fails the test.
    static func whenKindsRegistered(_ body: () throws -> Void) {
        let registered = BuiltInProbes.registry.kinds.map(\.kind)
        #expect(registered == kindsInDefault)
        #expect(throws: Never.self) { try body() }
    }

    @Test func defaultManifestEqualsTheBuiltInDefault() {
        Self.whenKindsRegistered {
            let registry = BuiltInProbes.registry
            let specs = try Self.load("default.yaml")
            #expect(ManifestEquivalence.differences(specs, registry.defaultSpecs, registry: registry) == [])
        }
    }

    @Test(arguments: ["backend.yaml", "frontend.yaml"])
    func examplesValidate(_ name: String) {
        Self.whenKindsRegistered {
            let specs = try Self.load(name)
            #expect(!specs.isEmpty)
        }
    }
}
