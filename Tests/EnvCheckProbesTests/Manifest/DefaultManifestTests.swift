import EnvCheckCore
import EnvCheckProbes
import Foundation
import TestSupport
import Testing

/// probes/default.yaml and the examples, against the real registry: the default manifest
/// must select the same probes as `BuiltInProbes.registry.defaultSpecs` (every kind marked
/// `inDefault`), with the same criticality, required-ness, timeouts and effective inputs for
/// any config, whatever kinds the registry holds.
@Suite struct DefaultManifestTests {
    static func load(_ name: String) throws -> [ProbeSpec] {
        let text = try String(contentsOfFile: repositoryRoot + "/probes/" + name, encoding: .utf8)
        return try ManifestLoader.parse(text, path: "probes/" + name, registry: BuiltInProbes.registry)
    }

    /// Runs `body`; the default manifest names exactly the registry's default kinds.
    static func whenKindsRegistered(_ body: () throws -> Void) {
        let registry = BuiltInProbes.registry
        #expect(registry.problems.isEmpty, "\(registry.problems)")
        if let specs = try? load("default.yaml") {
            #expect(
                specs.map(\.kind) == registry.kinds.filter(\.inDefault).map(\.kind), "probes/default.yaml lists the kinds marked inDefault, in registry order")
        }
        #expect(throws: Never.self) { try body() }
    }

    @Test func defaultManifestEqualsTheBuiltInDefault() {
        Self.whenKindsRegistered {
            let registry = BuiltInProbes.registry
            let specs = try Self.load("default.yaml")
            #expect(ManifestEquivalence.differences(specs, registry.defaultSpecs, registry: registry) == [])
        }
    }

    @Test(arguments: ["backend.yaml", "frontend.yaml", "services.yaml"])
    func examplesValidate(_ name: String) {
        Self.whenKindsRegistered {
            let specs = try Self.load(name)
            #expect(!specs.isEmpty)
        }
    }
}
