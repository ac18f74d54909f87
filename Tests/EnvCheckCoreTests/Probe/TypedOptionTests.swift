import Testing

@testable import EnvCheckCore

/// Typed options: a kind lists the descriptor it reads through, values come back typed with
/// `${VAR}` filled in, and the map-of-strings type is parsed and checked from manifests.
@Suite struct TypedOptionTests {
    struct Stub: Probe {
        func check(_ context: ProbeContext) async throws -> ProbeOutcome { .pass("ok") }
    }

    static let headers = ProbeOption.stringMap("headers", "request headers")
    static let retries = ProbeOption.number("retries", "how often")
    static let grace = ProbeOption.duration("grace", "how long")
    static let paths = ProbeOption.stringList("paths", "where")
    static let strict = ProbeOption.bool("strict", "whether")
    static let label = ProbeOption.string("label", "what")

    /// A kind that declares its options through the typed descriptors and reports what it read.
    static let web = ProbeKind(
        kind: "web", summary: "web", critical: false, inputs: [ProbeInput("url", keys: ["WEB_URL"])],
        options: [headers, retries, grace, paths, strict, label]
    ) { settings in
        .notConfigured("\(settings[headers]?.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",") ?? "none")")
    }
    static let registry = ProbeRegistry([web])

    func settings(_ options: JSONObject, _ config: [String: String] = [:]) -> ProbeSettings {
        ProbeSettings(id: "web", config: ResolvedConfig(config), options: options)
    }

    @Test func theKindListsTheDescriptorsItReads() {
        #expect(Self.web.options.map(\.name) == ["headers", "retries", "grace", "paths", "strict", "label"])
        #expect(Self.web.options.map(\.type) == [.stringMap, .number, .duration, .stringList, .bool, .string])
        #expect(Self.web.options[0] == ProbeOption("headers", .stringMap, "request headers"))
        #expect(ProbeOption.common.map(\.name) == ["ca_file", "tls_verify", "cert_warn_days"])
    }

    @Test func valuesComeBackTypedWithTemplatesFilledIn() {
        let s = settings(
            [
                "retries": .int(3), "grace": "1m30s", "paths": .array(["/a", " ", " /b "]), "strict": "${STRICT}",
                "label": .int(7),
            ], ["STRICT": "yes"])
        #expect(s[Self.retries] == 3)
        #expect(s[Self.grace] == .seconds(90))
        #expect(s[Self.paths] == ["/a", "/b"])
        #expect(s[Self.strict] == true)
        #expect(s[Self.label] == "7")
        #expect(settings([:])[Self.retries] == nil, "unset is nil, not a default")
        #expect(settings(["retries": "${N}"], ["N": "2.5"])[Self.retries] == 2.5)
        #expect(settings(["retries": "${N}"], ["N": "many"])[Self.retries] == nil)
        #expect(settings(["strict": "maybe"])[Self.strict] == nil)
        #expect(settings(["tls_verify": "${V}"], ["V": "off"]).tlsVerify == false)
        #expect(settings(["tls_verify": "${V}"]).tlsVerify == true, "an unset variable never turns verification off")
        #expect(
            ProbeSettings(id: "x", config: ResolvedConfig([:]), options: ["ca_file": "/etc/ca.pem"], global: GlobalSettings(caFile: "/g.pem")).caFile
                == "/etc/ca.pem")
        #expect(ProbeSettings(id: "x", config: ResolvedConfig([:]), global: GlobalSettings(caFile: "/g.pem")).caFile == "/g.pem")
    }

    @Test func aKindsSetupKnowsWhichOptionsItDeclares() {
        let kind = ProbeKind(kind: "k", summary: "k", critical: false, inputs: [ProbeInput("a", keys: ["A"])], options: [Self.strict]) { settings in
            .notConfigured("\(label: settings.declaredOptions?.sorted().joined(separator: ",") ?? "unchecked")")
        }
        guard case .notConfigured(let message) = kind.setup(settings([:])) else {
            Issue.record("setup")
            return
        }
        #expect(message.text == "ca_file,cert_warn_days,strict,tls_verify")
        #expect(settings([:]).declaredOptions == nil, "settings built by hand are not checked")
    }

    @Test func aMapOfStringsIsReadFromTheManifestWithTemplates() throws {
        let specs = try loadManifest(
            """
            version: 1
            probes:
              - kind: web
                options:
                  headers:
                    Authorization: "Bearer ${WEB_TOKEN}"
                    X-Retries: 3
                    X-Env: ${APP_ENV:-dev}
            """, registry: Self.registry)
        #expect(specs[0].options["headers"] == .object(["Authorization": "Bearer ${WEB_TOKEN}", "X-Retries": "3", "X-Env": "${APP_ENV:-dev}"]))
        let read = settings(specs[0].options, ["WEB_TOKEN": "t0k3n"])[Self.headers]
        #expect(read == ["Authorization": "Bearer t0k3n", "X-Retries": "3", "X-Env": "dev"])
        guard case .notConfigured(let message) = Self.web.setup(settings(specs[0].options, ["WEB_TOKEN": "t0k3n", "APP_ENV": "prod"])) else {
            Issue.record("setup")
            return
        }
        #expect(message.text == "Authorization=Bearer t0k3n,X-Env=prod,X-Retries=3")
        // A map's `${VAR}` values are strings: OptionCheck lets them through, as for a string option.
        #expect(OptionCheck.failure(specs[0], kind: Self.web, config: ResolvedConfig([:])) == nil)
    }

    @Test(arguments: [
        ("headers: Bearer", "probes/m.yaml:5:16: option 'headers' of probe 'web' must be a mapping of names to strings, found a string"),
        ("headers: ${HEADERS}", "probes/m.yaml:5:16: option 'headers' of probe 'web' must be a mapping of names to strings, found a string"),
        ("headers:\n          - a", "probes/m.yaml:6:9: option 'headers' of probe 'web' must be a mapping of names to strings, found a list"),
        ("headers:\n          X-On: true", "probes/m.yaml:6:15: 'X-On' of option 'headers' of probe 'web' must be a string, found true/false"),
        ("headers:\n          X-On:", "probes/m.yaml:6:14: 'X-On' of option 'headers' of probe 'web' must be a string, found no value"),
        ("headers:\n          X-A:\n            b: c", "probes/m.yaml:7:11: 'X-A' of option 'headers' of probe 'web' must be a string, found a mapping"),
        ("headers:\n          X-A: ${OPEN", "probes/m.yaml:6:14: 'X-A' of option 'headers' of probe 'web': unterminated '${': close it with '}'"),
        ("headers:\n          X-A: a\n          X-A: b", "probes/m.yaml:7:9: duplicate key 'X-A' (first at line 6)"),
    ])
    func aBadMapNamesItsLine(_ yaml: String, _ expected: String) {
        let text = "version: 1\nprobes:\n  - kind: web\n    options:\n      \(yaml.replacing("\n          ", with: "\n        "))\n"
        #expect(manifestError(text, registry: Self.registry) == expected)
    }
}
