import Foundation
import TestSupport
import Testing

/// Inputs past the parsers' limits through the built binary: exit 2 naming `file:line`
/// (healthcheck: 1), quickly, whatever the input.
@Suite("limits end to end")
struct LimitsEndToEndTests {
    static let environment = ["PATH": "/usr/bin:/bin", "NO_COLOR": "1"]

    @Test func anEnvFilePastOneMebibyteIsExitTwoNamingLineOne() async throws {
        let dir = try TempDir()
        let path = try dir.write(
            "big.env",
            "A=" + String(repeating: "v", count: 60_000) + "\n"
                + String(repeating: "#" + String(repeating: "c", count: 60_000) + "\n", count: 18))
        for command in ["check", "config"] {
            let r = try await EnvCheckBinary.run([command, "--env-file", path], environment: Self.environment)
            #expect(r.status == 2, "\(r.output)")
            #expect(r.stderr.contains("\(path):1: the file is larger than 1 MiB"), "\(r.stderr)")
            #expect(!r.stderr.contains("vvv"))
        }
        let health = try await EnvCheckBinary.run(["healthcheck", "--env-file", path], environment: Self.environment)
        #expect(health.status == 1)
        #expect(health.stdout.hasPrefix("unhealthy: envcheck could not run: \(path):1: the file is larger than 1 MiB"), "\(health.output)")
    }

    @Test func endlessInputIsReadOnlyUpToTheLimit() async throws {
        let start = ContinuousClock.now
        let r = try await EnvCheckBinary.run(["config", "--env-file", "/dev/zero"], environment: Self.environment)
        #expect(r.status == 2)
        #expect(r.stderr.contains("/dev/zero:1: the file is larger than 1 MiB"), "\(r.stderr)")
        #expect(ContinuousClock.now - start < .seconds(20))
    }

    @Test func aRequiredVariableErrorNamesTheLineAndNotTheMessage() async throws {
        let dir = try TempDir()
        let path = try dir.write("app.env", "A=1\nB=${MISSING:?ask ops for the password hunter2}\n")
        let r = try await EnvCheckBinary.run(["check", "--env-file", path, "--env-dialect", "compose"], environment: Self.environment)
        #expect(r.status == 2, "\(r.output)")
        #expect(r.stderr.contains("\(path):2: B: required variable MISSING is unset or empty"), "\(r.stderr)")
        #expect(!r.output.contains("hunter2") && !r.output.contains("ask ops"))
    }

    @Test func aManifestNestedTooDeeplyIsExitTwoNamingTheLine() async throws {
        let dir = try TempDir()
        var yaml = "version: 1\nprobes:\n  - kind: postgres\n    options:\n"
        for level in 0..<40 { yaml += String(repeating: "  ", count: level + 3) + "k\(level):\n" }
        try dir.write("probes/deep.yaml", yaml)
        let r = try await EnvCheckBinary.run(["check", "--no-env-file", "--probes", "deep"], environment: Self.environment, directory: dir.path)
        #expect(r.status == 2, "\(r.output)")
        #expect(r.stderr.contains("probes/deep.yaml:34:"), "\(r.stderr)")
        #expect(r.stderr.contains("nested more than 32 deep"), "\(r.stderr)")
        let health = try await EnvCheckBinary.run(["healthcheck", "--probes", "deep"], environment: Self.environment, directory: dir.path)
        #expect(health.status == 1, "\(health.output)")
    }
}
