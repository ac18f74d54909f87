import EnvCheckCore
import ProbeTestSupport
import TestSupport
import Testing

@testable import EnvCheckProbes

/// A scripted Vault: each path's status and JSON body.
struct FakeVault: Sendable {
    var health = (200, #"{"initialized":true,"sealed":false,"standby":false,"performance_standby":false,"version":"1.15.4","cluster_name":"c1"}"#)
    var lookup = (200, #"{"data":{"policies":["default","app-read"],"ttl":2592000,"renewable":true,"display_name":"token-app","id":"SECRET"}}"#)
    var secrets: [String: (Int, String)] = [
        "secret/data/shop/production/api": (
            200, #"{"data":{"data":{"DB_PASSWORD":"pw-from-vault-1","API_KEY":"key-from-vault-2","EMPTY":""},"metadata":{"version":3}}}"#
        )
    ]

    var transport: FakeHTTPTransport {
        FakeHTTPTransport { request in
            let path = String(request.url.split(separator: "/v1/", maxSplits: 1).last ?? "")
            let (status, body): (Int, String) =
                switch path {
                case "sys/health": health
                case "auth/token/lookup-self": lookup
                default: secrets[path] ?? (404, #"{"errors":[]}"#)
                }
            return .success(HTTPResponse(status: status, body: Array(body.utf8)))
        }
    }
}

@Suite struct VaultProbeTests {
    let token = Canary.make("vtok")
    var config: [String: String] {
        [
            "VAULT_ADDR": "https://vault.internal:8200/", "VAULT_APP_TOKEN": token, "VAULT_PROJECT": "shop", "ENVIRONMENT": "production",
            "VAULT_COMPONENT": "api",
        ]
    }

    func run(
        _ vault: FakeVault = FakeVault(), config: [String: String]? = nil, options: JSONObject = JSONObject(), template: String? = nil,
        transport: FakeHTTPTransport? = nil
    ) async -> (ProbeOutcome, FakeHTTPTransport) {
        let transport = transport ?? vault.transport
        var dependencies = VaultProbe.Dependencies(transport: transport)
        if let template { dependencies.readFile = { _ throws(FileSystem.Failure) in Array(template.utf8) } }
        let settings = ProbeSettings(id: "vault", config: ResolvedConfig(config ?? self.config), options: options)
        let outcome: ProbeOutcome
        switch VaultProbe.kind(dependencies).setup(settings) {
        case .ready(let probe):
            outcome = await Runner.outcome(of: probe, ProbeContext(id: "vault", deadline: .after(.seconds(2)), timeout: .seconds(2)))
        case .invalid(let failure): outcome = failure.outcome
        case .notConfigured(let message): outcome = .skip(message)
        }
        #expect(VaultProbe.kind.undeclared(outcome.code, status: outcome.status) == nil, "\(outcome.code?.rawValue ?? "-")")
        // Rendered as the runner does: nothing of the token or of a value read survives.
        let rendered = Redactor(secrets: [token]).adding(outcome.revealed).result(
            id: "vault", kind: "vault", critical: false, outcome: outcome, durationMs: 0, attempts: 1)
        let text = rendered.message + (rendered.hint ?? "") + JSONWriter.write(.object(rendered.details))
        #expect(Canary.leaks([token, "pw-from-vault-1", "key-from-vault-2", "SECRET", "t-value", "m-value"], in: text).isEmpty, "\(text)")
        return (outcome, transport)
    }

    @Test func aHealthyVaultAGoodTokenAndTheDefaultPathPass() async {
        let (outcome, transport) = await run()
        #expect(outcome.status == .pass, "\(outcome.message)")
        #expect(
            outcome.message.text
                == "Vault 1.15.4 (active) at vault.internal:8200; token ok (policies default, app-read; expires in 30d, renewable); secret/data/shop/production/api readable (3 keys)"
        )
        #expect(outcome.details["policies"] == .array(["default", "app-read"]) && outcome.details["standby"] == false)
        #expect(outcome.details["paths"] == .array(["secret/data/shop/production/api"]) && outcome.details["version"] == "1.15.4")
        #expect(outcome.revealed.sorted() == ["", "key-from-vault-2", "pw-from-vault-1"])
        let requests = transport.requests
        #expect(
            requests.map(\.url) == [
                "https://vault.internal:8200/v1/sys/health", "https://vault.internal:8200/v1/auth/token/lookup-self",
                "https://vault.internal:8200/v1/secret/data/shop/production/api",
            ])
        #expect(requests[0].headers.first { $0.name == "X-Vault-Token" } == nil, "health needs no token")
        #expect(requests[1].headers.first { $0.name == "X-Vault-Token" }?.value == token)
        #expect(requests[2].headers.first { $0.name == "X-Vault-Namespace" } == nil)
    }

    @Test func theNamespaceTravelsWithTheToken() async {
        var config = self.config
        config["VAULT_NAMESPACE"] = "team-a"
        let (_, transport) = await run(config: config)
        #expect(transport.requests.dropFirst().allSatisfy { $0.headers.contains { $0.name == "X-Vault-Namespace" && $0.value == "team-a" } })
    }

    @Test func healthStatusesMapToCodes() async {
        var vault = FakeVault()
        vault.health = (503, #"{"initialized":true,"sealed":true,"standby":true,"version":"1.15.4"}"#)
        let (sealed, _) = await run(vault)
        #expect(sealed.status == .fail && sealed.code == .sealed && sealed.message.text.contains("is sealed"))
        vault.health = (501, #"{"initialized":false,"sealed":true}"#)
        #expect(await run(vault).0.code == .notInitialized)
        vault.health = (429, #"{"initialized":true,"sealed":false,"standby":true,"version":"1.15.4"}"#)
        let (standby, _) = await run(vault)
        #expect(standby.status == .pass && standby.details["standby"] == true && standby.message.text.hasPrefix("Vault 1.15.4 (standby)"))
        vault.health = (473, #"{"initialized":true,"sealed":false,"standby":true,"performance_standby":true,"version":"1.15.4"}"#)
        #expect(await run(vault).0.details["performance_standby"] == true)
        vault.health = (474, #"{"initialized":true,"sealed":false,"standby":true}"#)
        let cutOff = await run(vault).0
        #expect(cutOff.code == .upstreamError && cutOff.message.text.contains("cannot reach the active node"))
        vault.health = (200, "<html>proxy</html>")
        #expect(await run(vault).0.code == .upstreamError)
    }

    @Test func theTokenIsJudged() async {
        var vault = FakeVault()
        vault.lookup = (403, #"{"errors":["permission denied"]}"#)
        let (invalid, _) = await run(vault)
        #expect(invalid.code == .invalidToken && invalid.message.text.hasSuffix("rejected the token in VAULT_APP_TOKEN: permission denied"))
        vault.lookup = (200, #"{"data":{"policies":["root"],"ttl":0,"renewable":false,"id":"SECRET"}}"#)
        let (root, _) = await run(vault)
        #expect(root.status == .fail && root.code == .rootToken)
        vault.lookup = (200, #"{"data":{"policies":["app"],"ttl":7200,"renewable":false}}"#)
        let (expiring, _) = await run(vault)
        #expect(expiring.status == .warn && expiring.code == .tokenExpiring, "\(expiring.message)")
        #expect(expiring.hint?.text.hasPrefix("the token expires in 2h and is not renewable") == true)
        #expect(await run(vault, options: ["token_warn_ttl": "1h"]).0.status == .pass)
        vault.lookup = (200, #"{"data":{"policies":["app"],"ttl":7200,"renewable":true}}"#)
        #expect(await run(vault).0.status == .pass)  // the agent renews it
    }

    @Test func theSecretPathIsJudged() async {
        var vault = FakeVault()
        vault.secrets["secret/data/shop/production/api"] = (403, #"{"errors":["1 error occurred:\n\t* permission denied\n\n"]}"#)
        let (denied, _) = await run(vault)
        #expect(denied.code == .permissionDenied && denied.message.text.hasPrefix("the token may not read secret/data/shop/production/api (403): 1 error"))
        vault.secrets = [:]
        let (missing, _) = await run(vault)
        #expect(missing.code == .noSuchSecret && missing.message.text == "nothing is stored at secret/data/shop/production/api (404)")
    }

    @Test func keysMustBePresentAndNotEmptyAndOnlyTheirNamesAreShown() async {
        let (pass, _) = await run(options: ["keys": .array(["DB_PASSWORD", "API_KEY"])])
        #expect(pass.status == .pass && pass.message.text.hasSuffix("secret/data/shop/production/api has the 2 keys needed"))
        let (fail, _) = await run(options: ["keys": .array(["DB_PASSWORD", "EMPTY", "REDIS_URL"])])
        #expect(fail.code == .missingKeys)
        #expect(fail.message.text == "secret/data/shop/production/api lacks 2 of the 3 keys needed: EMPTY, REDIS_URL")
        #expect(fail.revealed.contains("pw-from-vault-1"))
        let (byPath, _) = await run(options: ["path": "/v1/secret/data/shop/production/api", "keys": .array(["API_KEY"])])
        #expect(byPath.status == .pass)
    }

    @Test func aTemplatesBlocksAreCheckedAtTheirOwnPaths() async {
        var vault = FakeVault()
        vault.secrets["secret/data/shop/production/worker"] = (200, #"{"data":{"data":{"QUEUE_URL":"amqp://x"},"metadata":{}}}"#)
        vault.secrets["kv/shop/legacy"] = (200, #"{"data":{"LEGACY_TOKEN":"t"}}"#)
        let template = """
            {{ with secret "secret/data/shop/production/api" }}
            DB_PASSWORD={{ .Data.data.DB_PASSWORD }}
            API_KEY={{ index .Data.data "API_KEY" }}
            {{ end }}
            {{ with secret "secret/data/shop/production/worker" }}QUEUE_URL={{ .Data.data.QUEUE_URL }}
            MISSING={{ .Data.data.NOT_THERE }}{{ end }}
            LEGACY={{ (secret "kv/shop/legacy").Data.LEGACY_TOKEN }}
            """
        let (outcome, transport) = await run(vault, options: ["template": "secrets.ctmpl"], template: template)
        #expect(outcome.code == .missingKeys, "\(outcome.message)")
        #expect(outcome.message.text == "secret/data/shop/production/worker lacks 1 of the 2 keys needed: NOT_THERE (secrets.ctmpl:6)")
        let read: [String] = transport.requests.dropFirst(2).map { String($0.url.split(separator: "/v1/").last ?? "") }
        #expect(read == ["secret/data/shop/production/api", "secret/data/shop/production/worker"])
        vault.secrets["secret/data/shop/production/worker"] = (200, #"{"data":{"data":{"QUEUE_URL":"amqp://x","NOT_THERE":"y"},"metadata":{}}}"#)
        let (pass, _) = await run(vault, options: ["template": "secrets.ctmpl"], template: template)
        #expect(pass.status == .pass, "\(pass.message)")
        #expect(pass.details["paths"]?.arrayValue?.count == 3)
    }

    /// A later path's failure still hides what earlier paths revealed, even when the server
    /// quotes it back; a huge TTL does not crash.
    @Test func valuesReadEarlierStayHiddenWhenALaterPathFails() async {
        var vault = FakeVault()
        vault.secrets["secret/data/shop/production/worker"] = (500, #"{"errors":["boom pw-from-vault-1"]}"#)
        vault.lookup = (200, #"{"data":{"policies":["app"],"ttl":1e300,"renewable":false}}"#)
        let template = """
            {{ with secret "secret/data/shop/production/api" }}DB={{ .Data.data.DB_PASSWORD }}{{ end }}
            {{ with secret "secret/data/shop/production/worker" }}Q={{ .Data.data.QUEUE_URL }}{{ end }}
            """
        let (outcome, _) = await run(vault, options: ["template": "t.ctmpl"], template: template)
        #expect(outcome.code == .upstreamError && outcome.revealed.contains("pw-from-vault-1"), "\(outcome.message)")
        vault.lookup = (200, #"{"data":{"policies":["app"],"ttl":-5,"renewable":false}}"#)
        #expect(await run(vault).0.details["token_ttl_s"] == 0)
    }

    @Test func aKVVersionOneSecretMayHaveAFieldNamedMetadata() async {
        var vault = FakeVault()
        vault.secrets["kv/app"] = (200, #"{"data":{"metadata":"m-value","data":"d-value","TOKEN":"t-value"}}"#)
        let (outcome, _) = await run(vault, options: ["path": "kv/app", "keys": .array(["TOKEN", "metadata"])])
        #expect(outcome.status == .pass, "\(outcome.message)")
        let (bad, _) = await run(vault, options: ["template": "t.ctmpl"], template: #"{{ with secret "secret/../sys/raw" }}A={{ .Data.data.A }}{{ end }}"#)
        #expect(bad.code == .invalidConfig && bad.message.text.contains("t.ctmpl:1"), "\(bad.message)")
    }

    @Test func setupSaysWhatIsMissing() async {
        #expect(await run(config: [:]).0.status == .skip)
        var noToken = config
        noToken["VAULT_APP_TOKEN"] = nil
        let (reading, _) = await run(config: noToken)
        #expect(reading.status == .error && reading.message.text.contains("needs a token"))
        let healthOnly: [String: String] = ["VAULT_ADDR": "http://vault:8200"]
        let (health, _) = await run(config: healthOnly)
        #expect(health.status == .pass && health.message.text.hasSuffix("no token set, so only its health was checked"))
        let (keysWithoutPath, _) = await run(config: ["VAULT_ADDR": "http://vault:8200", "VAULT_TOKEN": token], options: ["keys": .array(["A"])])
        #expect(keysWithoutPath.status == .error && keysWithoutPath.message.text.hasPrefix("keys needs a secret path"))
        #expect(await run(config: ["VAULT_ADDR": "vault:8200"]).0.code == .invalidURL)
        let (badPath, _) = await run(options: ["path": "secret/../sys/raw"])
        #expect(badPath.code == .invalidConfig)
        let (badTemplate, _) = await run(options: ["template": "t.ctmpl"], template: "{{ with secret \"x\" }}")
        #expect(badTemplate.status == .error && badTemplate.message.text.contains("t.ctmpl:1"), "\(badTemplate.message)")
    }

    @Test func ttlSpans() {
        #expect(VaultProbe.span(seconds: 30) == "30s" && VaultProbe.span(seconds: 600) == "10m" && VaultProbe.span(seconds: 7260) == "2h1m")
        #expect(VaultProbe.span(seconds: 86_400 * 3 + 3600) == "3d1h" && VaultProbe.span(seconds: 86_400) == "1d")
    }
}
