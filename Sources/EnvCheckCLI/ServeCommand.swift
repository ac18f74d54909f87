import ArgumentParser
import EnvCheckCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// `envcheck serve`: the probes every `--interval` in the background, their latest results
/// at `/livez`, `/readyz`, `/healthz` and `/metrics` (docs/serve.md). The options and the
/// rounds are here; the HTTP server is the context's ``ServeHost``, which only the
/// `envcheck-serve` executable has: `envcheck serve` execs that one.
struct ServeCommand: AsyncParsableCommand, Executable {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the probes every interval and serve /livez, /readyz, /healthz and /metrics over HTTP.",
        discussion: """
            /readyz is 503 while a required probe fails, /healthz while a critical one does (the \
            healthcheck rule); both are 503 before the first round and when results are older than \
            3 intervals. ?verbose or Accept: application/json gives the JSON report. The \
            configuration is resolved again every round. SIGTERM drains and exits 0.
            """
    )

    @OptionGroup(title: "Configuration") var configOptions: ConfigOptions
    @OptionGroup(title: "Probes") var selectionOptions: SelectionOptions
    @OptionGroup(title: "Deadlines") var timing: TimingOptions
    @OptionGroup(title: "Output") var failOn: FailOnOption

    @Option(
        help: ArgumentHelp(
            "Where to listen: IPv4:PORT, [IPv6]:PORT, localhost:PORT or unix:/path (default \(ListenAddress.defaultText); anything but loopback must be asked for).",
            valueName: "address"))
    var listen: String = ListenAddress.defaultText

    @Option(help: ArgumentHelp("How often the probes run (default 30s).", valueName: "duration"))
    var interval: String = "30s"

    // Options of `check` that mean nothing here: refused with the reason, not as unknown.
    @Option(help: .hidden) var wait: String?
    @Flag(name: .customLong("write-check"), help: .hidden) var writeCheck = false
    @Option(help: .hidden) var json: String?
    @Option(help: .hidden) var junit: String?

    static let minimumInterval = Duration.milliseconds(100)

    func validate() throws {
        if wait != nil { throw ValidationError("serve runs its probes every --interval: --wait is for check") }
        if writeCheck { throw ValidationError("serve never writes to a dependency: --write-check is for check") }
        if json != nil || junit != nil {
            throw ValidationError("serve gives its report over HTTP (/readyz?verbose): --\(json != nil ? "json" : "junit") is for check")
        }
        do { _ = try ListenAddress.parse(listen) } catch { throw ValidationError(error.description) }
        let period: Duration
        do { period = try DurationParser.parse(interval) } catch { throw ValidationError("--interval: \(error)") }
        guard period >= Self.minimumInterval else { throw ValidationError("--interval must be at least \(Self.minimumInterval.shortDescription)") }
    }

    var intervalValue: Duration { (try? DurationParser.parse(interval)) ?? .seconds(30) }

    func execute(_ environment: [String: String]) async -> Int32 {
        let context = CLI.context
        guard let host = context.serveHost else {
            guard context.mayExec else {
                Output.stderr("envcheck: serve needs an HTTP server: run it as a process (envcheck-serve)\n")
                return 2
            }
            return ServeExecutable.exec(context.arguments, environment: environment)
        }
        let session = Session(environment: environment)
        let specs: [ProbeSpec]
        let addresses: [ListenAddress]
        do {
            specs = try session.specs(selectionOptions.selection, manifest: selectionOptions.probes)
            addresses = try ListenAddress.parse(listen)
        } catch let error as UsageFailure {
            Output.stderr("envcheck: \(error.message)\n")
            return 2
        } catch {
            Output.stderr("envcheck: \(error)\n")
            return 2
        }
        let state = ServeState(interval: intervalValue)
        let rounds = ServeRounds(session: session, specs: specs, config: configOptions, selection: selectionOptions, timing: timing)
        let interruption = session.interruption
        let interval = intervalValue
        let failOnWarn = failOn.warn
        // The rounds run beside the server. The server's end is the command's: after SIGTERM
        // it has drained (a round still running is interrupted by the same signal); when it
        // cannot listen, the command ends with 2 at once, without waiting for a round (the
        // process exits, which ends it). No signal is faked for that: exit 0 means SIGTERM.
        let loop = Task {
            await ServeLoop.run(
                every: interval, state: state, round: { await rounds.round() }, stop: { interruption.cause != nil },
                recorded: { await rounds.log($0, failOnWarn: failOnWarn) })
        }
        defer { loop.cancel() }
        do {
            try await host.serve(
                addresses, routes: ServeRoutes(state: state, failOnWarn: failOnWarn), limits: ServeLimits(), interruption: interruption
            ) {
                bound in Output.stderr(Self.listeningLine(bound, interval: interval))
            }
            return 0
        } catch {
            Output.stderr("envcheck: serve: \(error)\n")
            return 2
        }
    }

    /// After SIGTERM, serve has drained: that is a clean end.
    func interruptedStatus(signal: Int32) -> Int32 { 0 }

    static func listeningLine(_ bound: [ListenAddress], interval: Duration) -> String {
        var line =
            "envcheck serve: listening on " + bound.map(\.description).joined(separator: " and ")
            + " (" + ServeRoutes.endpoints.joined(separator: " ") + "); probes every \(interval.shortDescription)\n"
        for address in bound where !address.isLoopback {
            line +=
                "envcheck serve: \(address) is reachable from other machines: whoever reaches it sees probe names, statuses and messages (never secrets)\n"
        }
        return line
    }
}

/// One round of `serve`: the configuration resolved again (env files may have been
/// rendered anew), planned, a new redactor for its secrets, and the probes run under one
/// deadline. A configuration that cannot be resolved makes every probe `error`/
/// `invalid_config` until it can.
final class ServeRounds: Sendable {
    let session: Session
    let specs: [ProbeSpec]
    let config: ConfigOptions
    let selection: SelectionOptions
    let timing: TimingOptions
    /// The last round's redactor, for a resolution error's message.
    let lastRedactor = Mutex<Redactor?>(nil)
    /// The last readiness line logged: a line is logged when it changes.
    let lastLogged = Mutex<String?>(nil)

    /// Each probe's effective `required` (the specs do not change between rounds).
    let required: [String: Bool]

    init(session: Session, specs: [ProbeSpec], config: ConfigOptions, selection: SelectionOptions, timing: TimingOptions) {
        self.session = session
        self.specs = specs
        required = Dictionary(specs.map { ($0.id, Planner.isRequired($0, registry: session.registry)) }, uniquingKeysWith: { a, _ in a })
        self.config = config
        self.selection = selection
        self.timing = timing
    }

    /// Logs the readiness line when it changed since the last round (a container's log
    /// shows when and why it became unready).
    func log(_ state: ServeState, failOnWarn: Bool) async {
        let line = await state.readiness(now: Timestamp.nowEpochMs(), failOnWarn: failOnWarn).line
        let changed = lastLogged.withLock { last in
            defer { last = line }
            return last != line
        }
        if changed { Output.stderr("envcheck serve: \(line)\n") }
    }

    func round() async -> (results: [ProbeResult], required: [String: Bool], warnings: [String]) {
        let start = ContinuousClock.now
        do {
            let (resolved, plans, redactor, deadline) = try session.prepare(specs, config, selection, timing: timing, wait: nil, start: start)
            lastRedactor.withLock { $0 = redactor }
            var runner = Runner(runDeadline: deadline, redactor: redactor, interruption: session.interruption)
            runner.limits = timing.limits
            let results = await runner.run(plans)
            return (results, required, session.warnings(resolved, specs: specs, redactor: redactor))
        } catch {
            let message = lastRedactor.withLock { $0?.scrub(error.message) } ?? error.message
            let results = specs.map { spec in
                ProbeResult(
                    id: spec.id, kind: spec.kind, critical: Planner.isCritical(spec, registry: session.registry), status: .error,
                    durationMs: 0, attempts: 0, message: TerminalText.oneLine("the configuration could not be resolved: " + message),
                    code: .invalidConfig, hint: "fix the configuration; serve resolves it again every --interval")
            }
            return (results, required, [])
        }
    }
}

/// `envcheck serve` without a server of its own: exec `envcheck-serve`, installed beside
/// `envcheck`, with the same arguments and the environment as it was at start.
enum ServeExecutable {
    static let name = "envcheck-serve"

    static var path: String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return name }
        let exe = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let slash = exe.lastIndex(of: "/") else { return name }
        return String(exe[...slash]) + name
    }

    /// Returns only when the exec failed: 2, with the reason on stderr.
    static func exec(_ arguments: [String], environment: [String: String]) -> Int32 {
        let path = path
        let argv = [name] + (arguments.first == "serve" ? arguments : ["serve"] + arguments)
        let envp = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        withCStrings(argv) { cArgv in
            withCStrings(envp) { cEnvp in _ = execve(path, cArgv, cEnvp) }
        }
        let reason = String(cString: strerror(errno))
        Output.stderr("envcheck: serve needs \(name) installed beside envcheck, at \(path): \(reason)\n")
        return 2
    }

    static func withCStrings(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> Void) {
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        pointers.append(nil)
        defer { for pointer in pointers { free(pointer) } }
        body(pointers)
    }
}
