import ArgumentParser
import Dispatch
import EnvCheckCore
import EnvCheckProbes
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Runs `body` on the global executor while the main thread waits. Top-level `await` would
/// hand the main thread to `dispatch_main()`, which ends it with `pthread_exit`: a forced
/// unwind through the binary's unwind tables on every run (measured with scripts/bench.sh:
/// page faults and CPU for nothing, since the process leaves with `_exit` anyway).
///
/// After SIGTERM or SIGINT the process exits with `interruptedStatus(signal)` once `body`
/// has written its reports, or at ``Interruption/backstop`` after the signal if it has not
/// (a report path on a stalled pipe or file system).
func runToCompletion(interruption: Interruption, interruptedStatus: @escaping @Sendable (Int32) -> Int32,
                     _ body: @escaping @Sendable () async -> Int32) -> Int32 {
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

// Runs before any thread exists: the probes must see exactly the configured values.
let environment = ProcessPreparation.prepare()
// Still before any thread exists, so that every thread inherits the blocked signals.
SignalSource.install()
let arguments = Array(CommandLine.arguments.dropFirst())
let isHealthcheck = arguments.first == "healthcheck"
let usageExit: Int32 = isHealthcheck ? 1 : 2

let status: Int32
do {
    let command = try EnvCheck.parseAsRoot(arguments)
    if let executable = command as? Executable {
        status = runToCompletion(interruption: .process, interruptedStatus: executable.interruptedStatus) {
            await executable.execute(environment)
        }
    } else {
        // argument-parser's own commands (help for a subcommand, `envcheck help X`) print themselves.
        var builtIn = command
        try builtIn.run()
        status = 0
    }
} catch {
    let code = EnvCheck.exitCode(for: error)
    if code == .success {
        // --help / --version: argument-parser prints the right command's text and exits 0.
        EnvCheck.exit(withError: error)
    } else {
        Output.stderr("envcheck: " + EnvCheck.message(for: error) + "\n")
        if !isHealthcheck { Output.stderr("Run 'envcheck --help' for usage.\n") }
        status = usageExit
    }
}
// Probe threads may still be blocked in C calls: leave without running library destructors.
_exit(status)
