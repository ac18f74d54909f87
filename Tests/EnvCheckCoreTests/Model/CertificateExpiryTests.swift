import Testing

@testable import EnvCheckCore

@Suite struct CertificateExpiryTests {
    /// 2026-12-06T00:00:00Z.
    let now: Int64 = 1_796_515_200_000
    func certificate(days: Double) -> PeerCertificate {
        PeerCertificate(notAfterEpochSeconds: now / 1000 + Int64(days * 86_400))
    }
    func pass(_ certificate: PeerCertificate?) -> ProbeOutcome {
        ProbeOutcome(status: .pass, message: "PONG at cache:6379", certificate: certificate)
    }

    @Test func daysLeftRoundDownAndGoNegativeOnceExpired() {
        #expect(certificate(days: 30).daysLeft(nowEpochMs: now) == 30)
        #expect(certificate(days: 0.99).daysLeft(nowEpochMs: now) == 0)
        #expect(certificate(days: -0.01).daysLeft(nowEpochMs: now) == -1)
        #expect(certificate(days: -3).daysLeft(nowEpochMs: now) == -3)
        #expect(!certificate(days: 0.001).hasExpired(nowEpochMs: now) && certificate(days: 0).hasExpired(nowEpochMs: now))
        #expect(certificate(days: 14).notAfter == "2026-12-20T00:00:00Z" && certificate(days: 14).notAfterDay == "2026-12-20")
    }

    @Test func aFarExpiryPassesWithTheDateInTheDetails() {
        let result = CertificateExpiry().apply(to: pass(certificate(days: 30)), nowEpochMs: now)
        #expect(result.status == .pass && result.code == nil && result.message.text == "PONG at cache:6379")
        #expect(result.details["certificate"] == .object(["not_after": "2027-01-05T00:00:00Z", "days_left": 30]))
    }

    @Test func fewerDaysThanTheThresholdIsAWarning() {
        let result = CertificateExpiry().apply(to: pass(certificate(days: 5.5)), nowEpochMs: now)
        #expect(result.status == .warn && result.code == .certExpiring)
        #expect(result.message.text == "PONG at cache:6379; its TLS certificate expires in 5 days (2026-12-11)")
        #expect(result.hint?.text == "renew the server's certificate before 2026-12-11 (cert_warn_days: 14)")
        #expect(CertificateExpiry().apply(to: pass(certificate(days: 14.5)), nowEpochMs: now).status == .pass)  // 14 is not fewer than 14
        #expect(CertificateExpiry().apply(to: pass(certificate(days: 13.9)), nowEpochMs: now).code == .certExpiring)
        let today = CertificateExpiry().apply(to: pass(certificate(days: 0.2)), nowEpochMs: now)
        #expect(today.message.text.hasSuffix("expires today (2026-12-06)") && today.code == .certExpiring)
        let one = CertificateExpiry(warnDays: 30).apply(to: pass(certificate(days: 1.5)), nowEpochMs: now)
        #expect(one.message.text.hasSuffix("expires in 1 day (2026-12-07)"))
    }

    @Test func theThresholdIsConfigurableAndZeroTurnsTheWarningOff() {
        #expect(CertificateExpiry(warnDays: 60).apply(to: pass(certificate(days: 30)), nowEpochMs: now).code == .certExpiring)
        #expect(CertificateExpiry(warnDays: 0).apply(to: pass(certificate(days: 0.5)), nowEpochMs: now).status == .pass)
        #expect(CertificateExpiry(warnDays: -3).warnDays == 0)
    }

    @Test func anExpiredCertificateFailsAsTLSEvenWithoutVerification() {
        let unverified = pass(certificate(days: -2.5)).capped(tlsInUse: true, tlsVerified: false, reason: "TLS verification is off", hint: "h")
        #expect(unverified.status == .warn && unverified.certificate != nil)  // capping keeps the certificate
        let result = CertificateExpiry().apply(to: unverified, nowEpochMs: now)
        #expect(result.status == .fail && result.code == .tls)
        #expect(
            result.message.text == "PONG at cache:6379, but TLS verification is off; but the server's TLS certificate expired on 2026-12-03 (3 days ago)")
        #expect(result.hint?.text.hasPrefix("renew the server's certificate") == true)
        #expect(result.details["certificate"]?.objectValue?["days_left"] == -3)
        // cert_warn_days 0 does not excuse an expired certificate.
        #expect(CertificateExpiry(warnDays: 0).apply(to: pass(certificate(days: -1)), nowEpochMs: now).status == .fail)
    }

    @Test func aWarningKeepsItsCodeAndAFailureItsVerdict() {
        let warned = ProbeOutcome.warn(.tlsVerifyDisabled, "listed bucket b", hint: "h").presenting(certificate(days: 3))
        let result = CertificateExpiry().apply(to: warned, nowEpochMs: now)
        #expect(result.status == .warn && result.code == .tlsVerifyDisabled && result.hint?.text == "h")
        #expect(result.message.text.hasSuffix("; its TLS certificate expires in 3 days (2026-12-09)"))
        var failed = ProbeFailure(.authFailed, "the server rejected the password").outcome
        failed.certificate = certificate(days: -1)
        let stillFailed = CertificateExpiry().apply(to: failed, nowEpochMs: now)
        #expect(stillFailed.code == .authFailed && stillFailed.message == failed.message && stillFailed.details["certificate"] != nil)
        #expect(CertificateExpiry().apply(to: pass(nil), nowEpochMs: now) == pass(nil))  // no TLS, no verdict
        #expect(pass(nil).presenting(nil).certificate == nil && pass(certificate(days: 1)).presenting(nil).certificate != nil)
    }

    @Test func theRunnerAppliesTheProbesCertWarnDays() async {
        let expiring = pass(PeerCertificate(notAfterEpochSeconds: Timestamp.nowEpochMs() / 1000 + 20 * 86_400))
        func run(_ rule: CertificateExpiry) async -> ProbeResult {
            let plan = ProbePlan(
                id: "cache", kind: "cache", critical: false, required: false, timeout: .seconds(1),
                setup: .ready(StaticProbe(outcome: expiring)), certificateExpiry: rule)
            return await Runner(runDeadline: .after(.seconds(2))).run([plan])[0]
        }
        let byDefault = await run(CertificateExpiry())
        #expect(byDefault.status == .pass)
        #expect([JSONValue.int(19), .int(20)].contains(byDefault.details["certificate"]?.objectValue?["days_left"] ?? nil))
        let stricter = await run(CertificateExpiry(warnDays: 30))
        #expect(stricter.status == .warn && stricter.code == .certExpiring)
    }

    @Test func thePlannerReadsCertWarnDaysFromTheManifest() {
        var spec = fakeRegistry.defaultSpecs[0]
        let config = ResolvedConfig(["DB_URL": "postgres://x"])
        #expect(Planner.plan([spec], registry: fakeRegistry, config: config, global: .init(), timeouts: .init())[0].certificateExpiry.warnDays == 14)
        spec.options["cert_warn_days"] = .int(30)
        #expect(Planner.plan([spec], registry: fakeRegistry, config: config, global: .init(), timeouts: .init())[0].certificateExpiry.warnDays == 30)
        spec.options["cert_warn_days"] = .int(0)
        #expect(Planner.plan([spec], registry: fakeRegistry, config: config, global: .init(), timeouts: .init())[0].certificateExpiry.warnDays == 0)
    }
}
