import EnvCheckCLI
import EnvCheckCore
import EnvCheckProbes

// Runs before any thread exists: the probes must see exactly the configured values.
let environment = ProcessPreparation.prepare()
// Still before any thread exists, so that every thread inherits the blocked signals.
SignalSource.install()
CLI.main(registry: BuiltInProbes.registry, environment: environment)
