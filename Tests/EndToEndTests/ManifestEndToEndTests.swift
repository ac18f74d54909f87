import Foundation
import TestSupport
import Testing

/// `--probes` through the built binary: a bad manifest is exit 2 (1 under healthcheck) with
/// `file:line` on stderr, and a good one selects exactly its probes.
@Suite struct ManifestEndToEndTests {
    /// A manifest whose line 4 has an unknown key: rejected before any kind is looked up.
    static let badManifest = """
        version: 1
        probes:
          - kind: postgres
        retries: 3
        """
    static let environment = ["PATH": "/usr/bin:/bin", "NO_COLOR": "1"]

    func workspace() throws -> TempDir {
        let dir = try TempDir(prefix: "envcheck-e2e")
        try dir.write("probes/bad.yaml", Self.badManifest)
        return dir
    }

    @Test(arguments: [["check"], ["config"], ["list"], []])
    func badManifestExitsTwoWithFileAndLine(_ command: [String]) async throws {
        let dir = try workspace()
        for manifest in ["bad", "probes/bad.yaml"] {
            let result = try await EnvCheckBinary.run(command + ["--no-env-file", "--probes", manifest], environment: Self.environment, directory: dir.path)
            #expect(result.status == 2)
            #expect(result.stderr == "envcheck: probes/bad.yaml:4:1: unknown key 'retries' in the manifest (allowed: version, probes)\n")
            #expect(result.stdout == "")
        }
    }

    @Test func badManifestUnderHealthcheckIsUnhealthy() async throws {
        let dir = try workspace()
        let result = try await EnvCheckBinary.run(["healthcheck", "--no-env-file", "--probes", "bad"], environment: Self.environment, directory: dir.path)
        #expect(result.status == 1)
        #expect(result.stdout == "unhealthy: envcheck could not run: probes/bad.yaml:4:1: unknown key 'retries' in the manifest (allowed: version, probes)\n")
    }

    @Test func missingManifestExitsTwo() async throws {
        let dir = try workspace()
        let result = try await EnvCheckBinary.run(["check", "--no-env-file", "--probes", "staging"], environment: Self.environment, directory: dir.path)
        #expect(result.status == 2)
        #expect(
            result.stderr == "envcheck: probes/staging.yaml: cannot read the probe manifest ('staging' names probes/staging.yaml): No such file or directory\n")
    }

    @Test func yamlSyntaxErrorNamesFileLineAndColumn() async throws {
        let dir = try workspace()
        try dir.write("m.yaml", "version: 1\nprobes:\n  - kind: postgres\n    options: {tls_verify: false}\n")
        let result = try await EnvCheckBinary.run(["check", "--no-env-file", "--probes", "m.yaml"], environment: Self.environment, directory: dir.path)
        #expect(result.status == 2)
        #expect(result.stderr == "envcheck: m.yaml:4:14: flow mappings ('{...}') are not supported; use an indented block\n")
    }

    @Test func listHonoursTheManifest() async throws {
        let registered = try await Self.registeredKinds()
        let check = { () async throws -> Void in
            let result = try await EnvCheckBinary.run(
                ["list", "--no-env-file", "--format", "json", "--probes", "probes/frontend.yaml"],
                environment: Self.environment, directory: repositoryRoot)
            #expect(result.status == 0, "\(result.stderr)")
            let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
            let probes = json?["probes"] as? [[String: Any]] ?? []
            #expect(probes.map { $0["id"] as? String } == ["next_public"])
            #expect(probes.first?["critical"] as? Bool == false)

            let only = try await EnvCheckBinary.run(
                ["list", "--no-env-file", "--probes", "probes/frontend.yaml", "--only", "postgres"],
                environment: Self.environment, directory: repositoryRoot)
            #expect(only.status == 2)
            #expect(only.stderr == "envcheck: unknown probe 'postgres' in --only (known: next_public)\n")
        }
        #expect(registered.contains("next_public"))
        try await check()
    }

    /// The kinds the binary knows, from `envcheck list --format json` (no manifest).
    static func registeredKinds() async throws -> [String] {
        let result = try await EnvCheckBinary.run(["list", "--no-env-file", "--format", "json"], environment: environment, directory: repositoryRoot)
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        return (json?["probes"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
    }
}
