/// What `envcheck serve` knows between rounds: each probe's latest result, when it settled,
/// its attempts so far, and the verdicts the endpoints give from them (docs/design.md,
/// "serve"). Requests only read it; rounds (``ServeLoop``) are the only writers, so a
/// health endpoint can never make a probe run.
public actor ServeState {
    public struct Entry: Sendable {
        public var result: ProbeResult
        public var finishedAtEpochMs: Int64
        public var attemptsTotal: Int
        /// The plan's effective `required` (what `/readyz` looks at).
        public var required: Bool
    }

    /// An endpoint's answer: the HTTP status and its one-line body.
    public struct Verdict: Sendable, Equatable {
        public let status: Int
        public let line: String
    }

    public let interval: Duration
    public private(set) var entries: [Entry] = []
    public private(set) var rounds = 0
    public private(set) var lastRoundEpochMs: Int64?
    /// How long the last round took.
    public private(set) var lastRoundDurationMs = 0
    /// Configuration warnings of the last round, already scrubbed.
    public private(set) var warnings: [String] = []

    public init(interval: Duration) { self.interval = interval }

    /// A round's results (plan order) and each probe's effective `required`.
    public func record(_ results: [ProbeResult], required: [String: Bool], warnings: [String] = [], at now: Int64, durationMs: Int = 0) {
        let previous = Dictionary(entries.map { ($0.result.id, $0.attemptsTotal) }, uniquingKeysWith: { a, _ in a })
        entries = results.map { r in
            Entry(result: r, finishedAtEpochMs: now, attemptsTotal: (previous[r.id] ?? 0) + r.attempts, required: required[r.id] ?? r.critical)
        }
        self.warnings = warnings
        rounds += 1
        lastRoundEpochMs = now
        lastRoundDurationMs = durationMs
    }

    /// `starting` before the first round; `stale` once results are older than three
    /// intervals (the loop is stuck); else nil.
    func freshness(_ now: Int64) -> Verdict? {
        guard let last = lastRoundEpochMs else { return Verdict(status: 503, line: "starting: no round of probes has finished yet") }
        let ageMs = now - last
        let limitMs = Int64(interval.milliseconds) * 3
        if ageMs > limitMs { return Verdict(status: 503, line: "stale: the last round finished \(ageMs / 1000)s ago (more than 3 intervals)") }
        return nil
    }

    /// `/readyz`: 503 when a required probe is `fail` or `error` (or a warning, with
    /// `failOnWarn`).
    public func readiness(now: Int64, failOnWarn: Bool = false) -> Verdict {
        if let stale = freshness(now) { return stale }
        return verdict(entries.filter(\.required).map(\.result), failOnWarn: failOnWarn, ignoringWeakCredentials: false, what: "ready")
    }

    /// `/healthz`: the `healthcheck` rule, over the critical probes; a weak credential
    /// never makes it unhealthy (a working container must not restart in a loop).
    public func health(now: Int64, failOnWarn: Bool = false) -> Verdict {
        if let stale = freshness(now) { return stale }
        return verdict(entries.map(\.result).filter(\.critical), failOnWarn: failOnWarn, ignoringWeakCredentials: true, what: "healthy")
    }

    func verdict(_ results: [ProbeResult], failOnWarn: Bool, ignoringWeakCredentials: Bool, what: String) -> Verdict {
        let bad = results.filter { r in
            if ignoringWeakCredentials && r.code?.rawValue == ErrorCode.weakCredential.rawValue { return false }
            return !r.status.isPassing || (failOnWarn && r.status == .warn)
        }
        if bad.isEmpty {
            let names = results.map(\.id).joined(separator: ", ")
            return Verdict(status: 200, line: TerminalText.oneLine("\(what): " + (names.isEmpty ? "no probes to judge" : names)))
        }
        let parts = bad.map { "\($0.id) \($0.code?.rawValue ?? $0.status.rawValue)" }.joined(separator: ", ")
        return Verdict(status: 503, line: TerminalText.oneLine("not \(what): " + parts))
    }

    /// `/metrics`: the Prometheus text of the latest results.
    public func metrics() -> String {
        PrometheusReporter.metrics(
            entries.map { PrometheusReporter.Sample(result: $0.result, finishedAtEpochMs: $0.finishedAtEpochMs, attemptsTotal: $0.attemptsTotal) })
    }

    /// The latest round as a report (`?verbose`, `Accept: application/json`); nil before the
    /// first round.
    public func report(failOnWarn: Bool = false) -> RunReport? {
        guard let last = lastRoundEpochMs else { return nil }
        var run = RunReport(
            mode: .serve, startedAtEpochMs: last - Int64(lastRoundDurationMs), durationMs: lastRoundDurationMs, probes: entries.map(\.result),
            warnings: warnings)
        run.failOnWarn = failOnWarn
        return run
    }

    /// The JSON an endpoint gives with `?verbose` or `Accept: application/json`
    /// (`schemas/serve.schema.json`): the latest round as the JSON report, with the
    /// endpoint's verdict, the round number and the results' age.
    public func document(endpoint: String, verdict: Verdict, failOnWarn: Bool, now: Int64) -> JSONObject {
        let run = report(failOnWarn: failOnWarn) ?? RunReport(mode: .serve, startedAtEpochMs: now, durationMs: 0, probes: [])
        var document = JSONReporter.document(run)
        document["status"] = .string(verdict.status == 200 ? "pass" : "fail")
        if lastRoundEpochMs == nil { document["started_at"] = .null }
        document["endpoint"] = .string(endpoint)
        document["http_status"] = .int(verdict.status)
        document["verdict"] = .string(verdict.line)
        document["round"] = .int(rounds)
        document["interval_seconds"] = .double(Double(interval.milliseconds) / 1000)
        document["age_seconds"] = lastRoundEpochMs.map { .double(Double(max(0, now - $0)) / 1000) } ?? .null
        return document
    }
}

/// `serve`'s rounds: one round of every selected probe each `interval`, single-flight (a
/// round starts only when the last one has ended, so a probe never runs twice at once and
/// at most once per interval, however many requests arrive), until `stop` says so.
public enum ServeLoop {
    /// One round: the results in plan order, each probe's effective `required`, and the
    /// configuration warnings.
    public typealias Round = @Sendable () async -> (results: [ProbeResult], required: [String: Bool], warnings: [String])

    public static func run(
        every interval: Duration, state: ServeState, round: Round, stop: @escaping @Sendable () -> Bool,
        now: @escaping @Sendable () -> Int64 = Timestamp.nowEpochMs, recorded: (@Sendable (ServeState) async -> Void)? = nil
    ) async {
        while !stop() && !Task.isCancelled {
            let started = ContinuousClock.now
            let (results, required, warnings) = await round()
            await state.record(results, required: required, warnings: warnings, at: now(), durationMs: (ContinuousClock.now - started).milliseconds)
            await recorded?(state)
            let rest = interval - (ContinuousClock.now - started)
            var slept = Duration.zero
            // Sleep in short steps so that a stop is seen within 100 ms.
            while slept < rest && !stop() && !Task.isCancelled {
                let step = min(.milliseconds(100), rest - slept)
                try? await Task.sleep(for: step)
                slept += step
            }
        }
    }
}
