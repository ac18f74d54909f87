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
    let plan: NextPublicPlan
    let dependencies: Dependencies
    var workers = TreeScanner.defaultWorkers
    var chunkSize = TreeScanner.defaultChunkSize

    init(plan: NextPublicPlan, dependencies: Dependencies = .live) {
        self.plan = plan
        self.dependencies = dependencies
    }

    public func check(_ context: ProbeContext) async throws -> ProbeOutcome {
        let started = ContinuousClock.now
        let plan = self.plan
        let roots = BuildTree.roots(of: plan.buildDir)
        let staticDirectories = roots.filter { $0.area == .staticFiles }.map(\.relative)
        guard !staticDirectories.isEmpty else {
            throw ProbeFailure.misconfigured(
                .invalidConfig, "\(label: plan.buildDir) has no static/ directory: it is not the output of `next build`",
                hint: Self.codes[.invalidConfig]?.hint)
        }
        var scanner = TreeScanner(targets: ScanTargets(values: NextPublicFindings.searchForms(plan), secrets: plan.secrets.map(\.forms)))
        scanner.reader = dependencies.reader
        scanner.workers = workers
        scanner.chunkSize = chunkSize
        let scan = await scanner.scan(plan.buildDir, roots: roots, deadline: context.deadline)
        let durationMs = (ContinuousClock.now - started).milliseconds
        var details = Self.counts(scan: scan, durationMs: durationMs, plan: plan, staticDirectories: staticDirectories, workers: workers)
        let findings = NextPublicFindings(plan: plan, hits: scan.hits)
        let size = NextPublicVerdict.size(scan.bytesScanned)
        if scan.timedOut {
            details["leaks"] = .array(findings.leaks.map { .object(["key": .string($0.name), "file": .string($0.file)]) })
            throw ProbeFailure(
                .timeout, "scan stopped at the deadline after \(scan.filesScanned) files (\(size)) in \(durationMs)ms; \(scan.filesFound) found so far",
                hint: Self.codes[.timeout]?.hint, details: details)
        }
        findings.addDetails(to: &details, plan: plan)
        let scanned =
            "scanned \(scan.filesScanned) file\(scan.filesScanned == 1 ? "" : "s"), \(size)"
            + (scan.problems.isEmpty ? "" : ", \(scan.problems.count) unreadable")
        return try NextPublicVerdict(findings: findings, details: details, scanned: scanned).outcome()
    }

    static func counts(
        scan: TreeScanner.Result, durationMs: Int, plan: NextPublicPlan, staticDirectories: [String],
        workers: Int
    ) -> JSONObject {
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
