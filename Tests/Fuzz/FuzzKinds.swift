/// A registry for the manifest target: one kind with an input per use and an option of
/// every type, whose setup reads them all as real kinds do.
enum FuzzKinds {
    struct StubProbe: Probe {
        func check(_ context: ProbeContext) async throws -> ProbeOutcome { .pass("stub") }
    }

    static let name = ProbeOption.string("name", "a string"), flag = ProbeOption.bool("flag", "a bool")

    static let registry = ProbeRegistry([
        ProbeKind(
            kind: "svc", summary: "fuzz stand-in", critical: true,
            inputs: [ProbeInput("url", keys: ["DATABASE_URL"]), ProbeInput("token", keys: ["SECRET"])],
            options: [
                name.option, flag.option,
                ProbeOption("limit", .number, "a number"), ProbeOption("wait", .duration, "a duration"),
                ProbeOption("keys", .stringList, "a list"),
            ]
        ) { settings in
            guard settings.value(ProbeInput("url", keys: ["DATABASE_URL"])) != nil else { return .notConfigured("not set") }
            _ = settings[name]
            _ = settings[flag]
            _ = settings.tlsVerify
            _ = settings.caFile
            return .ready(StubProbe())
        },
        ProbeKind(kind: "other", summary: "fuzz stand-in", critical: false, inputs: []) { _ in .ready(StubProbe()) },
    ])
}
