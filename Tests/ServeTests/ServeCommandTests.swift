import EnvCheckCLI
import EnvCheckCore
import EnvCheckServe
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `serve` as a command, in this process over a test registry: what it refuses, and that
/// every round resolves the configuration and builds its redactor anew.
@Suite("envcheck serve (command)", .serialized)
struct ServeCommandTests {
    /// Passes with its token quoted in the message: only the run's redactor keeps it out.
    static let echo = ProbeKind(
        kind: "echo", summary: "quotes its token", critical: true, inputs: [ProbeInput("token", keys: ["ECHO_TOKEN"], secret: .whole)]
    ) { settings in
        guard let token = settings.value(ProbeInput("token", keys: ["ECHO_TOKEN"])) else { return .notConfigured("ECHO_TOKEN is not set") }
        return .ready(StubProbe(outcome: .pass("accepted \(token.value)")))
    }
    static let registry = ProbeRegistry([echo])

    func run(_ arguments: [String], environment: [String: String] = [:]) async -> (status: Int32, stderr: String) {
        let capture = Output.Capture()
        let status = await Output.$capture.withValue(capture) {
            await CLI.run(
                arguments, environment: environment, context: CLI.Context(registry: Self.registry, interruption: Interruption(), serveHost: HTTPServeHost()))
        }
        return (status, capture.stderr)
    }

    @Test(arguments: [
        (["--wait", "5s"], "--wait is for check"),
        (["--write-check"], "--write-check is for check"),
        (["--json", "report.json"], "--json is for check"),
        (["--junit", "-"], "--junit is for check"),
        (["--listen", ":9850"], "has no address: give 127.0.0.1:9850 for this machine only, or 0.0.0.0:9850 for every interface"),
        (["--listen", "example.com:80"], "example.com is neither an IP address nor localhost"),
        (["--listen", "127.0.0.1:0"], "the port must be a number from 1 to 65535"),
        (["--listen", "::1:80"], "write an IPv6 address in brackets"),
        (["--listen", "unix:run/x.sock"], "must be absolute"),
        (["--interval", "10ms"], "--interval must be at least 100ms"),
        (["--interval", "soon"], "--interval:"),
    ])
    func refusesWhatServeCannotDo(_ arguments: [String], _ message: String) async {
        let r = await run(["serve"] + arguments)
        #expect(r.status == 2)
        #expect(r.stderr.contains(message), "\(r.stderr)")
    }

    @Test func withoutAServerInProcessItIsAUsageError() async {
        let capture = Output.Capture()
        let status = await Output.$capture.withValue(capture) {
            await CLI.run(["serve"], environment: [:], context: CLI.Context(registry: Self.registry, interruption: Interruption()))
        }
        #expect(status == 2 && capture.stderr.contains("serve needs an HTTP server"))
    }

    /// Runs serve over `arguments` while `body` runs, then SIGTERM; serve must exit 0.
    func serving(_ arguments: [String], environment: [String: String] = [:], _ body: (ServeClient.Address) async throws -> Void) async throws -> String {
        let port = try refusedPort()
        let capture = Output.Capture()
        let interruption = Interruption()
        let context = CLI.Context(registry: Self.registry, interruption: interruption, serveHost: HTTPServeHost())
        let running = Task {
            await Output.$capture.withValue(capture) {
                await CLI.run(["serve", "--listen", "127.0.0.1:\(port)"] + arguments, environment: environment, context: context)
            }
        }
        let address = ServeClient.Address.tcp(host: "127.0.0.1", port: port)
        do {
            _ = try await ServeClient.poll("/livez", at: address) { $0.status == 200 }
            try await body(address)
        } catch {
            _ = interruption.interrupt(signal: SIGTERM)
            _ = await running.value
            throw TestServerError("\(error); serve said: \(capture.stderr)")
        }
        _ = interruption.interrupt(signal: SIGTERM)
        #expect(await running.value == 0)
        return capture.stderr
    }

    func round(_ address: ServeClient.Address) throws -> Int {
        ServeClient.round(try ServeClient.request("/readyz?verbose", at: address)) ?? 0
    }

    /// The token changes between rounds (a vault agent renders the file anew): the new
    /// value is scrubbed too, which a redactor kept from the first round would miss.
    @Test func everyRoundResolvesAgainAndScrubsTheNewSecrets() async throws {
        let dir = try TempDir()
        let first = Canary.make("serve-first")
        let second = Canary.make("serve-second")
        let envFile = dir.path + "/app.env"
        try "ECHO_TOKEN=\(first)\n".write(toFile: envFile, atomically: true, encoding: .utf8)
        var seen = ""
        let log = try await serving(["--env-file", envFile, "--interval", "150ms"]) { address in
            let ready = try await ServeClient.poll("/readyz", at: address) { $0.status == 200 }
            #expect(ready.body == "ready: echo\n")
            seen += try await ServeClient.everything(at: address)
            let before = try round(address)
            try "ECHO_TOKEN=\(second)\n".write(toFile: envFile, atomically: true, encoding: .utf8)
            _ = try await ServeClient.poll("/readyz?verbose", at: address) { (ServeClient.round($0) ?? 0) >= before + 2 }
            seen += try await ServeClient.everything(at: address)
            #expect(seen.contains("accepted "), "the probe's message is not in the answers")
        }
        seen += log
        #expect(CanaryForms.findings([first, second], in: seen).isEmpty, "\(CanaryForms.findings([first, second], in: seen))")
    }

    /// An env file that cannot be read makes every probe error/invalid_config, and serve
    /// goes on: once the file is there, the next round is ready.
    @Test func aResolutionErrorIsAnErrorUntilItIsFixed() async throws {
        let dir = try TempDir()
        let envFile = dir.path + "/rendered.env"
        let log = try await serving(["--env-file", envFile, "--interval", "150ms"]) { address in
            let broken = try await ServeClient.poll("/readyz", at: address) { $0.status == 503 && $0.body.contains("invalid_config") }
            #expect(broken.body == "not ready: echo invalid_config\n")
            let verbose = try ServeClient.request("/healthz?verbose", at: address)
            #expect(verbose.body.contains("the configuration could not be resolved"))
            let metrics = try ServeClient.request("/metrics", at: address)
            #expect(metrics.body.contains("envcheck_probe_up{probe=\"echo\",kind=\"echo\",critical=\"true\"} 0"))
            try "ECHO_TOKEN=\(Canary.make("serve-fixed"))\n".write(toFile: envFile, atomically: true, encoding: .utf8)
            _ = try await ServeClient.poll("/readyz", at: address) { $0.status == 200 }
        }
        #expect(log.contains("envcheck serve: not ready: echo invalid_config"))
        #expect(log.contains("envcheck serve: ready: echo"))
    }
}
