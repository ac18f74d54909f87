import EnvCheckCore
import Testing

@Suite("TLS verification caps a pass")
struct ProbeOutcomeCappedTests {
    let pass = ProbeOutcome.pass("PONG", details: ["tls": true])

    @Test func aPassOverUnverifiedTLSBecomesAWarning() {
        let capped = pass.capped(tlsInUse: true, tlsVerified: false, reason: "TLS verification is off", hint: "remove tls_verify: false")
        #expect(capped.status == .warn)
        #expect(capped.code == .tlsVerifyDisabled)
        #expect(capped.message == "PONG, but TLS verification is off")
        #expect(capped.hint == "remove tls_verify: false")
        #expect(capped.details == pass.details)
    }

    @Test func verifiedTLSOrNoTLSLeavesAPassAlone() {
        #expect(pass.capped(tlsInUse: true, tlsVerified: true, reason: "r", hint: "h") == pass)
        #expect(pass.capped(tlsInUse: false, tlsVerified: false, reason: "r", hint: "h") == pass)
    }

    @Test func otherOutcomesAreLeftAsTheyAre() {
        let lowCredit = ProbeOutcome.warn(ErrorCode("low_credit"), "little credit left", hint: "add credits")
        #expect(lowCredit.capped(tlsInUse: true, tlsVerified: false, reason: "r", hint: "h") == lowCredit)
        let skip = ProbeOutcome.skip("not configured")
        #expect(skip.capped(tlsInUse: true, tlsVerified: false, reason: "r", hint: "h") == skip)
        let failure = ProbeFailure(.timeout, "timed out").outcome
        #expect(failure.capped(tlsInUse: true, tlsVerified: false, reason: "r", hint: "h") == failure)
    }
}
