import Foundation
import TestSupport
import Testing

/// The built binary: exit codes, usage errors, files it writes.
@Suite("command line")
struct CommandLineTests {
    @Test func helpExitsZero() async throws {
        let r = try await EnvCheckBinary.run(["--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("healthcheck"))
        #expect(r.stdout.contains("Exit codes"))
        #expect(try await EnvCheckBinary.run(["check", "--help"]).stdout.contains("--env-file"))
        #expect(try await EnvCheckBinary.run(["--version"]).status == 0)
    }

    @Test(arguments: [
        ["--bogus"], ["check", "--timeout", "5"], ["--deadline", "-1s"], ["--format", "xml"],
        ["--env-dialect", "ini"], ["--only", "nope"], ["--wait", "soon"], ["config", "--format", "yaml"],
        ["--max-concurrent", "0"], ["--max-per-target", "many"], ["serve", "--max-per-target", "0"],
    ])
    func usageErrorsExitTwo(arguments: [String]) async throws {
        let r = try await EnvCheckBinary.run(arguments + ["--no-env-file"])
        #expect(r.status == 2, "\(arguments): \(r.output)")
        #expect(r.stderr.hasPrefix("envcheck: "))
        #expect(r.stdout.isEmpty)
    }

    /// A limit below one is refused by name, by every command that takes it (healthcheck's
    /// usage errors are 1: Docker reserves 2).
    @Test(arguments: [(["check", "--max-concurrent", "0"], 2), (["healthcheck", "--max-per-target", "0"], 1), (["serve", "--max-per-target", "0"], 2)])
    func aLimitBelowOneIsNamed(arguments: [String], status: Int) async throws {
        let r = try await EnvCheckBinary.run(arguments + ["--no-env-file"])
        #expect(Int(r.status) == status && r.stderr.contains("\(arguments[1]) must be at least 1"), "\(arguments): \(r.output)")
    }

    /// `healthcheck` and `check` are parsed by their own command type (CLI.parse); help,
    /// versions and usage errors still go through the root, and read as before.
    @Test func theHotCommandsParseAloneAndStillSpeakAsTheRoot() async throws {
        let help = try await EnvCheckBinary.run(["healthcheck", "--help"])
        #expect(help.status == 0 && help.stdout.contains("USAGE: envcheck healthcheck"), "\(help.output)")
        let viaHelp = try await EnvCheckBinary.run(["help", "healthcheck"])
        #expect(viaHelp.stdout == help.stdout)
        let version = try await EnvCheckBinary.run(["check", "--version"])
        let rootVersion = try await EnvCheckBinary.run(["--version"])
        #expect(version.status == 0 && version.stdout == rootVersion.stdout && !version.stdout.isEmpty)
        let bad = try await EnvCheckBinary.run(["check", "--no-env-file", "--max-per-target", "0"])
        #expect(bad.status == 2 && bad.stderr == "envcheck: --max-per-target must be at least 1\nRun 'envcheck --help' for usage.\n", "\(bad.output)")
        let typo = try await EnvCheckBinary.run(["check", "--no-env-file", "--timeot", "1s"])
        #expect(typo.status == 2 && typo.stderr.hasPrefix("envcheck: Unknown option '--timeot'"), "\(typo.output)")
        let run = try await EnvCheckBinary.run(["check", "--no-env-file", "--only", "postgres", "--format", "json"])
        #expect(run.status == 1 && run.stdout.contains("\"not_configured\""), "\(run.output)")
    }

    @Test func healthcheckUsageErrorsExitOne() async throws {
        let r = try await EnvCheckBinary.run(["healthcheck", "--bogus"])
        #expect(r.status == 1)
        let bad = try await EnvCheckBinary.run(["healthcheck", "--env-file", "/nonexistent/x.env"])
        #expect(bad.status == 1)
        #expect(bad.stdout.hasPrefix("unhealthy: envcheck could not run: cannot read env file /nonexistent/x.env"))
    }

    @Test func malformedEnvFileNamesFileAndLine() async throws {
        let dir = try TempDir()
        let path = try dir.write("vault.env", "GOOD=1\nexport OK=2\nBAD LINE\n")
        let r = try await EnvCheckBinary.run(["check", "--env-file", path])
        #expect(r.status == 2)
        #expect(r.stderr.contains("\(path):3: "), "\(r.stderr)")
        #expect(r.stderr.contains("not a KEY=value assignment"), "\(r.stderr)")
        #expect(!r.stderr.contains("BAD"), "the line's text is never echoed: it may be part of a secret")
        let systemd = try await EnvCheckBinary.run(["config", "--env-file", path, "--env-dialect", "systemd"])
        #expect(systemd.status == 2)
        #expect(systemd.stderr.contains("\(path):2: 'export' is not valid"), "\(systemd.stderr)")
    }

    @Test func dotEnvInTheWorkingDirectoryIsLoadedUnlessDisabled() async throws {
        let dir = try TempDir()
        try dir.write(".env", "DATABASE_URL=postgres://from-dotenv/db\n")
        let loaded = try await EnvCheckBinary.run(["config", "--format", "json"], directory: dir.path)
        #expect(loaded.status == 0)
        #expect(try files(loaded.stdout) == [".env"], "\(loaded.stdout)")
        let disabled = try await EnvCheckBinary.run(["config", "--format", "json", "--no-env-file"], directory: dir.path)
        #expect(try files(disabled.stdout) == [])
        let named = try await EnvCheckBinary.run(["config", "--format", "json", "--env-file", dir.path + "/.env"], directory: "/")
        #expect(try files(named.stdout) == [dir.path + "/.env"])
    }

    func files(_ json: String) throws -> [String] {
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        return object?["files"] as? [String] ?? ["<missing>"]
    }

    @Test(.requires(.jsonSchemaValidator, .junitSchemaValidator)) func reportsAreWrittenAndValid() async throws {
        let dir = try TempDir()
        let json = dir.path + "/report.json"
        let junit = dir.path + "/report.xml"
        let r = try await EnvCheckBinary.run(
            ["check", "--no-env-file", "--format", "json", "--json", json, "--junit", junit],
            environment: ["DATABASE_URL": "postgres://u@127.0.0.1:1/db"])
        #expect(r.status == 0 || r.status == 1)
        try await SchemaValidator.validateJSON(r.stdout)
        try await SchemaValidator.validateJSON(try String(contentsOfFile: json, encoding: .utf8))
        try await SchemaValidator.validateJUnit(try String(contentsOfFile: junit, encoding: .utf8))
        let unwritable = try await EnvCheckBinary.run(["check", "--no-env-file", "--json", "/nonexistent/dir/r.json"])
        #expect(unwritable.status == 2)
        #expect(unwritable.stderr.contains("cannot write the json report"))
    }

    @Test(.requires(.junitSchemaValidator)) func junitOnStdoutIsValid() async throws {
        let r = try await EnvCheckBinary.run(["--no-env-file", "--format", "junit"])
        try await SchemaValidator.validateJUnit(r.stdout)
    }

    @Test func noColourWhenNotATerminal() async throws {
        let r = try await EnvCheckBinary.run(["check", "--no-env-file"], environment: ["DATABASE_URL": "postgres://u@127.0.0.1:1/db"])
        #expect(!r.stdout.contains("\u{1B}["))
    }
}
