import EnvCheckCore
import EnvCheckProbes
import Foundation
import TestSupport
import Testing

/// Runs the registered `redis` kind the way the runner does (setup from settings, then
/// `check` under a deadline, then the certificate-expiry rule), and checks that no canary leaks into what it reports.
enum RedisHarness {
    struct Run {
        let outcome: ProbeOutcome
        let elapsed: Duration
    }

    static func run(
        _ url: String, options: JSONObject = JSONObject(), caFile: String? = nil, timeout: Duration = .seconds(3),
        writeCheck: Bool = false, canaries: [String], sourceLocation: SourceLocation = #_sourceLocation
    ) async -> Run {
        let settings = ProbeSettings(
            id: "redis", config: ResolvedConfig(["REDIS_URL": url]), options: options,
            global: GlobalSettings(caFile: caFile))
        let start = ContinuousClock.now
        let outcome: ProbeOutcome
        switch RedisProbe.kind.setup(settings) {
        case .ready(let probe):
            let context = ProbeContext(id: "redis", deadline: .after(timeout), timeout: timeout, writeCheck: writeCheck)
            // The certificate-expiry rule, which the runner applies to every result.
            outcome = settings.certificateExpiry.apply(to: await Runner.outcome(of: probe, context))
        case .invalid(let failure):
            outcome = failure.outcome
        case .notConfigured(let message):
            outcome = .skip(message)
        }
        let text = [outcome.message.text, outcome.hint?.text ?? "", JSONWriter.write(.object(outcome.details))].joined(separator: "\n")
        #expect(Canary.leaks(canaries, in: text).isEmpty, "a secret leaked: \(text)", sourceLocation: sourceLocation)
        return Run(outcome: outcome, elapsed: .now - start)
    }
}
