import EnvCheckCore
import TestSupport
import Testing

/// The redactor's one pass over every form of every secret (LiteralSet).
@Suite("redactor: one pass")
struct RedactorOnePassTests {
    @Test func overlappingSecretsLeaveNoTailOfEither() {
        let redactor = Redactor(secrets: ["AAAABBBBCCCC", "CCCCDDDDEEEE"])
        #expect(redactor.scrub("x AAAABBBBCCCCDDDDEEEE y") == "x [redacted] y")
        // Each alone, and side by side: one placeholder each.
        #expect(redactor.scrub("AAAABBBBCCCC CCCCDDDDEEEE") == "[redacted] [redacted]")
    }

    @Test func aSecretInsideAnotherIsReplacedWithIt() {
        let redactor = Redactor(secrets: ["inner-secret", "outer-inner-secret-tail"])
        #expect(redactor.scrub("[outer-inner-secret-tail] and inner-secret") == "[[redacted]] and [redacted]")
    }

    @Test func aThousandSecretsInEveryForm() {
        var rng = SplitMix64(seed: 7)
        let chars = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)
        let secrets = (0..<1000).map { _ in String(decoding: (0..<24).map { _ in chars.randomElement(using: &rng)! }, as: UTF8.self) }
        let redactor = Redactor(secrets: secrets)
        for secret in [secrets[0], secrets[499], secrets[999]] {
            for form in SecretForms.all(of: secret) {
                let scrubbed = redactor.scrub("before \(form) after")
                #expect(!scrubbed.contains(form) && scrubbed.hasPrefix("before ") && scrubbed.hasSuffix(" after"), "\(form) -> \(scrubbed)")
            }
        }
    }
}
