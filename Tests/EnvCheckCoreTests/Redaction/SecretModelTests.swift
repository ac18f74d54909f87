import EnvCheckCore
import Foundation
import TestSupport
import Testing

@Suite("messages from typed parts")
struct MessageTests {
    @Test func literalsAndLabelsStayAndInterpolatedTextIsScrubbed() {
        // The dev password is also the scheme, the probe id, a path component and the user.
        let redactor = Redactor(secrets: ["postgres"])
        let server = "password authentication failed for user \"postgres\""
        let path = "/srv/postgres/.env"
        let message: Message = "postgres: \(label: "postgres://") in \(label: path): \(server)"
        #expect(redactor.render(message) == "postgres: postgres:// in /srv/postgres/.env: password authentication failed for user \"[redacted]\"")
    }

    @Test func keysAreTrustedOnlyWhenPlainNames() {
        let redactor = Redactor(secrets: ["s3cret-literal"])
        let plain: Message = "\(key: "DATABASE_URL") is not set"
        let template: Message = "\(key: "${DB:-postgres://u:s3cret-literal@h/db}") is not set"
        #expect(redactor.render(plain) == "DATABASE_URL is not set")
        #expect(!redactor.render(template).contains("s3cret-literal"))
    }

    @Test func aSecretSplitOverTwoInterpolationsIsStillFound() {
        let redactor = Redactor(secrets: ["abcdefgh"])
        let a = "abcd"
        let b = "efgh"
        let message: Message = "got \(a)\(b)"
        #expect(redactor.render(message) == "got [redacted]")
    }

    @Test func equalityLooksAtTheTextOnly() {
        let m: Message = "x \(String("y")) \(3)"
        #expect(m == "x y 3")
        #expect(m.parts.count == 3)
    }
}

@Suite("secret forms")
struct SecretFormTests {
    static let secret = "cnrySecretValue+/=42"

    @Test func everyEncodingIsScrubbed() throws {
        let redactor = Redactor(secrets: [Self.secret])
        let bytes = Array(Self.secret.utf8)
        var forms = [
            Self.secret,
            Self.secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!,
            "cnrySecretValue%2b%2f%3d42",
            bytes.map { String(format: "%02x", $0) }.joined(),
            bytes.map { String(format: "%02X", $0) }.joined(),
        ]
        // base64 with the secret at each alignment, inside a longer value (Basic auth).
        for prefix in ["", "u", "us", "user:"] {
            forms.append(Data((prefix + Self.secret).utf8).base64EncodedString())
        }
        forms.append("Basic " + Data(("app:" + Self.secret).utf8).base64EncodedString())
        for form in forms {
            let out = redactor.scrub("the server said: \(form) (end)")
            #expect(out.contains("[redacted]"), "\(form) → \(out)")
            #expect(!out.contains(form), "\(form) → \(out)")
        }
    }

    @Test func base64NeedsSixCommonCharacters() {
        #expect(SecretForms.base64Forms(Array("abcd".utf8)).isEmpty)
        let six = SecretForms.base64Forms(Array("abcde".utf8))
        #expect(!six.isEmpty)
        #expect(six.allSatisfy { $0.count >= SecretForms.minimumBase64Length })
    }

    @Test func secretsUnderFourCharactersAreNeverScrubbed() {
        let redactor = Redactor(secrets: ["abc"])
        #expect(redactor.scrub("abc abc") == "abc abc")
    }
}

@Suite("URL credentials")
struct URLCredentialRuleTests {
    @Test func userinfoRunsToTheLastAtBeforeTheHost() {
        #expect(URLCredentials.redact("postgres://app:pa/ss@db:5432/x") == "postgres://app:[redacted]@db:5432/x")
        #expect(URLCredentials.passwords(in: "postgres://app:pa/ss@db:5432/x") == ["pa/ss"])
    }

    @Test func multipleAtsHideTheWholeUserinfo() {
        let url = "postgres://app:p@ss@word@db/x"
        #expect(URLCredentials.redact(url) == "postgres://[redacted]@db/x")
        #expect(URLCredentials.hasAmbiguousUserinfo(url))
        #expect(!URLCredentials.hasAmbiguousUserinfo("postgres://app:p%40ss@db/x"))
    }

    @Test func schemeLessUserinfoIsRedactedTheSameWay() {
        #expect(URLCredentials.redact("S3_ENDPOINT=minio:cnrypw123@localhost:9000") == "S3_ENDPOINT=minio:[redacted]@localhost:9000")
        #expect(URLCredentials.passwords(in: "minio:cnrypw123@localhost:9000") == ["cnrypw123"])
        // An e-mail address has no password.
        #expect(URLCredentials.redact("mail ops@example.org") == "mail ops@example.org")
    }

    @Test(.requires(.serialRun)) func linearOnHostileText() {
        let hostile = String(repeating: "a://b:c", count: 20_000) + "@h " + String(repeating: "x=", count: 30_000)
        let start = ContinuousClock.now
        _ = URLCredentials.redact(hostile)
        #expect(ContinuousClock.now - start < .seconds(5))
    }
}

@Suite("weak credentials")
struct WeakCredentialTests {
    static let url = ProbeInput("url", keys: ["DATABASE_URL"], secret: .credentials)

    func find(_ value: String, example: String? = nil, env: [String: String] = [:]) -> WeakCredential? {
        let v = ProbeSettings.Value(value: value, key: "DATABASE_URL")
        return WeakCredential.find(
            input: Self.url, value: v, shown: WeakCredential.shownParts(of: value), example: example,
            environment: EnvironmentName(config: ResolvedConfig(env)))
    }

    @Test func wellKnownDefaultsUserAndHostAndExampleValues() {
        #expect(find("postgres://app:postgres@db/app")?.reason == "is a well-known default")
        #expect(find("postgres://app:Changeme@db/app")?.reason == "is a well-known default")
        #expect(find("postgres://appuser:appuser@db/app")?.reason == "equals a user or host name shown in the clear")
        #expect(find("postgres://app:dbhost7@dbhost7/app")?.reason == "equals a user or host name shown in the clear")
        #expect(
            find("postgres://app:k3pt-in-git@db/app", example: "postgres://app:k3pt-in-git@localhost/app")?.reason
                == "is the value committed in .env.example")
        #expect(find("postgres://app:\(UUID().uuidString)@db/app") == nil)
    }

    @Test func warnLocallyFailInStagingAndProduction() {
        let outcome = ProbeOutcome.pass("logged in")
        let local = find("postgres://app:postgres@db/app")!.apply(to: outcome)
        #expect(local.status == .warn && local.code == WeakCredential.code)
        for env in ["production", "staging", "pr-12"] {
            let strict = find("postgres://app:postgres@db/app", env: ["ENVIRONMENT": env])!.apply(to: outcome)
            #expect(strict.status == .fail && strict.code == WeakCredential.code, "\(env)")
        }
        let healthcheck = find("postgres://app:postgres@db/app", env: ["ENVIRONMENT": "production"])!.apply(to: outcome, changeStatus: false)
        #expect(healthcheck.status == .pass && healthcheck.message.contains("weak credential"))
        let failed = find("postgres://app:postgres@db/app")!.apply(to: ProbeOutcome(status: .fail, message: "refused", code: .connectionRefused))
        #expect(failed.status == .fail && failed.code == .connectionRefused && failed.details["weak_credential"] != nil)
    }

    @Test func theRunnerAppliesItAndNeverShowsTheSecret() async {
        let config = ResolvedConfig(["DATABASE_URL": "postgres://app:changeme@db/app", "ENVIRONMENT": "production"])
        let kind = ProbeKind(kind: "db", summary: "s", critical: true, inputs: [Self.url]) { _ in
            .ready(StaticProbe(outcome: .pass("logged in as app")))
        }
        let registry = ProbeRegistry([kind])
        let plans = Planner.plan(registry.defaultSpecs, registry: registry, config: config, global: GlobalSettings(), timeouts: .init())
        #expect(plans[0].secrets == ["changeme"])
        let runner = Runner(runDeadline: .after(.seconds(30)), redactor: Redactor(SecretInventory(config: config, plans: plans)))
        let result = await runner.run(plans)[0]
        #expect(result.status == .fail && result.code == WeakCredential.code)
        #expect(!result.message.contains("changeme") && !(result.hint ?? "").contains("changeme"))
    }
}

struct StaticProbe: Probe {
    let outcome: ProbeOutcome
    func check(_ context: ProbeContext) async throws -> ProbeOutcome { outcome }
}

@Suite("secret inventory")
struct SecretInventoryTests {
    static let kind = ProbeKind(
        kind: "api", summary: "s", critical: false,
        inputs: [
            ProbeInput("token", keys: ["SERVICE_AUTH"], secret: .whole),
            ProbeInput("url", keys: ["SERVICE_URL"], secret: .credentials),
        ]
    ) { _ in .notConfigured("x") }

    @Test func everyRouteToASecretInputRegistersTheValue() {
        // Names that say nothing secret: only the input declaration knows.
        let config = ResolvedConfig(["SERVICE_AUTH": "cnry-env-value", "PLAIN": "cnry-interp", "SERVICE_URL": "https://u:cnry-interp@h/x"])
        let manifest = ProbeSpec(id: "m", kind: "api", bindings: ["token": "${UNSET_VAR:-cnry-fallback}", "url": "https://svc:cnry-literal@h/"])
        let registry = ProbeRegistry([Self.kind])
        let plans = Planner.plan(
            registry.defaultSpecs + [manifest], registry: registry, config: config, global: GlobalSettings(),
            timeouts: .init())
        let inventory = SecretInventory(config: config, plans: plans)
        for canary in ["cnry-env-value", "cnry-interp", "cnry-fallback", "cnry-literal"] {
            #expect(inventory.contains(canary), "\(canary)")
        }
        #expect(!inventory.contains("cnry-plain-not-secret"))
    }

    @Test func ambiguousUserinfoIsInvalidURLAndNeverShown() async {
        let config = ResolvedConfig(["SERVICE_AUTH": "t0ken-value", "SERVICE_URL": "https://svc:cnry@pw@h/x"])
        let registry = ProbeRegistry([Self.kind])
        let plans = Planner.plan(registry.defaultSpecs, registry: registry, config: config, global: GlobalSettings(), timeouts: .init())
        let result = await Runner(runDeadline: .after(.seconds(30)), redactor: Redactor(SecretInventory(config: config, plans: plans))).run(plans)[0]
        #expect(result.status == .error && result.code == .invalidURL)
        #expect(result.hint?.contains("%40") == true)
        #expect(!result.message.contains("cnry") && !result.message.contains("pw@h"))
    }
}

@Suite("fingerprints")
struct FingerprintTests {
    static let hmac = StandInHMAC.mac

    @Test func offWithoutAKeyOrWithAShortOne() {
        let none = Fingerprinter(key: nil, hmac: Self.hmac)
        #expect(!none.isEnabled && none.fingerprint("a-long-enough-secret") == nil)
        #expect(none.disabledReason?.contains("ENVCHECK_FINGERPRINT_KEY") == true)
        let short = Fingerprinter(key: String(repeating: "k", count: 31), hmac: Self.hmac)
        #expect(!short.isEnabled && short.disabledReason?.contains("32 bytes") == true)
    }

    @Test func keyedShortSecretsGetNone() {
        let f = Fingerprinter(key: String(repeating: "k", count: 32), hmac: Self.hmac)
        #expect(f.fingerprint("elevenchars") == nil)
        let print = f.fingerprint("twelve-chars")
        #expect(print?.hasPrefix("hmac:") == true && print?.count == 13)
        #expect(f.keyID?.count == 8)
        let other = Fingerprinter(key: String(repeating: "j", count: 32), hmac: Self.hmac)
        #expect(other.fingerprint("twelve-chars") != print && other.keyID != f.keyID)
    }
}

@Suite("environment name")
struct EnvironmentNameTests {
    @Test(arguments: [
        ("production", EnvironmentName.Kind.production), ("prd", .production), ("live", .production), ("uat", .staging),
        ("qa", .staging), ("pr-42", .preview), ("preview", .preview), ("ci", .ci), ("test", .ci), ("dev", .local),
    ])
    func kinds(_ name: String, _ kind: EnvironmentName.Kind) {
        let env = EnvironmentName(config: ResolvedConfig(["ENVIRONMENT": name]))
        #expect(env.kind == kind && env.warning == nil)
    }

    @Test func unknownAndNodeEnvWarn() {
        let unknown = EnvironmentName(config: ResolvedConfig(["ENV": "sandbox-7"]))
        #expect(unknown.kind == .local && unknown.warning != nil)
        let node = EnvironmentName(config: ResolvedConfig(["NODE_ENV": "production"]))
        #expect(node.kind == .production && node.warning == "NODE_ENV is a build mode; set ENVIRONMENT")
        #expect(EnvironmentName(config: ResolvedConfig(["NODE_ENV": "staging"])).kind == .local)
        #expect(EnvironmentName(config: ResolvedConfig(["ENVIRONMENT": "pr-x"])).kind == .local)
    }
}

@Suite("message concatenation")
struct MessageConcatenationTests {
    @Test func plusKeepsTheText() {
        let m: Message = "ab \(String("x"))"
        let joined: Message = m + "cd" + "ef"
        #expect(joined.text == "ab xcdef")
        #expect(joined == Message.trusted("ab xcdef"))
    }
}
