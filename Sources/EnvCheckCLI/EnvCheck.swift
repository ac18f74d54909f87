import ArgumentParser
import EnvCheckCore

/// The root command: subcommands are listed once, `check` is the default.
struct EnvCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "envcheck",
        abstract: "Prove, concurrently and under hard deadlines, that an app's configured dependencies really work.",
        discussion: """
            Exit codes: 0 every selected probe passed (warnings and skips allowed); 1 a probe failed \
            or errored; 2 envcheck could not run as asked. `healthcheck` exits only 0 or 1.
            """,
        version: EnvCheckVersion.current,
        subcommands: [
            CheckCommand.self, HealthcheckCommand.self, ConfigCommand.self, ListCommand.self, KeysCommand.self, SnapshotCommand.self, DiffCommand.self,
            ServeCommand.self,
        ],
        defaultSubcommand: CheckCommand.self
    )
}

enum EnvCheckVersion {
    static let current = ReportEnvelope.version
}

/// A command that runs and says how the process should exit.
protocol Executable: Sendable {
    func execute(_ environment: [String: String]) async -> Int32
    /// The exit status after SIGTERM or SIGINT (`signal`), once the command has ended.
    func interruptedStatus(signal: Int32) -> Int32
}

extension Executable {
    /// 128 + the signal, as a shell reports a process the signal ended (143 for SIGTERM,
    /// 130 for SIGINT), though the reports were written.
    func interruptedStatus(signal: Int32) -> Int32 { 128 + signal }
}

/// envcheck could not run as asked: exit 2 (1 under `healthcheck`).
struct UsageFailure: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
