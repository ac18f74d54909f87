/// Runs every planned probe concurrently, each attempt under its own deadline, the whole
/// run under `runDeadline`; with `wait`, retries failing probes with capped exponential
/// backoff and jitter. A probe that never returns still yields a `fail`/`timeout` result
/// at its deadline. When `interruption` fires, probes that have not finished become
/// `fail`/`interrupted` at once (after removing what their write checks left, by the
/// cleanup deadline), and results already settled are kept.
public struct Runner: Sendable {
    /// One attempt finished and another will follow (for `--wait` progress on stderr).
    public struct Progress: Sendable {
        public let id: String
        public let attempt: Int
        public let outcome: ProbeOutcome
        public let retryIn: Duration
    }

    public var runDeadline: Deadline
    /// `--wait`: keep retrying failures until this long after the start.
    public var wait: Duration?
    public var writeCheck: Bool
    /// SIGTERM/SIGINT (``Interruption/process``), or a test's.
    public var interruption: Interruption?
    public var initialBackoff: Duration = .milliseconds(250)
    public var maxBackoff: Duration = .seconds(5)
    /// `--retry-on`: codes `--wait` retries although their kind declares that waiting does
    /// not heal them.
    public var retryOn: Set<ErrorCode> = []
    public var progress: (@Sendable (Progress) -> Void)?
    /// Each probe's final result as soon as it settles (the human report streams them).
    public var settled: (@Sendable (ProbeResult) -> Void)?
    /// Renders every result: nothing leaves the runner unscrubbed.
    public var redactor: Redactor
    /// Whether a weak credential changes a result's status (`healthcheck`: only mentioned).
    public var weakCredentialsChangeStatus = true
    /// `--max-concurrent` and `--max-per-target`: an attempt's timeout starts when it gets
    /// its slots; one still waiting at the run deadline is `fail`/`timeout`, not started.
    public var limits = ConcurrencyLimits()

    public init(
        runDeadline: Deadline, wait: Duration? = nil, writeCheck: Bool = false, redactor: Redactor = Redactor(secrets: []),
        interruption: Interruption? = nil,
        progress: (@Sendable (Progress) -> Void)? = nil
    ) {
        self.runDeadline = runDeadline
        self.wait = wait
        self.writeCheck = writeCheck
        self.redactor = redactor
        self.interruption = interruption
        self.progress = progress
    }

    /// The run's results, in plan order.
    public func run(_ plans: [ProbePlan]) async -> [ProbeResult] {
        let slots = Slots(limits)
        return await withTaskGroup(of: (Int, ProbeResult).self) { group in
            for (index, plan) in plans.enumerated() {
                group.addTask { (index, await self.run(plan, slots: slots)) }
            }
            var results = [ProbeResult?](repeating: nil, count: plans.count)
            for await (index, result) in group {
                settled?(result)
                results[index] = result
            }
            return results.compactMap { $0 }
        }
    }

    func run(_ plan: ProbePlan, slots: Slots) async -> ProbeResult {
        switch plan.setup {
        case .notConfigured(let message):
            let outcome =
                plan.required
                ? ProbeOutcome(
                    status: .fail, message: message, code: .notConfigured,
                    hint: ProbeCode.notConfiguredHint((plan.id, plan.kind)))
                : ProbeOutcome.skip(message)
            return result(plan, outcome, durationMs: 0, attempts: 0)
        case .invalid(let failure):
            return result(plan, failure.outcome, durationMs: 0, attempts: 0)
        case .ready(let probe):
            return await attempts(of: probe, plan: plan, slots: slots)
        }
    }

    private func attempts(of probe: any Probe, plan: ProbePlan, slots: Slots) async -> ProbeResult {
        let start = ContinuousClock.now
        let waitDeadline = wait.map { Deadline(start + $0).capped(by: runDeadline) }
        var backoff = initialBackoff
        var attempt = 0
        while true {
            attempt += 1
            var outcome = await self.attempt(probe, plan: plan, number: attempt, slots: slots)
            if wait != nil, outcome.status == .fail, let code = outcome.code, plan.permanentCodes.contains(code), !retryOn.contains(code) {
                // Waiting would not heal it: say so, and stop.
                let hint = outcome.hint ?? plan.codeHints[code] ?? ""
                outcome.hint = hint + " (--wait does not retry \(code): waiting cannot fix it; --retry-on \(code) would)"
                let settled = outcome
                return result(plan, settled, durationMs: (ContinuousClock.now - start).milliseconds, attempts: attempt)
            }
            let final = outcome
            let finish = { result(plan, final, durationMs: (ContinuousClock.now - start).milliseconds, attempts: attempt) }
            guard outcome.status == .fail, let waitDeadline, !waitDeadline.hasPassed, interruption?.cause == nil else { return finish() }
            let delay = min(jittered(backoff), waitDeadline.remaining)
            guard delay > .zero else { return finish() }
            progress?(Progress(id: plan.id, attempt: attempt, outcome: outcome, retryIn: delay))
            let pause = await race(deadline: .after(delay), interruption: interruption) { try? await Task.sleep(for: delay) }
            if case .interrupted(let cause) = pause {
                let retrying = ProbeOutcome.interrupted(by: cause, after: cause.at - start, waitingAfter: outcome)
                return result(plan, retrying, durationMs: (ContinuousClock.now - start).milliseconds, attempts: attempt)
            }
            if waitDeadline.hasPassed { return finish() }
            backoff = min(backoff * 2, maxBackoff)
        }
    }

    /// The result reports show: the certificate-expiry rule and the declared hint where the
    /// probe gave none, the weak-credential finding applied, text rendered.
    private func result(_ plan: ProbePlan, _ outcome: ProbeOutcome, durationMs: Int, attempts: Int) -> ProbeResult {
        var hinted = plan.certificateExpiry.apply(to: outcome)
        if hinted.hint == nil, hinted.status != .pass, let code = hinted.code { hinted.hint = plan.codeHints[code] }
        let final = plan.weakCredential.map { $0.apply(to: hinted, changeStatus: weakCredentialsChangeStatus) } ?? hinted
        return redactor.adding(final.revealed).result(
            id: plan.id, kind: plan.kind, critical: plan.critical, outcome: final, durationMs: durationMs, attempts: attempts)
    }

    private func attempt(_ probe: any Probe, plan: ProbePlan, number: Int, slots: Slots) async -> ProbeOutcome {
        let targets = probe.targets
        let queued = ContinuousClock.now
        // A slot that comes free later than this leaves the probe no time to do anything.
        let startBy = Deadline(runDeadline.instant - Self.margin(plan.timeout) - Self.shortestStart)
        switch await slots.acquire(targets, by: startBy, interruption: interruption) {
        case .granted:
            break
        case .deadline(let blocker):
            return ProbeOutcome(
                status: .fail,
                message: "not started: waiting for a slot until the run deadline, \((ContinuousClock.now - queued).milliseconds)ms (\(blocker))",
                code: .timeout, hint: Self.slotHint)
        case .interrupted(let cause):
            var outcome = ProbeOutcome.interrupted(by: cause, after: .zero)
            outcome.message =
                "interrupted by \(label: cause.signalName) before it started" + (cause.at > queued ? " (it was waiting for a slot)" : "")
            return outcome
        }
        defer { slots.release(targets) }
        let waitedMs = (ContinuousClock.now - queued).milliseconds
        var outcome = await attempt(probe, plan: plan, number: number, queuedMs: waitedMs)
        // Why its duration is longer than its work: it queued for a slot first.
        if waitedMs > 0 { outcome.details["slot_wait_ms"] = .int(waitedMs) }
        return outcome
    }

    /// One attempt that has its slots: the probe under its own deadline.
    private func attempt(_ probe: any Probe, plan: ProbePlan, number: Int, queuedMs: Int) async -> ProbeOutcome {
        let attemptDeadline = Deadline.after(plan.timeout).capped(by: runDeadline)
        let cutByRun = attemptDeadline == runDeadline && Deadline.after(plan.timeout) > runDeadline
        // The probe gets a little less time than the backstop, so that its own, more
        // specific timeout message (which phase hung) usually wins the race.
        let margin = Self.margin(plan.timeout)
        let cleanups = Cleanups()
        let context = ProbeContext(
            id: plan.id, deadline: Deadline(attemptDeadline.instant - margin), timeout: plan.timeout,
            writeCheck: writeCheck, attempt: number, cleanups: cleanups)
        let started = ContinuousClock.now
        switch await race(deadline: attemptDeadline, interruption: interruption, { await Self.outcome(of: probe, context) }) {
        case .finished(let outcome):
            return outcome
        case .deadline:
            let waited = (ContinuousClock.now - started).milliseconds
            return ProbeOutcome(
                status: .fail,
                message: cutByRun
                    ? "stopped by the run deadline after \(waited)ms without an answer"
                        + (queuedMs > 0 ? " (it had queued \(queuedMs)ms for a slot)" : "")
                    : "no answer within \(label: plan.timeout.shortDescription) (timeout)",
                code: .timeout,
                hint: plan.codeHints[.timeout] ?? ProbeCode.timeout.hint)
        case .interrupted(let cause):
            let removals = await cleanups.removeRemaining(by: cause.cleanupDeadline)
            return .interrupted(by: cause, after: cause.at - started, removals: removals)
        }
    }

    /// How much sooner than the backstop a probe's own deadline is.
    static func margin(_ timeout: Duration) -> Duration { min(.milliseconds(50), timeout / 10) }
    /// A probe is not started with less time than this before its deadline.
    static let shortestStart = Duration.milliseconds(20)

    static let slotHint: Message =
        "too many probes for the run's deadline at these limits: raise --max-per-target or --max-concurrent if the server takes more connections, "
        + "give the run a longer --deadline, or check fewer probes against one server"

    /// One attempt, as the runner makes it: a thrown ``ProbeFailure`` becomes its outcome,
    /// any other error an `error`/`internal` outcome. (Tests run probes through this too.)
    public static func outcome(of probe: any Probe, _ context: ProbeContext) async -> ProbeOutcome {
        do {
            return try await probe.check(context)
        } catch let failure as ProbeFailure {
            return failure.outcome
        } catch {
            return ProbeOutcome(
                status: .error, message: "the probe failed unexpectedly: \(String(describing: error))", code: .internalError,
                hint: ProbeCode.internalError.hint)
        }
    }

    /// Full jitter between half and all of `d`.
    private func jittered(_ d: Duration) -> Duration {
        let ms = max(1, d.milliseconds)
        return .milliseconds(Int.random(in: (ms / 2)...ms))
    }
}
