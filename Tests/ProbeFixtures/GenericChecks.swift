import EnvCheckCLI
import EnvCheckCore
import EnvCheckServe
import Foundation
import TestSupport

/// The checks every probe kind must pass, driven by a registry and the kinds' fixtures.
/// They return findings (empty: the kinds pass), so that a test can also prove that a kind
/// which leaks or hangs is caught. They run the command line either in-process over any
/// registry (``inProcess(_:)``) or as the built binary (``binary``, built-in kinds only).
public struct GenericChecks: Sendable {
    /// Runs envcheck with arguments and an environment, in a directory.
    public typealias Invoke = @Sendable (_ arguments: [String], _ environment: [String: String], _ directory: String) async throws -> ProgramOutput

    public let registry: ProbeRegistry
    public let fixtures: [String: any ProbeFixture.Type]
    public let invoke: Invoke
    /// `envcheck serve` with arguments (`--listen` among them) and an environment, in a
    /// directory, until it has finished a round: every endpoint's answers (stdout) and its log.
    public let serve: Invoke

    public init(
        registry: ProbeRegistry, fixtures: [String: any ProbeFixture.Type] = ProbeFixtures.all, invoke: @escaping Invoke,
        serve: @escaping Invoke
    ) {
        self.registry = registry
        self.fixtures = fixtures
        self.invoke = invoke
        self.serve = serve
    }

    /// The built binary (its built-in registry must be `registry`).
    public static func binary(_ registry: ProbeRegistry, fixtures: [String: any ProbeFixture.Type] = ProbeFixtures.all) -> GenericChecks {
        GenericChecks(registry: registry, fixtures: fixtures) { arguments, environment, directory in
            try await EnvCheckBinary.run(arguments, environment: environment, directory: directory)
        } serve: { arguments, environment, directory in
            let server = try await ServeProcess(Array(arguments.dropFirst()), environment: environment, directory: directory)
            let answers = try await ServeClient.everything(at: server.address)
            let exit = try await server.stop()
            return ProgramOutput(status: exit.status ?? -1, stdout: answers + exit.stdout, stderr: exit.stderr, seconds: 0)
        }
    }

    /// The command line in this process, over `registry`, with its own interruption and
    /// captured output. Paths must be absolute (the process has one working directory).
    public static func inProcess(_ registry: ProbeRegistry, fixtures: [String: any ProbeFixture.Type] = ProbeFixtures.all) -> GenericChecks {
        GenericChecks(registry: registry, fixtures: fixtures) { arguments, environment, _ in
            let capture = Output.Capture()
            let start = ContinuousClock.now
            let status = await Output.$capture.withValue(capture) {
                await CLI.run(arguments, environment: environment, context: CLI.Context(registry: registry, interruption: Interruption()))
            }
            let elapsed = ContinuousClock.now - start
            return ProgramOutput(
                status: status, stdout: capture.stdout, stderr: capture.stderr,
                seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        } serve: { arguments, environment, _ in
            let port = try refusedPort()
            let capture = Output.Capture()
            let interruption = Interruption()
            let context = CLI.Context(registry: registry, interruption: interruption, serveHost: HTTPServeHost())
            let running = Task {
                await Output.$capture.withValue(capture) {
                    await CLI.run(arguments + ["--listen", "127.0.0.1:\(port)"], environment: environment, context: context)
                }
            }
            let answers: String
            do {
                answers = try await ServeClient.everything(at: .tcp(host: "127.0.0.1", port: port))
            } catch {
                _ = interruption.interrupt(signal: SIGTERM)
                _ = await running.value
                throw TestServerError("\(error); serve said: \(capture.stderr)")
            }
            _ = interruption.interrupt(signal: SIGTERM)
            let status = await running.value
            return ProgramOutput(status: status, stdout: answers + capture.stdout, stderr: capture.stderr, seconds: 0)
        }
    }

    /// A fixture per registered kind, or a finding naming the kinds without one.
    public func missingFixtures() -> [String] {
        registry.kinds.filter { fixtures[$0.kind] == nil }.map { "probe kind \($0.kind) has no fixture in Tests/ProbeFixtures" }
    }

    // MARK: Leaks

    /// How the values reach envcheck. The first three use the built-in default (the kinds
    /// that are `inDefault`, through their default keys); the manifest routes list every
    /// kind, manifest-only ones included, with the fixture's options.
    public enum Route: String, CaseIterable, Sendable {
        case environment, envFile, manifestLiteral, manifestFallback, interpolation
        /// A manifest whose inputs are `${ENVCHECK_LEAK_<KIND>_<INPUT>}` references, the
        /// values in the environment: how a manifest-only kind gets secrets from it.
        case manifestReference

        var usesManifest: Bool { self == .manifestLiteral || self == .manifestFallback || self == .manifestReference }
    }

    /// The kinds a route runs.
    func kinds(for route: Route) -> [ProbeKind] {
        route.usesManifest ? registry.kinds : registry.kinds.filter(\.inDefault)
    }

    struct Invocation {
        var environment: [String: String]
        var prefix: [String]
    }

    /// The config key an input reads by default (a manifest-only kind's inputs have none:
    /// the manifest-reference route names one for them).
    func key(_ kind: String, _ input: String) -> String? {
        guard let declared = registry.kind(kind)?.inputs.first(where: { $0.name == input }) else { return nil }
        return declared.keys.first ?? "ENVCHECK_LEAK_\(kind.uppercased())_\(input.uppercased())"
    }

    /// Each kind's leaking inputs; with `odd`, its odd route number `odd` instead where it
    /// has that many.
    public func canarySets(_ servers: LeakServers, odd: Int? = nil) throws -> [String: CanaryInputs] {
        var sets: [String: CanaryInputs] = [:]
        for kind in registry.kinds {
            guard let fixture = fixtures[kind.kind] else { continue }
            sets[kind.kind] = try fixture.leaking(servers)
            if let odd, case let variants = try fixture.oddRoutes(servers), odd < variants.count { sets[kind.kind] = variants[odd] }
        }
        return sets
    }

    /// The most odd routes any kind declares (the number of odd runs).
    public func oddRouteCount() throws -> Int {
        let servers = try LeakServers()
        return try fixtures.values.map { try $0.oddRoutes(servers).count }.max() ?? 0
    }

    func invocation(_ route: Route, _ sets: [String: CanaryInputs], dir: TempDir) throws -> Invocation {
        var env: [String: String] = [:]
        var keyed: [(String, String)] = []
        let running = Set(kinds(for: route).map(\.kind))
        for (kind, set) in sets.sorted(by: { $0.key < $1.key }) where running.contains(kind) {
            for (input, value) in set.inputs.sorted(by: { $0.key < $1.key }) {
                guard let key = key(kind, input) else { throw TestServerError("\(kind) has no input \(input)") }
                keyed.append((key, value))
            }
            for (k, v) in set.extraEnvironment { env[k] = v }
        }
        switch route {
        case .environment:
            for (k, v) in keyed { env[k] = v }
            return Invocation(environment: env, prefix: ["--no-env-file"])
        case .envFile:
            let file = try dir.write("route-file.env", keyed.map { "\($0.0)='\($0.1)'" }.joined(separator: "\n") + "\n")
            return Invocation(environment: env, prefix: ["--env-file", file])
        case .interpolation:
            // Each canary in a key whose name says nothing secret, spliced into the values.
            var lines: [String] = []
            var parts: [String: String] = [:]
            for set in sets.values { for c in set.canaries { parts[c] = "PART_\(parts.count)" } }
            for (c, name) in parts { lines.append("\(name)='\(c)'") }
            for (k, v) in keyed {
                var value = v
                for (c, name) in parts.sorted(by: { $0.key.count > $1.key.count }) { value = value.replacingOccurrences(of: c, with: "${\(name)}") }
                lines.append("\(k)=\"\(value)\"")
            }
            let file = try dir.write("route-interp.env", lines.joined(separator: "\n") + "\n")
            return Invocation(environment: env, prefix: ["--env-file", file])
        case .manifestLiteral, .manifestFallback, .manifestReference:
            var yaml = "version: 1\nprobes:\n"
            for kind in registry.kinds {
                yaml += "  - kind: \(kind.kind)\n"
                guard let set = sets[kind.kind] else { continue }
                yaml += Self.optionsYAML(set.options)
                guard !set.inputs.isEmpty else { continue }
                yaml += "    inputs:\n"
                for (i, (input, value)) in set.inputs.sorted(by: { $0.key < $1.key }).enumerated() {
                    let text: String
                    switch route {
                    case .manifestLiteral: text = value
                    case .manifestReference:
                        let name = "ENVCHECK_LEAK_\(kind.kind.uppercased())_\(input.uppercased())"
                        env[name] = value
                        text = "${\(name)}"
                    default: text = "${ENVCHECK_UNSET_\(kind.kind.uppercased())_\(i):-\(value)}"
                    }
                    yaml += "      \(input): \(Self.quoted(text))\n"
                }
            }
            let manifest = try dir.write("route-\(route.rawValue).yaml", yaml)
            return Invocation(environment: env, prefix: ["--no-env-file", "--probes", manifest])
        }
    }

    /// A YAML double-quoted scalar.
    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// One manifest entry of `kind` pointed at a hung listener by its fixture's `inputs`.
    static func hungProbeYAML(_ kind: String, id: String? = nil, fixture: any ProbeFixture.Type, inputs: [String: String]) -> String {
        var yaml = (id.map { "  - id: \($0)\n    kind: " } ?? "  - kind: ") + kind + "\n" + optionsYAML(fixture.hungOptions) + "    inputs:\n"
        for (input, value) in inputs.sorted(by: { $0.key < $1.key }) { yaml += "      \(input): \"\(value)\"\n" }
        return yaml
    }

    /// `options:` lines for a probe entry; each value is YAML as the fixture wrote it.
    static func optionsYAML(_ options: [String: String]) -> String {
        guard !options.isEmpty else { return "" }
        return "    options:\n" + options.sorted(by: { $0.key < $1.key }).map { "      \($0.key): \($0.value)\n" }.joined()
    }

    /// Every command over one invocation; everything printed or written, and findings
    /// about the runs themselves (a usage error, a kind that did not run).
    func outputs(_ inv: Invocation, route: Route, dir: TempDir, label: String) async throws -> (text: String, findings: [String]) {
        let json = dir.path + "/\(label).json"
        let junit = dir.path + "/\(label).xml"
        let summary = dir.path + "/\(label)-summary.md"
        let runs: [[String]] = [
            ["check", "--timeout", "2s", "--verbose", "--json", json, "--junit", junit],
            ["check", "--timeout", "2s", "--format", "json"],
            ["check", "--timeout", "2s", "--format", "junit"],
            ["check", "--timeout", "2s", "--format", "markdown"],
            ["check", "--timeout", "2s", "--format", "tap"],
            ["check", "--timeout", "2s", "--format", "prometheus"],
            ["check", "--timeout", "2s", "--json", "-", "--fail-on", "warn"],
            ["healthcheck"],
            ["config"], ["config", "--format", "json"],
            ["list"], ["list", "--format", "json"],
        ]
        var out: [String] = []
        var findings: [String] = []
        for arguments in runs {
            let args = [arguments[0]] + inv.prefix + arguments.dropFirst()
            // The first run is also a GitHub Actions job: annotations and the job summary.
            var environment = inv.environment
            if arguments == runs[0] {
                environment["GITHUB_ACTIONS"] = "true"
                environment["GITHUB_STEP_SUMMARY"] = summary
            }
            let r = try await invoke(args, environment, dir.path)
            if r.status == 2 { findings.append("\(label) \(args): exit 2: \(r.stderr)") }
            out.append("$ envcheck \(args.joined(separator: " "))\n\(r.stdout)\n\(r.stderr)")
        }
        // serve: every endpoint after a round, and its log.
        let served = try await serve(["serve"] + inv.prefix + ["--interval", "1s", "--timeout", "2s"], inv.environment, dir.path)
        if served.status != 0 { findings.append("\(label) serve: exit \(served.status): \(served.stderr)") }
        let servedKinds = Set(kinds(for: route).map(\.kind)).filter { !served.stdout.contains("kind=\"\($0)\"") }
        if !servedKinds.isEmpty { findings.append("\(label) serve: /metrics has no series of \(servedKinds.sorted())") }
        out.append("$ envcheck serve\n\(served.stdout)\n\(served.stderr)")
        let report = (try? String(contentsOfFile: json, encoding: .utf8)) ?? ""
        let parsed = (try? JSONSerialization.jsonObject(with: Data(report.utf8))) as? [String: Any]
        let probes = parsed?["probes"] as? [[String: Any]] ?? []
        let kinds = probes.compactMap { $0["kind"] as? String }
        if kinds.sorted() != self.kinds(for: route).map(\.kind).sorted() {
            findings.append("\(label): the report lists \(kinds), not every kind the route runs")
        }
        findings += undeclaredCodes(probes).map { "\(label): \($0)" }
        out.append(report)
        out.append((try? String(contentsOfFile: junit, encoding: .utf8)) ?? "")
        let written = (try? String(contentsOfFile: summary, encoding: .utf8)) ?? ""
        if !written.contains("| probe | status |") { findings.append("\(label): no GitHub job summary was written") }
        out.append(written)
        return (out.joined(separator: "\n"), findings)
    }

    /// Canaries through `route` (or each kind's odd forms): every form of every canary
    /// searched in every output; also whether each stand-in received what it must echo.
    public func leakFindings(_ route: Route, odd: Int? = nil) async throws -> [String] {
        let servers = try LeakServers()
        let sets = try canarySets(servers, odd: odd)
        let label = odd.map { "odd \($0)" } ?? route.rawValue
        // Odd routes go through the route given: the environment for the default kinds,
        // manifest references for every kind (manifest-only ones included).
        let used = route
        let (text, findings) = try await outputs(try invocation(used, sets, dir: servers.dir), route: used, dir: servers.dir, label: label)
        var all = missingFixtures() + findings
        all += CanaryForms.findings(sets.values.flatMap(\.canaries), in: text).map { "\(label): leaked \($0)" }
        let running = Set(kinds(for: used).map(\.kind))
        for (kind, set) in sets where running.contains(kind) {
            let received = set.received().joined(separator: "\n")
            for canary in set.mustReach where !received.contains(canary) { all.append("\(label): \(kind)'s stand-in never received its canary") }
        }
        return all
    }

    /// Results (JSON report entries) whose code their kind does not declare (ProbeKind.codes).
    func undeclaredCodes(_ probes: [[String: Any]]) -> [String] {
        probes.compactMap { probe in
            guard let kind = (probe["kind"] as? String).flatMap(registry.kind),
                let status = (probe["status"] as? String).flatMap(ProbeStatus.init(rawValue:))
            else { return nil }
            return kind.undeclared((probe["code"] as? String).map(ErrorCode.init(rawValue:)), status: status)
        }
    }

    // MARK: Deadlines

    /// Each kind pointed at a listener that accepts and never answers, with a 1 s timeout:
    /// it must end `fail`/`timeout` well within the run deadline, and the listener must have
    /// accepted (else the test proved nothing). Kinds without network say so in their fixture.
    public func hungFindings() async throws -> (findings: [String], checked: Int) {
        var findings = missingFixtures()
        var checked = 0
        let dir = try TempDir(prefix: "envcheck-hung")
        for kind in registry.kinds {
            let listener = try HungListener()
            guard let fixture = fixtures[kind.kind], let inputs = try fixture.hung(port: listener.port, dir: dir) else { continue }
            checked += 1
            let yaml = "version: 1\nprobes:\n" + Self.hungProbeYAML(kind.kind, fixture: fixture, inputs: inputs)
            let manifest = try dir.write("hung-\(kind.kind).yaml", yaml)
            let start = ContinuousClock.now
            let r = try await invoke(["check", "--no-env-file", "--probes", manifest, "--timeout", "1s", "--format", "json"], [:], dir.path)
            let elapsed = ContinuousClock.now - start
            if listener.acceptedCount == 0 { findings.append("\(kind.kind): the hung listener never accepted a connection") }
            if !r.stdout.contains("\"code\": \"timeout\"") { findings.append("\(kind.kind): not a timeout against a hung server: \(r.stdout)") }
            let report = (try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) as? [String: Any]
            findings += undeclaredCodes(report?["probes"] as? [[String: Any]] ?? []).map { "\(kind.kind) against a hung server: \($0)" }
            // 1 s timeout + the 250 ms run margin + a process start on a loaded 2-core machine.
            if elapsed > .milliseconds(3500) { findings.append("\(kind.kind): took \(elapsed) with a 1s timeout") }
        }
        return (findings, checked)
    }

    /// Every network kind names the server it talks to (``Probe/targets``), so the
    /// per-target limit holds for it: in one run, three probes of each kind point at that
    /// kind's own hung listener with `--max-per-target 1`. Each listener must see exactly
    /// one connection (its first probe, a timeout at the run deadline; the other two never
    /// start), and every kind's first probe must start although all the others hang.
    public func targetFindings() async throws -> (findings: [String], checked: Int) {
        var findings = missingFixtures()
        let dir = try TempDir(prefix: "envcheck-targets")
        var yaml = "version: 1\nprobes:\n"
        var listeners: [(kind: String, listener: HungListener)] = []
        for kind in registry.kinds {
            let listener = try HungListener()
            guard let fixture = fixtures[kind.kind], let inputs = try fixture.hung(port: listener.port, dir: dir) else { continue }
            listeners.append((kind.kind, listener))
            for n in 1...3 { yaml += Self.hungProbeYAML(kind.kind, id: "\(kind.kind)-\(n)", fixture: fixture, inputs: inputs) }
        }
        let manifest = try dir.write("targets.yaml", yaml)
        let r = try await invoke(
            ["check", "--no-env-file", "--probes", manifest, "--timeout", "5s", "--deadline", "1500ms", "--max-per-target", "1", "--format", "json"],
            [:], dir.path)
        let report = (try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) as? [String: Any]
        let probes = report?["probes"] as? [[String: Any]] ?? []
        if probes.count != listeners.count * 3 { findings.append("expected \(listeners.count * 3) results, got \(probes.count): \(r.stdout) \(r.stderr)") }
        for (kind, listener) in listeners {
            if listener.acceptedCount != 1 {
                findings.append("\(kind): its hung listener accepted \(listener.acceptedCount) connections with --max-per-target 1 (expected 1)")
            }
            let mine = probes.filter { ($0["kind"] as? String) == kind }
            let messages = mine.map { ($0["message"] as? String) ?? "" }
            let waiting = messages.filter { $0.hasPrefix("not started: waiting for a slot") && $0.contains("against 127.0.0.1:\(listener.port)") }.count
            let allTimedOut = mine.allSatisfy { ($0["code"] as? String) == "timeout" }
            if mine.count != 3 || !allTimedOut || waiting != 2 {
                findings.append("\(kind): expected one probe stopped by the deadline and two waiting on 127.0.0.1:\(listener.port): \(messages)")
            }
        }
        return (findings, listeners.count)
    }
}
