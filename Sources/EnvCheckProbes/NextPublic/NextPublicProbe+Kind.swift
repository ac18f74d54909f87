import EnvCheckCore

extension NextPublicProbe {
    static let dirInput = ProbeInput("dir", keys: ["NEXT_BUILD_DIR"])
    static let environmentInput = ProbeInput("environment", keys: ["ENVIRONMENT", "ENV", "NODE_ENV"])
    static let dirOption = ProbeOption.string("dir", "the Next.js build directory (default: NEXT_BUILD_DIR, else ./.next)")
    static let expectOption = ProbeOption.stringList("expect", "the NEXT_PUBLIC_* keys to verify (default: every NEXT_PUBLIC_* key set)")
    static let ignoreOption = ProbeOption.stringList("ignore", "NEXT_PUBLIC_* keys the frontend does not use")

    /// The probe's I/O: how build files are opened and read.
    struct Dependencies: Sendable {
        var reader: any BuildFileReader = PosixBuildFileReader()

        static let live = Dependencies()
    }

    public static let kind = kind(.live)

    /// The registry entry over `dependencies` (unit tests pass a failing or slow reader).
    static func kind(_ dependencies: Dependencies) -> ProbeKind {
        ProbeKind(
            kind: "next_public",
            summary: "NEXT_PUBLIC_* values were baked into the Next.js build, and no server secret leaked into it",
            critical: false,
            inputs: [dirInput, environmentInput],
            options: [dirOption, expectOption, ignoreOption],
            codes: codes,
            setup: { settings in setup(settings, dependencies) })
    }

    static let notInlinedHint = HintTemplate("<keys>") { (keys: String) in
        "set \(label: keys) when running `next build` and read each as process.env.NEXT_PUBLIC_X literally (not process.env[name]); "
            + "list unused keys in the probe's `ignore` option"
    }

    /// The most serious problem sets the code, in this order (NextPublicVerdict).
    static let codes: [ProbeCode] = [
        ProbeCode(
            .secretLeaked, .fail, meaning: "a server secret or a credential shape is in a file the browser can fetch, or a prerendered page",
            hint:
                "a server secret reached files the browser can download or prerendered pages: stop using it in client code and next.config `env`, rebuild, and rotate the secret"
        ).permanent,
        ProbeCode(
            .notBaked, .fail, meaning: "an expected NEXT_PUBLIC_* value is in no client chunk",
            hint:
                "the frontend was built with another value or none: NEXT_PUBLIC_* values are frozen at `next build`, so rebuild with this environment's values; list keys the frontend does not use in the probe's `ignore` option"
        ).permanent,
        ProbeCode(
            .notInlined, .fail, meaning: "a process.env.NEXT_PUBLIC_* reference survived in a client chunk (unset at next build)",
            hint: notInlinedHint
        ).permanent,
        ProbeCode(
            .placeholderValue, .fail, meaning: "production or staging: a NEXT_PUBLIC_* value is empty or points at localhost or example.com",
            hint: "set the real public values for this environment before `next build` (a browser cannot reach localhost or example.com)"
        ).permanent,
        ProbeCode(
            .unverifiable, .warn, meaning: "some values are too short, common or unset to prove anything by search",
            hint: "a value like \"1\" or \"true\" proves nothing when found: give such keys distinctive values, or list them in the probe's `ignore` option"),
        ProbeCode.timeout.with(
            meaning: "the scan stopped at the deadline (with the counts so far)",
            hint: "a large build directory: raise --timeout (or the probe's timeout)"),
        ProbeCode.invalidConfig.with(
            meaning: "the directory is not the output of next build (no static/), or an option is unusable",
            hint: "point --next-dir, the dir option or NEXT_BUILD_DIR at the .next directory (with static/ copied in for standalone images)"),
    ]

    static func setup(_ settings: ProbeSettings, _ dependencies: Dependencies) -> ProbeSetup {
        let (dir, source) = buildDirectory(settings)
        guard FileSystem.isDirectory(dir) else {
            return .notConfigured("no Next.js build directory at \(dir) (from \(source); set NEXT_BUILD_DIR or --next-dir)")
        }
        return .ready(NextPublicProbe(plan: NextPublicPlan(settings: settings, buildDir: dir), dependencies: dependencies))
    }

    /// `--next-dir` > the `dir` option > `NEXT_BUILD_DIR` > `./.next`, and where it came from.
    static func buildDirectory(_ settings: ProbeSettings) -> (path: String, source: String) {
        func trimmed(_ path: String) -> String {
            var path = path
            while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
            return path
        }
        if let dir = settings.global.nextDir, !dir.isEmpty { return (trimmed(dir), "--next-dir") }
        if let dir = settings[dirOption], !dir.trimmingSpaces.isEmpty { return (trimmed(dir), "the dir option") }
        if let dir = settings.value(dirInput) { return (trimmed(dir.value), dir.key) }
        return ("./.next", "the default")
    }
}
