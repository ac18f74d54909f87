import ArgumentParser
import Dispatch
import EnvCheckCore
import EnvCheckProbes
#if canImport(Glibc)
import Glibc
#endif

/// Runs `body` on the global executor while the main thread waits. Top-level `await` would
/// hand the main thread to `dispatch_main()`, which ends it with `pthread_exit`: a forced
/// unwind through the binary's unwind tables on every run (measured with scripts/bench.sh:
/// page faults and CPU for nothing, since the process leaves with `_exit` anyway).
func runToCompletion(_ body: @escaping @Sendable () async -> Int32) -> Int32 {
    final class Box: @unchecked Sendable { var status: Int32 = 0 }  // written before signal(), read after wait()
    let box = Box()
    let done = DispatchSemaphore(value: 0)
    Task.detached {
        box.status = await body()
        done.signal()
    }
    done.wait()
    return box.status
}

// Runs before any thread exists: the probes must see exactly the configured values.
let environment = ProcessPreparation.prepare()
let arguments = Array(CommandLine.arguments.dropFirst())
let isHealthcheck = arguments.first == "healthcheck"
let usageExit: Int32 = isHealthcheck ? 1 : 2

let status: Int32
do {
    let command = try EnvCheck.parseAsRoot(arguments)
    if let executable = command as? Executable {
        status = runToCompletion { await executable.execute(environment) }
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
