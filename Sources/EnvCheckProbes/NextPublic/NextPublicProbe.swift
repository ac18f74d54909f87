import EnvCheckCore

/// Proves that a Next.js build carries this environment's public values and none of its
/// secrets, by scanning the build directory (docs/protocols.md §2).
///
/// - Expected values: every `NEXT_PUBLIC_*` key (or the manifest's `expect` list) minus
///   `ignore`; each must appear, raw or JS-escaped, in a `static/**/*.js` chunk.
/// - A surviving `.env.NEXT_PUBLIC_X` member expression in a client chunk means the key
///   was unset at `next build`.
/// - Secrets (secret-looking keys, URL passwords, at least 8 characters) and credential
///   shapes must appear nowhere under `static/` (source maps included) nor in prerendered
///   `server/{app,pages}` pages. `cache/` is never read.
///
/// pass: every value found, no leak. warn (`unverifiable`): some values are too short or
/// common to prove anything by search. fail: `secret_leaked`, `not_baked`, `not_inlined`,
/// `placeholder_value` (production or staging, a value empty or pointing at localhost or
/// example.com), `timeout` (with the counts so far). error (`invalid_config`): the
/// directory is not a build output. Keys read: `NEXT_BUILD_DIR` (after `--next-dir` and
/// the `dir` option; default `./.next`), `ENVIRONMENT`/`ENV`/`NODE_ENV`, every
/// `NEXT_PUBLIC_*` and every secret in the resolved configuration.
public struct NextPublicProbe: Probe {
    static let dirInput = ProbeInput("dir", keys: ["NEXT_BUILD_DIR"])
    static let environmentInput = ProbeInput("environment", keys: ["ENVIRONMENT", "ENV", "NODE_ENV"])

    public static let kind = ProbeKind(
        kind: "next_public",
        summary: "NEXT_PUBLIC_* values were baked into the Next.js build, and no server secret leaked into it",
        critical: false,
        inputs: [dirInput, environmentInput],
        options: [
            ProbeOption("dir", .string, "the Next.js build directory (default: NEXT_BUILD_DIR, else ./.next)"),
            ProbeOption("expect", .stringList, "the NEXT_PUBLIC_* keys to verify (default: every NEXT_PUBLIC_* key set)"),
            ProbeOption("ignore", .stringList, "NEXT_PUBLIC_* keys the frontend does not use"),
        ],
        setup: setup
    )

    let plan: NextPublicPlan
    var reader: any BuildFileReader = PosixBuildFileReader()
    var workers = TreeScanner.defaultWorkers
    var chunkSize = TreeScanner.defaultChunkSize

    init(plan: NextPublicPlan) { self.plan = plan }

    static func setup(_ settings: ProbeSettings) -> ProbeSetup {
        let (dir, source) = buildDirectory(settings)
        guard FileSystem.isDirectory(dir) else {
            return .notConfigured("no Next.js build directory at \(dir) (from \(source); set NEXT_BUILD_DIR or --next-dir)")
        }
        return .ready(NextPublicProbe(plan: NextPublicPlan(settings: settings, buildDir: dir)))
    }

    /// `--next-dir` > the `dir` option > `NEXT_BUILD_DIR` > `./.next`, and where it came from.
    static func buildDirectory(_ settings: ProbeSettings) -> (path: String, source: String) {
        func trimmed(_ path: String) -> String {
            var path = path
            while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
            return path
        }
        if let dir = settings.global.nextDir, !dir.isEmpty { return (trimmed(dir), "--next-dir") }
        if let dir = settings.stringOption("dir"), !dir.trimmingSpaces.isEmpty { return (trimmed(dir), "the dir option") }
        if let dir = settings.value(dirInput) { return (trimmed(dir.value), dir.key) }
        return ("./.next", "the default")
    }

    public func check(_ context: ProbeContext) async throws -> ProbeOutcome {
        let started = ContinuousClock.now
        let plan = self.plan
        let roots = BuildTree.roots(of: plan.buildDir)
        let staticDirectories = roots.filter { $0.area == .staticFiles }.map(\.relative)
        guard !staticDirectories.isEmpty else {
            throw ProbeFailure.misconfigured(.invalidConfig, "\(label: plan.buildDir) has no static/ directory: it is not the output of `next build`",
                                             hint: "point --next-dir, the dir option or NEXT_BUILD_DIR at the .next directory (with static/ copied in for standalone images)")
        }
        var scanner = TreeScanner(targets: ScanTargets(values: NextPublicFindings.searchForms(plan), secrets: plan.secrets.map(\.forms)))
        scanner.reader = reader
        scanner.workers = workers
        scanner.chunkSize = chunkSize
        let scan = await scanner.scan(plan.buildDir, roots: roots, deadline: context.deadline)
        let durationMs = (ContinuousClock.now - started).milliseconds
        var details = Self.counts(scan: scan, durationMs: durationMs, plan: plan, staticDirectories: staticDirectories, workers: workers)
        let findings = NextPublicFindings(plan: plan, hits: scan.hits)
        let size = NextPublicVerdict.size(scan.bytesScanned)
        if scan.timedOut {
            details["leaks"] = .array(findings.leaks.map { .object(["key": .string($0.name), "file": .string($0.file)]) })
            throw ProbeFailure(.timeout, "scan stopped at the deadline after \(scan.filesScanned) files (\(size)) in \(durationMs)ms; \(scan.filesFound) found so far",
                               hint: "a large build directory: raise --timeout (or the probe's timeout)", details: details)
        }
        findings.addDetails(to: &details, plan: plan)
        let scanned = "scanned \(scan.filesScanned) file\(scan.filesScanned == 1 ? "" : "s"), \(size)" + (scan.problems.isEmpty ? "" : ", \(scan.problems.count) unreadable")
        return try NextPublicVerdict(findings: findings, details: details, scanned: scanned).outcome()
    }

    static func counts(scan: TreeScanner.Result, durationMs: Int, plan: NextPublicPlan, staticDirectories: [String],
                       workers: Int) -> JSONObject {
        var details: JSONObject = [
            "build_dir": .string(plan.buildDir),
            "static_dirs": .array(staticDirectories.map(JSONValue.string)),
            "files_found": .int(scan.filesFound),
            "files_scanned": .int(scan.filesScanned),
            "bytes_scanned": .int(scan.bytesScanned),
            "scan_ms": .int(durationMs),
            "workers": .int(workers),
            "unreadable_files": .int(scan.problems.count),
        ]
        if !scan.problems.isEmpty {
            details["unreadable"] = .array(scan.problems.prefix(20).map { .object(["file": .string($0.file), "reason": .string($0.reason)]) })
        }
        if scan.symlinkedDirectoriesSkipped > 0 { details["symlinked_dirs_skipped"] = .int(scan.symlinkedDirectoriesSkipped) }
        return details
    }
}
