import EnvCheckCLI
import EnvCheckCore
import EnvCheckProbes
import EnvCheckServe

// As Sources/envcheck/main.swift, with serve's HTTP server: `envcheck serve` execs this.
let environment = ProcessPreparation.prepare()
SignalSource.install()
CLI.main(registry: BuiltInProbes.registry, environment: environment, serveHost: HTTPServeHost())
