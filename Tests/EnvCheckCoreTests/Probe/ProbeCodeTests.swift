import Testing

@testable import EnvCheckCore

/// Code declarations: hint templates, the codes a kind gets from the runner, the checks
/// of a result against its kind, registry problems, and the `list --codes` report.
@Suite struct ProbeCodeTests {
    struct Stub: Probe {
        func check(_ context: ProbeContext) async throws -> ProbeOutcome { .pass("ok") }
    }

    static let blinkHint = HintTemplate((host: "<host>", port: "<port>")) { p in "open \(label: p.host):\(label: p.port) in the firewall" }

    static func kind(_ name: String = "blink", secret: InputSecrecy = .none, codes: [ProbeCode]) -> ProbeKind {
        ProbeKind(
            kind: name, summary: "blinks", critical: false, inputs: [ProbeInput("address", keys: ["BLINK_ADDRESS"], secret: secret)],
            codes: codes
        ) { _ in .ready(Stub()) }
    }

    static let blink = kind(codes: [
        ProbeCode(.init("lamp_off"), .fail, meaning: "the lamp | is off", hint: blinkHint),
        ProbeCode.timeout.with(hint: "the lamp took too long"),
        .connectionRefused,
    ])

    @Test func aHintTemplateIsFilledByProbesAndShownWithPlaceholders() {
        #expect(Self.blinkHint(("10.0.0.1", "80")).text == "open 10.0.0.1:80 in the firewall")
        #expect(Self.blinkHint.template.text == "open <host>:<port> in the firewall")
        #expect(Self.blink.codes[.init("lamp_off")]?.hint?.text == "open <host>:<port> in the firewall")
        // Parameters given as labels stay trusted: a password equal to a host name does not scrub it.
        #expect(Self.blinkHint(("db", "5432")).parts == [.trusted("open db:5432 in the firewall")])
        #expect(
            ProbeCode.notConfiguredHint(("cache", "redis")).text
                == "set the missing configuration, or pass --skip cache if this deployment does not use redis")
    }

    @Test func aKindGetsTheRunnersCodesAndWeakCredentialOnlyWithASecretInput() {
        let codes = Self.blink.allCodes.map(\.code.rawValue)
        #expect(codes == ["lamp_off", "timeout", "connection_refused", "not_configured", "invalid_config", "interrupted", "internal"])
        #expect(Self.blink.declaration(of: .timeout)?.hint?.text == "the lamp took too long", "the kind's refinement wins")
        #expect(Self.blink.declaration(of: .weakCredential) == nil)
        let secret = Self.kind(secret: .credentials, codes: [])
        #expect(secret.declaration(of: .weakCredential) == ProbeCode.weakCredential)
    }

    @Test func aResultIsCheckedAgainstItsKindsDeclarations() {
        #expect(Self.blink.undeclared(nil, status: .pass) == nil)
        #expect(Self.blink.undeclared(nil, status: .skip) == nil)
        #expect(Self.blink.undeclared(.init("lamp_off"), status: .fail) == nil)
        #expect(Self.blink.undeclared(.notConfigured, status: .fail) == nil)
        #expect(Self.blink.undeclared(.dns, status: .fail) == "kind blink does not declare code dns (a fail result)")
        #expect(Self.blink.undeclared(.init("lamp_off"), status: .warn) == "kind blink declares lamp_off as fail, but a result has it as warn")
        #expect(Self.blink.undeclared(nil, status: .warn) == "a warn result of kind blink has no code")
    }

    @Test func badDeclarationsAreRegistryProblems() {
        let bad = Self.kind(codes: [
            ProbeCode(.init("lamp_off"), .fail, meaning: "off"),
            ProbeCode(.init("lamp_off"), .fail, meaning: "off again"),
            ProbeCode(.init("dim"), .warn, meaning: " "),
            ProbeCode(.init("lit"), .pass, meaning: "it is lit"),
            ProbeCode(.init("unsaid"), meaning: "no status"),
        ])
        #expect(
            ProbeRegistry([bad]).problems == [
                "probe kind 'blink' declares code lamp_off twice",
                "code dim of probe kind 'blink' has no meaning",
                "code lit of probe kind 'blink' must be warn, fail or error",
                "code unsaid of probe kind 'blink' must be warn, fail or error",
            ])
        #expect(ProbeRegistry([Self.blink]).problems.isEmpty)
    }

    @Test func theSharedCodesAreDeclaredOnceWithAMeaning() {
        let codes = ProbeCode.shared.map(\.code)
        #expect(Set(codes).count == codes.count)
        #expect(ProbeCode.shared.allSatisfy { !$0.meaning.isEmpty && !$0.statuses.isEmpty })
        #expect(ProbeCode.universal.allSatisfy { u in ProbeCode.shared.contains(u) })
    }
}

/// Codes are data at run time too: a result without a hint of its own shows its code's.
@Suite struct DeclaredHintTests {
    struct Answer: Probe {
        let outcome: ProbeOutcome
        func check(_ context: ProbeContext) async throws -> ProbeOutcome { outcome }
    }

    func run(_ outcome: ProbeOutcome) async -> ProbeResult {
        let kind = ProbeCodeTests.blink
        let plan = ProbePlan(
            id: "lamp", kind: kind.kind, critical: false, required: false, timeout: .seconds(2), setup: .ready(Answer(outcome: outcome)),
            codeHints: kind.declaredHints)
        return await Runner(runDeadline: .after(.seconds(5))).run([plan])[0]
    }

    @Test func aResultWithoutAHintGetsItsCodesDeclaredHint() async {
        let refused = await run(ProbeFailure(.connectionRefused, "refused while connecting to lamp:80").outcome)
        #expect(refused.hint == ProbeCode.connectionRefused.hint?.text)
        let timeout = await run(ProbeFailure(.timeout, "no answer").outcome)
        #expect(timeout.hint == "the lamp took too long", "the kind's refinement of a shared code wins")
        let own = await run(ProbeFailure(.timeout, "no answer", hint: "look at the lamp").outcome)
        #expect(own.hint == "look at the lamp", "a probe's own hint is kept")
        let undeclared = await run(ProbeFailure(.init("lamp_broken"), "broken").outcome)
        #expect(undeclared.hint == nil)
        let pass = await run(.pass("lit"))
        #expect(pass.hint == nil)
    }
}
