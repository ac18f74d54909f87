import Foundation
import TestSupport
import Testing

@testable import EnvCheckCore

/// Manifests as a run uses them: bindings resolved from the config, selection by manifest
/// ids, plans, and the files in probes/ (against stand-ins for the five kinds).
@Suite struct ManifestResolutionTests {
    static let url = ProbeInput("url", keys: ["DATABASE_URL"])

    func settings(_ bindings: [String: String], _ config: [String: String], options: JSONObject = JSONObject()) -> ProbeSettings {
        ProbeSettings(id: "db", config: ResolvedConfig(config), bindings: bindings, options: options)
    }

    @Test func bindingsResolveThroughProbeSettings() throws {
        let specs = try loadManifest(
            """
            probes:
              - kind: postgres
                inputs:
                  url: ${APP_DB:-${DATABASE_URL:-postgres://localhost/dev}}
            """)
        let bindings = specs[0].bindings
        #expect(
            settings(bindings, ["APP_DB": "postgres://app/a", "DATABASE_URL": "postgres://d/b"]).value(Self.url)
                == ProbeSettings.Value(value: "postgres://app/a", key: "${APP_DB:-${DATABASE_URL:-postgres://localhost/dev}}"))
        #expect(settings(bindings, ["APP_DB": "", "DATABASE_URL": "postgres://d/b"]).value(Self.url)?.value == "postgres://d/b")
        #expect(settings(bindings, [:]).value(Self.url)?.value == "postgres://localhost/dev")
        // Without a binding the input reads its default key.
        #expect(settings([:], ["APP_DB": "postgres://app/a", "DATABASE_URL": "postgres://d/b"]).value(Self.url)?.value == "postgres://d/b")
    }

    @Test func anUnsetBindingIsNotConfigured() throws {
        let specs = try loadManifest("probes:\n  - kind: postgres\n    inputs:\n      url: ${PRIMARY_URL}\n")
        let s = settings(specs[0].bindings, ["DATABASE_URL": "postgres://ignored/x"])
        #expect(s.value(Self.url) == nil)
        #expect(s.describe(Self.url) == "${PRIMARY_URL}")
        let plans = Planner.plan(
            specs, registry: ManifestTestKinds.registry, config: ResolvedConfig(["DATABASE_URL": "x"]),
            global: GlobalSettings(), timeouts: .init())
        #expect(ListSetup.isNotConfigured(plans[0].setup))
    }

    @Test func optionTemplatesResolveFromTheConfig() throws {
        let specs = try loadManifest(
            """
            probes:
              - kind: next_public
                options:
                  dir: ${NEXT_BUILD_DIR:-apps/web/.next}
                  max_age: ${MAX_AGE:-1h}
              - kind: postgres
                options:
                  expect_primary: ${EXPECT_PRIMARY:-true}
            """)
        let dir = ProbeOption.string("dir", "")
        let maxAge = ProbeOption.duration("max_age", "")
        let expectPrimary = ProbeOption.bool("expect_primary", "")
        let next = settings([:], [:], options: specs[0].options)
        #expect(next[dir] == "apps/web/.next")
        #expect(settings([:], ["NEXT_BUILD_DIR": "/srv/.next"], options: specs[0].options)[dir] == "/srv/.next")
        #expect(next[maxAge] == .seconds(3600))
        #expect(settings([:], [:], options: specs[1].options)[expectPrimary] == true)
        #expect(settings([:], ["EXPECT_PRIMARY": "false"], options: specs[1].options)[expectPrimary] == false)
    }

    @Test func keysReportedByConfigFollowTheBindings() throws {
        let specs = try loadManifest(
            """
            probes:
              - kind: postgres
                inputs:
                  url: ${APP_DB:-${DATABASE_URL}}
              - kind: next_public
                options:
                  dir: ${FRONTEND_DIR}
            """)
        let keys = KeyUsage.keys(for: specs, registry: ManifestTestKinds.registry)
        #expect(keys.map(\.key) == ["APP_DB", "DATABASE_URL", "NEXT_BUILD_DIR", "FRONTEND_DIR"])
    }

    static let twoDatabases = """
        probes:
          - id: primary
            kind: postgres
            inputs:
              url: ${DATABASE_URL}
          - id: replica
            kind: postgres
            critical: false
            inputs:
              url: ${REPLICA_URL}
          - id: cache
            kind: redis
            timeout: 750ms
        """

    @Test func selectionUsesManifestIds() throws {
        let specs = try loadManifest(Self.twoDatabases)
        let registry = ManifestTestKinds.registry
        func ids(_ selection: Selection) throws -> [String] { try Planner.select(specs, registry: registry, selection: selection).map(\.id) }
        #expect(try ids(Selection()) == ["primary", "replica", "cache"])
        #expect(try ids(Selection(only: ["replica", "cache"])) == ["replica", "cache"])
        #expect(try ids(Selection(skip: ["primary"])) == ["replica", "cache"])
        #expect(try ids(Selection(criticalOnly: true)) == ["primary"])
        #expect(throws: Planner.Failure(message: "unknown probe 'postgres' in --only (known: primary, replica, cache)")) {
            try Planner.select(specs, registry: registry, selection: Selection(only: ["postgres"]))
        }
    }

    @Test func plansCarryManifestCriticalityRequiredAndTimeouts() throws {
        let specs = try loadManifest(Self.twoDatabases + "\n    required: true\n")
        let plans = Planner.plan(
            specs, registry: ManifestTestKinds.registry, config: ResolvedConfig(), global: GlobalSettings(),
            timeouts: .init(defaultTimeout: .seconds(5)))
        #expect(plans.map(\.critical) == [true, false, false])
        #expect(plans.map(\.required) == [true, false, true])
        #expect(plans.map(\.timeout) == [.seconds(5), .seconds(5), .milliseconds(750)])
        let capped = Planner.plan(
            specs, registry: ManifestTestKinds.registry, config: ResolvedConfig(), global: GlobalSettings(),
            timeouts: .init(override: .seconds(2)))
        #expect(capped.map(\.timeout) == [.seconds(2), .seconds(2), .seconds(2)])
    }

    // MARK: - The files in probes/

    static func file(_ name: String) throws -> String {
        try String(contentsOfFile: repositoryRoot + "/probes/" + name, encoding: .utf8)
    }

    @Test func defaultManifestEqualsTheBuiltInDefault() throws {
        let registry = ManifestTestKinds.registry
        let specs = try ManifestLoader.parse(try Self.file("default.yaml"), path: "probes/default.yaml", registry: registry)
        #expect(ManifestEquivalence.differences(specs, registry.defaultSpecs, registry: registry) == [])
    }

    /// The equivalence check can fail: a chained fallback differs from the default keys when
    /// a key holds only spaces, and so do criticality, timeouts and options.
    @Test func equivalenceCheckCatchesDifferences() throws {
        let registry = ProbeRegistry([
            ManifestTestKinds.kind(
                "db", critical: true,
                inputs: [ProbeInput("url", keys: ["A_URL", "B_URL"])])
        ])
        let chained = try ManifestLoader.parse("probes:\n  - kind: db\n    inputs:\n      url: ${A_URL:-${B_URL}}\n", path: "m", registry: registry)
        #expect(ManifestEquivalence.differences(chained, registry.defaultSpecs, registry: registry).count == 1)
        let other = try ManifestLoader.parse("probes:\n  - kind: db\n    id: x\n    critical: false\n    timeout: 1s\n", path: "m", registry: registry)
        #expect(ManifestEquivalence.differences(other, registry.defaultSpecs, registry: registry).count == 4)
        let plain = try ManifestLoader.parse("probes:\n  - kind: db\n", path: "m", registry: registry)
        #expect(ManifestEquivalence.differences(plain, registry.defaultSpecs, registry: registry) == [])
    }

    @Test func backendExample() throws {
        let specs = try ManifestLoader.parse(try Self.file("backend.yaml"), path: "probes/backend.yaml", registry: ManifestTestKinds.registry)
        #expect(specs.map(\.id) == ["postgres", "s3", "redis", "openrouter"])
        #expect(specs[0].critical == true && specs[0].options["expect_primary"] == .bool(true))
        #expect(specs[1].critical == true)
        #expect(specs[2].critical == false && specs[2].required == true)
        #expect(specs[3].critical == false)
        let selected = try Planner.select(specs, registry: ManifestTestKinds.registry, selection: Selection(criticalOnly: true))
        #expect(selected.map(\.id) == ["postgres", "s3"])
    }

    @Test func frontendExample() throws {
        let specs = try ManifestLoader.parse(try Self.file("frontend.yaml"), path: "probes/frontend.yaml", registry: ManifestTestKinds.registry)
        #expect(specs.map(\.id) == ["next_public"])
        #expect(specs[0].options.keys == ["dir", "expect", "ignore"])
        #expect(specs[0].options["expect"] == .array(["NEXT_PUBLIC_API_URL", "NEXT_PUBLIC_SITE_URL"]))
        #expect(specs[0].options["ignore"] == .array(["NEXT_PUBLIC_DEBUG"]))
    }
}

enum ListSetup {
    static func isNotConfigured(_ setup: ProbeSetup) -> Bool {
        if case .notConfigured = setup { return true }
        return false
    }
}
