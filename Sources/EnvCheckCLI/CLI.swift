import ArgumentParser
import Dispatch
import EnvCheckCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The command line as a library. The commands run over the registry they are given: the
/// binary passes the built-in one (`Sources/envcheck/main.swift`), tests pass their own and
/// run the whole command line in-process (``run(_:environment:context:)``).
public enum CLI {
    /// What the commands of one invocation run over.
    public struct Context: Sendable {
        public var registry: ProbeRegistry
        /// SIGTERM/SIGINT: the process's own, or one a test triggers.
        public var interruption: Interruption
        /// `serve`'s HTTP server: only `envcheck-serve` has one (`envcheck serve` execs it).
        public var serveHost: (any ServeHost)?
        /// The invocation's arguments, which `envcheck serve` hands to `envcheck-serve`.
        public var arguments: [String] = []
        /// Whether `serve` without a server may exec `envcheck-serve` (the process, never a
        /// test running the command line in-process).
        var mayExec = false

        public init(registry: ProbeRegistry, interruption: Interruption = .process, serveHost: (any ServeHost)? = nil) {
            self.registry = registry
            self.interruption = interruption
            self.serveHost = serveHost
        }
    }

    @TaskLocal static var installed: Context?

    /// The context of the running invocation.
    static var context: Context {
        guard let installed else { preconditionFailure("envcheck commands run inside CLI.run or CLI.main") }
        return installed
    }

    /// Parses and runs one invocation and returns its exit status; output goes through
    /// ``Output`` (captured by tests with `Output.$capture`).
    public static func run(_ arguments: [String], environment: [String: String], context: Context) async -> Int32 {
        var context = context
        context.arguments = arguments
        do {
            let command = try parse(arguments)
            guard let executable = command as? Executable else {
                Output.stdout(EnvCheck.helpMessage(for: type(of: command)) + "\n")
                return 0
            }
            let status = await $installed.withValue(context) { await executable.execute(environment) }
            return context.interruption.cause.map { executable.interruptedStatus(signal: $0.signal) } ?? status
        } catch {
            return usageError(error, arguments: arguments, exitHelp: false)
        }
    }

    /// The process: parse, run under the process's signals, exit with `_exit` (probe
    /// threads may still be blocked in C calls: no library destructors). `envcheck-serve`
    /// passes its server and runs `serve` whatever its first argument.
    public static func main(registry: ProbeRegistry, environment: [String: String], serveHost: (any ServeHost)? = nil) -> Never {
        var arguments = Array(CommandLine.arguments.dropFirst())
        if serveHost != nil && arguments.first != ServeCommand.configuration.commandName {
            arguments.insert(ServeCommand.configuration.commandName!, at: 0)
        }
        var invocation = Context(registry: registry, serveHost: serveHost)
        invocation.arguments = arguments
        invocation.mayExec = true
        let context = invocation
        ProbeIDCompletion.registry.withLock { $0 = registry }
        let status: Int32
        do {
            let command = try parse(arguments)
            if let executable = command as? Executable {
                status = runToCompletion(interruption: context.interruption, interruptedStatus: executable.interruptedStatus) {
                    await $installed.withValue(context) { await executable.execute(environment) }
                }
            } else {
                // argument-parser's own commands (help for a subcommand, `envcheck help X`) print themselves.
                var builtIn = command
                try builtIn.run()
                status = 0
            }
        } catch {
            status = usageError(error, arguments: arguments, exitHelp: true)
        }
        _exit(status)
    }

    /// The invocation's command, parsed by the one definition of every command and option.
    ///
    /// `healthcheck` and `check` runs are parsed by their own command type alone, which is
    /// what argument-parser would end up with anyway: parsing through the root also reflects
    /// every other command's options (docs/design.md "Performance": about a fifth of an
    /// unconfigured healthcheck's CPU). Whatever that parse does not turn into one of our
    /// commands goes through the root again: help (argument-parser's own command), `--version`
    /// and completion requests (it throws for them) and every usage error, so that messages
    /// name `envcheck healthcheck` and suggest commands exactly as before.
    static func parse(_ arguments: [String]) throws -> any ParsableCommand {
        if let first = arguments.first, let command = directlyParsed[first], let parsed = try? command.parseAsRoot(Array(arguments.dropFirst())),
            parsed is Executable
        {
            return parsed
        }
        return try EnvCheck.parseAsRoot(arguments)
    }

    /// The commands parsed alone: those of the hot paths, with no subcommands of their own.
    static let directlyParsed: [String: any ParsableCommand.Type] = [
        HealthcheckCommand.configuration.commandName!: HealthcheckCommand.self,
        CheckCommand.configuration.commandName!: CheckCommand.self,
    ]

    /// The subcommands' names, for "did you mean".
    static var commandNames: [String] {
        EnvCheck.configuration.subcommands.compactMap { $0.configuration.commandName } + ["help"]
    }

    /// `--help`/`--version` print and exit 0; a usage error prints and is exit 2 (1 under
    /// `healthcheck`, whose callers read any other status as unhealthy).
    static func usageError(_ error: Error, arguments: [String], exitHelp: Bool) -> Int32 {
        let isHealthcheck = arguments.first == "healthcheck"
        if EnvCheck.exitCode(for: error) == .success {
            if exitHelp { EnvCheck.exit(withError: error) }
            Output.stdout(EnvCheck.fullMessage(for: error) + "\n")
            return 0
        }
        if let first = arguments.first, !first.hasPrefix("-"), EnvCheck.message(for: error) == "Unexpected argument '\(first)'",
            let guess = Spelling.suggestion(for: first, among: commandNames)
        {
            Output.stderr("envcheck: unknown command '\(first)': did you mean '\(guess)'?\n")
            return isHealthcheck ? 1 : 2
        }
        Output.stderr("envcheck: " + EnvCheck.message(for: error) + "\n")
        if !isHealthcheck { Output.stderr("Run 'envcheck --help' for usage.\n") }
        return isHealthcheck ? 1 : 2
    }

    /// Runs `body` on the global executor while the main thread waits. Top-level `await`
    /// would hand the main thread to `dispatch_main()`, which ends it with `pthread_exit`:
    /// a forced unwind through the binary's unwind tables on every run (measured with
    /// scripts/bench.sh: page faults and CPU for nothing, since the process leaves with
    /// `_exit` anyway).
    ///
    /// After SIGTERM or SIGINT the process exits with `interruptedStatus(signal)` once
    /// `body` has written its reports, or at ``Interruption/backstop`` after the signal if
    /// it has not (a report path on a stalled pipe or file system).
    static func runToCompletion(
        interruption: Interruption, interruptedStatus: @escaping @Sendable (Int32) -> Int32,
        _ body: @escaping @Sendable () async -> Int32
    ) -> Int32 {
        final class Box: @unchecked Sendable { var status: Int32 = 0 }  // written before signal(), read after wait()
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        let finished = Atomic<Bool>(false)
        Task.detached {
            box.status = await body()
            finished.store(true, ordering: .sequentiallyConsistent)
            done.signal()
        }
        interruption.observe { cause in
            let left = max(.zero, cause.at + Interruption.backstop - .now)
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(Int(left.milliseconds))) {
                guard !finished.load(ordering: .sequentiallyConsistent) else { return }
                Output.stderr("envcheck: \(cause.signalName): still not done \(Interruption.backstop.shortDescription) after the signal; exiting\n")
                done.signal()
            }
        }
        done.wait()
        if let cause = interruption.cause { return interruptedStatus(cause.signal) }
        return box.status
    }
}
