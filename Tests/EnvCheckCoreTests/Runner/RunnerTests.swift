import Synchronization
import Testing

@testable import EnvCheckCore

/// Timing bounds sit between the correct behaviour and the broken one (sequential runs,
/// a starved pool, a hang), with room for a loaded CI machine.
@Suite("runner", .serialized, .requires(.serialRun))
struct RunnerTests {
    func elapsed(_ body: () async -> Void) async -> Duration {
        let start = ContinuousClock.now
        await body()
        return ContinuousClock.now - start
    }

    @Test func threeOneSecondProbesFinishInAboutOneSecond() async {
        let runner = Runner(runDeadline: .after(.seconds(10)))
        var results: [ProbeResult] = []
        let took = await elapsed {
            results = await runner.run((1...3).map { plan("p\($0)", SleepingProbe(duration: .seconds(1))) })
        }
        #expect(results.map(\.status) == [.pass, .pass, .pass])
        #expect(results.map(\.id) == ["p1", "p2", "p3"])
        // Sequentially this takes 3 s.
        #expect(took < .milliseconds(2500), "took \(took)")
        #expect(results.allSatisfy { $0.durationMs >= 990 })
    }

    @Test func blockingCCallsDoNotStarveThePool() async {
        // Six probes each blocked 1 s in a C call: on the two pool threads that would take 3 s.
        let runner = Runner(runDeadline: .after(.seconds(10)))
        let took = await elapsed {
            let results = await runner.run((1...6).map { plan("b\($0)", BlockingProbe(seconds: 1)) })
            #expect(results.allSatisfy { $0.status == .pass })
        }
        #expect(took < .milliseconds(2500), "took \(took)")
    }

    @Test func aProbeThatNeverReturnsTimesOutAndTheRunEndsOnTime() async {
        let runner = Runner(runDeadline: .after(.seconds(10)))
        var results: [ProbeResult] = []
        let took = await elapsed {
            results = await runner.run([
                plan("hung", NeverReturningProbe(), timeout: .milliseconds(500)),
                plan("fast", SleepingProbe(duration: .milliseconds(10))),
            ])
        }
        #expect(results[0].status == .fail)
        #expect(results[0].code == .timeout)
        #expect(results[0].message == "no answer within 500ms (timeout)")
        #expect(results[0].durationMs >= 500 && results[0].durationMs < 1500)
        #expect(results[1].status == .pass)
        #expect(took < .milliseconds(2000))
    }

    @Test func blockedThreadsDoNotHoldTheRunPastItsDeadline() async {
        let runner = Runner(runDeadline: .after(.milliseconds(700)))
        var results: [ProbeResult] = []
        let took = await elapsed {
            results = await runner.run((1...3).map { plan("stuck\($0)", BlockingProbe(seconds: 30)) })
        }
        #expect(results.allSatisfy { $0.status == .fail && $0.code == .timeout })
        #expect(results[0].message.hasPrefix("stopped by the run deadline"))
        #expect(took < .milliseconds(2000), "took \(took)")
    }

    @Test func thrownFailuresBecomeResults() async {
        let failure = ProbeFailure(.authFailed, "password authentication failed for user app", hint: "check the password")
        let results = await Runner(runDeadline: .after(.seconds(5))).run([
            plan("db", FailingProbe(failure: failure)),
            plan("bad", FailingProbe(failure: .misconfigured(.invalidURL, "not a URL"))),
        ])
        #expect(results[0].status == .fail)
        #expect(results[0].code == .authFailed)
        #expect(results[0].hint == "check the password")
        #expect(results[0].attempts == 1)
        #expect(results[1].status == .error)
        #expect(results[1].code == .invalidURL)
    }

    @Test func requiredButNotConfiguredFailsOtherwiseSkips() async {
        let results = await Runner(runDeadline: .after(.seconds(5))).run([
            ProbePlan(id: "db", kind: "postgres", critical: true, required: true, timeout: .seconds(1), setup: .notConfigured("DATABASE_URL is not set")),
            ProbePlan(id: "cache", kind: "redis", critical: false, required: false, timeout: .seconds(1), setup: .notConfigured("REDIS_URL is not set")),
        ])
        #expect(results[0].status == .fail)
        #expect(results[0].code == .notConfigured)
        #expect(results[0].hint?.contains("--skip db") == true)
        #expect(results[1].status == .skip)
        #expect(results[1].code == nil)
        #expect(RunReport(mode: .check, startedAtEpochMs: 0, durationMs: 0, probes: [results[1]]).exitCode == 0)
        #expect(RunReport(mode: .check, startedAtEpochMs: 0, durationMs: 0, probes: results).exitCode == 1)
    }

    @Test func waitRetriesFailuresUntilTheyPass() async {
        let flaky = FlakyProbe(passAfter: 3)
        var runner = Runner(runDeadline: .after(.seconds(10)), wait: .seconds(5))
        runner.initialBackoff = .milliseconds(20)
        let results = await runner.run([plan("flaky", flaky), plan("bad", FailingProbe(failure: .misconfigured(.invalidURL, "x")))])
        #expect(results[0].status == .pass)
        #expect(results[0].attempts == 3)
        #expect(flaky.calls == 3)
        // An error (a configuration problem) is never retried.
        #expect(results[1].attempts == 1)
    }

    @Test func waitGivesUpAtItsDeadline() async {
        var runner = Runner(runDeadline: .after(.seconds(10)), wait: .milliseconds(600))
        runner.initialBackoff = .milliseconds(50)
        var results: [ProbeResult] = []
        let took = await elapsed { results = await runner.run([plan("down", FlakyProbe(passAfter: 1000))]) }
        #expect(results[0].status == .fail)
        #expect(results[0].attempts >= 2)
        #expect(took < .milliseconds(2500))
    }

    @Test func waitStopsAtACodeThatDoesNotHealUnlessRetryOnSaysSo() async {
        let rejected = ProbeFailure(.authFailed, "password authentication failed")
        func permanent(_ probe: any Probe) -> ProbePlan {
            ProbePlan(
                id: "db", kind: "fake", critical: true, required: true, timeout: .seconds(1), setup: .ready(probe),
                codeHints: [.authFailed: "check the password"], permanentCodes: [.authFailed])
        }
        var runner = Runner(runDeadline: .after(.seconds(5)), wait: .milliseconds(500))
        runner.initialBackoff = .milliseconds(20)
        var results: [ProbeResult] = []
        let took = await elapsed { results = await runner.run([permanent(FailingProbe(failure: rejected))]) }
        #expect(results[0].attempts == 1 && took < .milliseconds(400))
        #expect(results[0].hint == "check the password (--wait does not retry auth_failed: waiting cannot fix it; --retry-on auth_failed would)")
        runner.retryOn = [.authFailed]
        let retried = await runner.run([permanent(FailingProbe(failure: rejected))])
        #expect(retried[0].attempts >= 3 && retried[0].hint == "check the password")
        // A code that heals is retried as before, and the backoff flags are honoured.
        runner.retryOn = []
        runner.initialBackoff = .milliseconds(200)
        runner.maxBackoff = .milliseconds(200)
        let flaky = FlakyProbe(passAfter: 3)
        let healing = await elapsed { results = await runner.run([permanent(flaky)]) }
        #expect(results[0].status == .pass && results[0].attempts == 3)
        #expect(healing >= .milliseconds(200), "two pauses of 100-200ms (full jitter between half and all)")
    }

    @Test func eachResultIsHandedOnAsItSettles() async {
        let order = Mutex<[String]>([])
        var runner = Runner(runDeadline: .after(.seconds(5)))
        runner.settled = { result in order.withLock { $0.append(result.id) } }
        let results = await runner.run([
            plan("slow", SleepingProbe(duration: .milliseconds(300))), plan("fast", FailingProbe(failure: ProbeFailure(.dns, "x"))),
        ])
        #expect(results.map(\.id) == ["slow", "fast"], "results stay in plan order")
        #expect(order.withLock { $0 } == ["fast", "slow"], "settled in the order they finished")
    }

    @Test func withoutWaitAFailureIsNotRetried() async {
        let flaky = FlakyProbe(passAfter: 2)
        let results = await Runner(runDeadline: .after(.seconds(5))).run([plan("once", flaky)])
        #expect(results[0].status == .fail)
        #expect(flaky.calls == 1)
    }
}

@Suite("planner")
struct PlannerTests {
    let specs = fakeRegistry.defaultSpecs

    @Test func selectionOnlySkipCriticalOnly() throws {
        #expect(try Planner.select(specs, registry: fakeRegistry, selection: Selection(only: ["cache"])).map(\.id) == ["cache"])
        #expect(try Planner.select(specs, registry: fakeRegistry, selection: Selection(skip: ["cache"])).map(\.id) == ["db"])
        #expect(try Planner.select(specs, registry: fakeRegistry, selection: Selection(criticalOnly: true)).map(\.id) == ["db"])
    }

    @Test func unknownIdsAreErrors() {
        #expect(throws: Planner.Failure(message: "unknown probe 'nope' in --only (known: db, cache)")) {
            _ = try Planner.select(specs, registry: fakeRegistry, selection: Selection(only: ["nope"]))
        }
        #expect(throws: Planner.Failure(message: "unknown probe 'cahce' in --skip (did you mean 'cache'? known: db, cache)")) {
            _ = try Planner.select(specs, registry: fakeRegistry, selection: Selection(skip: ["cahce"]))
        }
    }

    @Test func timeoutsOverrideAndCap() {
        var spec = specs[0]
        spec.timeout = .seconds(9)
        let config = ResolvedConfig(["DB_URL": "postgres://x"])
        let fromSpec = Planner.plan([spec], registry: fakeRegistry, config: config, global: .init(), timeouts: .init())
        #expect(fromSpec[0].timeout == .seconds(9))
        let overridden = Planner.plan([spec], registry: fakeRegistry, config: config, global: .init(), timeouts: .init(override: .seconds(2)))
        #expect(overridden[0].timeout == .seconds(2))
        let capped = Planner.plan([spec], registry: fakeRegistry, config: config, global: .init(), timeouts: .init(cap: .seconds(3)))
        #expect(capped[0].timeout == .seconds(3))
    }

    @Test func setupOutcomes() {
        let missing = Planner.plan(specs, registry: fakeRegistry, config: ResolvedConfig([:]), global: .init(), timeouts: .init())
        guard case .notConfigured = missing[0].setup else {
            Issue.record("expected notConfigured")
            return
        }
        #expect(missing[0].required)
        #expect(!missing[1].required)
        let invalid = Planner.plan(specs, registry: fakeRegistry, config: ResolvedConfig(["DB_URL": "bad"]), global: .init(), timeouts: .init())
        guard case .invalid(let f) = invalid[0].setup else {
            Issue.record("expected invalid")
            return
        }
        #expect(f.status == .error)
        let fallback = Planner.plan(specs, registry: fakeRegistry, config: ResolvedConfig(["CACHE_FALLBACK": "x"]), global: .init(), timeouts: .init())
        guard case .ready = fallback[1].setup else {
            Issue.record("the fallback key should configure cache")
            return
        }
    }

    @Test func bindingsReplaceDefaultKeys() {
        let input = ProbeInput("url", keys: ["DB_URL"])
        let config = ResolvedConfig(["PRIMARY_DB": "postgres://p", "DB_URL": "postgres://default"])
        let bound = ProbeSettings(id: "db", config: config, bindings: ["url": "${PRIMARY_DB}"])
        #expect(bound.value(input)?.value == "postgres://p")
        let withDefault = ProbeSettings(id: "db", config: config, bindings: ["url": "${MISSING:-postgres://fallback}"])
        #expect(withDefault.value(input)?.value == "postgres://fallback")
        #expect(ProbeSettings(id: "db", config: config).value(input) == .init(value: "postgres://default", key: "DB_URL"))
        #expect(ProbeSettings(id: "db", config: ResolvedConfig(["DB_URL": "  "])).value(input) == nil)
    }

    @Test func registryProblems() {
        let dup = ProbeRegistry(fakeRegistry.kinds + [fakeRegistry.kinds[0]])
        #expect(dup.problems == ["duplicate probe kind 'db'"])
        #expect(fakeRegistry.problems.isEmpty)
    }

    @Test func keyUsage() {
        let keys = KeyUsage.keys(for: specs, registry: fakeRegistry)
        #expect(keys.map(\.key) == ["DB_URL", "CACHE_URL", "CACHE_FALLBACK"])
        #expect(KeyUsage.requiredKeys(for: specs, registry: fakeRegistry) == ["DB_URL"])
        #expect(KeyUsage.variables(in: "${A:-${B}}x${C}") == ["A", "B", "C"])
    }
}

@Suite("option templates")
struct OptionCheckTests {
    let kind = ProbeKind(
        kind: "tlsy", summary: "a TLS thing", critical: true, inputs: [ProbeInput("url", keys: ["U"])],
        options: [ProbeOption("retries", .number, "n")]
    ) { settings in
        .ready(SleepingProbe(duration: .zero, outcome: .pass(settings.tlsVerify ? "verified" : "NOT verified")))
    }

    func setup(_ options: JSONObject, _ config: [String: String]) -> ProbeSetup {
        let spec = ProbeSpec(id: "t", kind: "tlsy", options: options)
        return Planner.plan([spec], registry: ProbeRegistry([kind]), config: ResolvedConfig(config), global: .init(), timeouts: .init())[0].setup
    }

    @Test func anUnsetOrNonBooleanTLSVerifyNeverTurnsVerificationOff() async throws {
        for config in [[:], ["V": ""], ["V": "maybe"]] {
            guard case .invalid(let failure) = setup(["tls_verify": "${V}"], config) else {
                Issue.record("expected an error for \(config)")
                continue
            }
            #expect(failure.status == .error && failure.code == .invalidConfig)
            #expect(failure.message.hasPrefix("option tls_verify of probe t "))
        }
        guard case .ready(let probe) = setup(["tls_verify": "${V}"], ["V": "off"]) else {
            Issue.record("off is a boolean")
            return
        }
        #expect(try await probe.check(ProbeContext(id: "t", deadline: .after(.seconds(1)), timeout: .seconds(1))).message == "NOT verified")
        guard case .ready(let verified) = setup(["tls_verify": "${V}"], ["V": "TRUE"]) else {
            Issue.record("TRUE is a boolean")
            return
        }
        #expect(try await verified.check(ProbeContext(id: "t", deadline: .after(.seconds(1)), timeout: .seconds(1))).message == "verified")
    }

    @Test func numbersAreCheckedToo() {
        guard case .invalid = setup(["retries": "${R}"], ["R": "three"]) else {
            Issue.record("expected an error")
            return
        }
        guard case .ready = setup(["retries": "${R}"], ["R": "3"]) else {
            Issue.record("3 is a number")
            return
        }
    }

    @Test func strictBooleans() {
        #expect(ProbeSettings.parseBool(" Yes ") == true)
        #expect(ProbeSettings.parseBool("OFF") == false)
        #expect(ProbeSettings.parseBool("") == nil)
        #expect(ProbeSettings.parseBool("truthy") == nil)
    }
}
