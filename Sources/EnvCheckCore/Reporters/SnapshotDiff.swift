/// `envcheck diff A B`: two snapshots compared (docs/snapshots.md). Four checks, each pass,
/// warn, fail or skip with its findings:
/// - `keys`: keys set in only one (warn `key_missing`).
/// - `secrets`: a secret (or URL password) with the same fingerprint in both environments
///   (fail `secret_reused`). Fingerprints made without a key, or with different keys, are
///   never compared: warn `secrets_not_compared`, never a pass.
/// - `resources`: the same database, bucket or Redis database on the same host in both
///   (fail `shared_resource`). Loopback and single-label hosts (`localhost`, `db`) name a
///   different machine or network in each environment and are not compared.
/// - `expect_equal`: the keys `--expect-equal` names differ or are missing in one (fail
///   `value_differs`; a secret compared by fingerprint).
/// `secrets` and `resources` are skipped when both snapshots name the same environment.
public struct SnapshotDiff: Sendable {
    public struct Finding: Sendable, Equatable {
        public let status: ProbeStatus
        public let code: String
        public let message: String
        public let keys: [String]
    }

    public struct Check: Sendable, Equatable {
        public let id: String
        public let status: ProbeStatus
        public let message: String
        public let findings: [Finding]
    }

    public struct Side: Sendable {
        public let path: String
        public let snapshot: Snapshot

        public init(path: String, snapshot: Snapshot) {
            self.path = path
            self.snapshot = snapshot
        }

        /// `staging.json (staging)`.
        var label: String { "\(path) (\(snapshot.environment.name ?? "no environment name"))" }
        var name: String { snapshot.environment.name ?? path }
    }

    public let a: Side
    public let b: Side
    public let checks: [Check]

    public init(_ a: Side, _ b: Side, expectEqual: [String]) {
        self.a = a
        self.b = b
        // NODE_ENV is a build mode, not an environment: two snapshots that only share it are
        // not known to be one environment.
        let named = { (s: Snapshot) in s.environment.key != "NODE_ENV" ? s.environment.name : nil }
        let sameEnvironment = named(a.snapshot) != nil && named(a.snapshot) == named(b.snapshot)
        checks = [
            Self.keys(a, b), sameEnvironment ? Self.skipped("secrets", "both are \(a.name): reuse is expected") : Self.secrets(a, b),
            sameEnvironment ? Self.skipped("resources", "both are \(a.name): sharing is expected") : Self.resources(a, b),
            Self.expectEqual(a, b, keys: expectEqual),
        ]
    }

    public var status: ProbeStatus {
        checks.contains { $0.status == .fail } ? .fail : checks.contains { $0.status == .warn } ? .warn : .pass
    }

    /// 0 unless a check failed, like `check`.
    public var exitCode: Int32 { status == .fail ? 1 : 0 }

    static func skipped(_ id: String, _ why: String) -> Check { Check(id: id, status: .skip, message: why, findings: []) }

    static func check(_ id: String, findings: [Finding], pass: String) -> Check {
        let status: ProbeStatus = findings.contains { $0.status == .fail } ? .fail : findings.isEmpty ? .pass : .warn
        let message = findings.isEmpty ? pass : findings.count == 1 ? findings[0].message : "\(findings.count) findings: " + findings[0].message + "; ..."
        return Check(id: id, status: status, message: message, findings: findings)
    }

    static func keys(_ a: Side, _ b: Side) -> Check {
        let inA = Set(a.snapshot.keys.map(\.key))
        let inB = Set(b.snapshot.keys.map(\.key))
        var findings: [Finding] = []
        for (side, only) in [(a, inA.subtracting(inB)), (b, inB.subtracting(inA))] where !only.isEmpty {
            let sorted = only.sorted()
            findings.append(
                Finding(status: .warn, code: "key_missing", message: "only in \(side.label): \(sorted.joined(separator: ", "))", keys: sorted))
        }
        return check("keys", findings: findings, pass: "the same \(inA.count) keys in both")
    }

    /// Whether fingerprints can be compared, or why not.
    static func comparable(_ a: Side, _ b: Side) -> String? {
        guard let ka = a.snapshot.keyID, let kb = b.snapshot.keyID else {
            return "secrets not compared (no shared key): make both snapshots with the same ENVCHECK_FINGERPRINT_KEY"
        }
        guard ka == kb else { return "secrets not compared: the snapshots were made with different fingerprint keys (\(ka), \(kb))" }
        return nil
    }

    static func secrets(_ a: Side, _ b: Side) -> Check {
        let secretKeys = (a.snapshot.keys + b.snapshot.keys).filter { $0.secret || $0.fingerprint != nil }
        guard !secretKeys.isEmpty else { return check("secrets", findings: [], pass: "no secret in either snapshot") }
        if let why = comparable(a, b) {
            return check("secrets", findings: [Finding(status: .warn, code: "secrets_not_compared", message: why, keys: [])], pass: "")
        }
        var inA: [String: [String]] = [:]
        var order: [String] = []
        for k in a.snapshot.keys {
            guard let f = k.fingerprint else { continue }
            if inA[f] == nil { order.append(f) }
            inA[f, default: []].append(k.key)
        }
        var inB: [String: [String]] = [:]
        for k in b.snapshot.keys { if let f = k.fingerprint, inA[f] != nil { inB[f, default: []].append(k.key) } }
        func names(_ keys: [String]) -> String {
            keys.count <= 3 ? keys.joined(separator: ", ") : keys.prefix(3).joined(separator: ", ") + " and \(keys.count - 3) more"
        }
        var findings: [Finding] = []
        // One finding per reused secret, however many keys hold it.
        for f in order {
            guard let keysA = inA[f], let keysB = inB[f] else { continue }
            let who =
                keysA == keysB && keysA.count == 1
                ? "\(keysA[0]) holds" : "\(names(keysA)) (\(a.name)) and \(names(keysB)) (\(b.name)) hold"
            findings.append(
                Finding(
                    status: .fail, code: "secret_reused", message: "\(who) the same secret in \(a.name) and \(b.name) (\(f)): give each environment its own",
                    keys: Array(Set(keysA + keysB)).sorted()))
        }
        let compared = a.snapshot.keys.count { $0.fingerprint != nil }
        let unfingerprinted = secretKeys.count { $0.fingerprint == nil }
        let pass =
            "no secret is the same in \(a.name) and \(b.name) (\(compared) compared"
            + (unfingerprinted > 0 ? "; \(unfingerprinted) too short to fingerprint)" : ")")
        return check("secrets", findings: findings, pass: pass)
    }

    /// A host that names the same machine in any two environments.
    static func isShared(host: String) -> Bool {
        !HostPort.isLoopback(host) && (host.contains(".") || host.contains(":"))
    }

    static func resources(_ a: Side, _ b: Side) -> Check {
        struct Place: Hashable {
            let what: String, host: String, port: Int?, name: String
            init(_ r: ProbeResource) { (what, host, port, name) = (r.what, r.host.lowercased(), r.port, r.name) }
        }
        var inB: [Place: Snapshot.Resource] = [:]
        for rb in b.snapshot.resources where inB[Place(rb.resource)] == nil { inB[Place(rb.resource)] = rb }
        var reported = Set<Place>()
        var findings: [Finding] = []
        for ra in a.snapshot.resources where isShared(host: ra.resource.host) {
            guard let rb = inB[Place(ra.resource)], reported.insert(Place(ra.resource)).inserted else { continue }
            let r = ra.resource
            let place = r.port.map { "\(r.host):\($0)" } ?? r.host
            findings.append(
                Finding(
                    status: .fail, code: "shared_resource",
                    message:
                        "\(a.name) and \(b.name) use the same \(r.what) \(r.name) on \(place) (\(r.key == rb.resource.key ? r.key : r.key + ", " + rb.resource.key)): "
                        + "data crosses environments",
                    keys: Array(Set([r.key, rb.resource.key])).sorted()))
        }
        let count = a.snapshot.resources.count
        return check("resources", findings: findings, pass: "no database, bucket or Redis database shared (\(count) in \(a.name))")
    }

    static func expectEqual(_ a: Side, _ b: Side, keys: [String]) -> Check {
        guard !keys.isEmpty else { return skipped("expect_equal", "no --expect-equal keys") }
        var findings: [Finding] = []
        for key in keys {
            let ka = a.snapshot.keys.first { $0.key == key }
            let kb = b.snapshot.keys.first { $0.key == key }
            guard let ka, let kb else {
                let place = ka == nil && kb == nil ? "in neither" : "only in \((ka == nil ? b : a).label)"
                findings.append(Finding(status: .fail, code: "value_differs", message: "\(key) must be equal in both, but is set \(place)", keys: [key]))
                continue
            }
            if ka.secret || kb.secret || ka.fingerprint != nil || kb.fingerprint != nil {
                if let why = comparable(a, b) {
                    findings.append(Finding(status: .warn, code: "secrets_not_compared", message: "\(key): \(why)", keys: [key]))
                } else if ka.fingerprint == nil || kb.fingerprint == nil {
                    findings.append(
                        Finding(status: .warn, code: "secrets_not_compared", message: "\(key): too short to fingerprint, not compared", keys: [key]))
                } else if ka.fingerprint != kb.fingerprint || ka.value != kb.value {
                    let what = ka.secret || kb.secret ? "a secret" : "its password"
                    findings.append(Finding(status: .fail, code: "value_differs", message: "\(key) differs (\(what): the fingerprints differ)", keys: [key]))
                }
                continue
            }
            if ka.value != kb.value {
                findings.append(
                    Finding(
                        status: .fail, code: "value_differs",
                        message: "\(key) differs: \(ka.value ?? "") in \(a.name), \(kb.value ?? "") in \(b.name)", keys: [key]))
            }
        }
        return check("expect_equal", findings: findings, pass: "\(keys.joined(separator: ", ")) equal in both")
    }
}

/// The diff's reports: human, JSON (`schemas/diff.schema.json`), and JUnit, Markdown and TAP
/// (one case, row or point per check).
extension SnapshotDiff {
    public func human(color: Bool) -> String {
        let paint = Paint(enabled: color)
        var lines = [TerminalText.oneLine("envcheck diff: \(a.label) vs \(b.label)")]
        let width = checks.map(\.id.count).max() ?? 0
        for c in checks {
            lines.append("\(paint.status(c.status))  \(c.id.padding(to: width))  \(TerminalText.oneLine(c.message))")
            if c.findings.count > 1 {
                for f in c.findings { lines.append("      \(paint.status(f.status))  \(f.code): \(TerminalText.oneLine(f.message))") }
            }
        }
        lines.append(summary(paint))
        return lines.joined(separator: "\n") + "\n"
    }

    /// `envcheck diff: FAIL - 1 failed · 0 warnings of 4 checks`.
    func summary(_ paint: Paint) -> String {
        let failed = checks.count { $0.status == .fail }
        let warned = checks.count { $0.status == .warn }
        let verdict = status == .fail ? paint.red("FAIL") : paint.green("PASS")
        return "envcheck diff: \(verdict) - \(failed) failed · \(warned) warning\(warned == 1 ? "" : "s") of \(checks.count) checks"
    }

    /// Each check as a result of kind `diff`, so that the JUnit, Markdown and TAP reports
    /// are those reporters' own.
    var rows: [ProbeResult] {
        checks.map { c in
            ProbeResult(
                id: c.id, kind: "diff", critical: false, status: c.status, durationMs: 0, attempts: 1, message: c.message,
                code: c.status == .fail || c.status == .warn ? ErrorCode(c.findings.first { $0.status == c.status }?.code ?? c.id) : nil,
                details: c.findings.isEmpty
                    ? JSONObject() : ["findings": .string(c.findings.map { "\($0.status.rawValue) \($0.code): \($0.message)" }.joined(separator: "\n"))])
        }
    }

    public func markdown() -> String {
        MarkdownReporter.table(
            title: TerminalText.oneLine("\(a.label) vs \(b.label): ") + summary(Paint(enabled: false)), rows: rows, counts: { $0.status.isPassing },
            timed: false, column: "check")
    }

    public func tap() -> String {
        TAPReporter.points(rows, counts: { $0.status.isPassing }, comments: ["\(a.label) vs \(b.label)", summary(Paint(enabled: false))])
    }

    public func json() -> String {
        func side(_ s: Side) -> JSONValue {
            .object([
                "file": .string(s.path), "environment": s.snapshot.environment.name.map(JSONValue.string) ?? .null,
                "kind": .string(s.snapshot.environment.kind), "fingerprint_key_id": s.snapshot.keyID.map(JSONValue.string) ?? .null,
            ])
        }
        var summary = JSONObject()
        summary["total"] = .int(checks.count)
        for s in [ProbeStatus.pass, .warn, .fail, .skip] { summary[s.rawValue] = .int(checks.count { $0.status == s }) }
        var body = JSONObject()
        body["a"] = side(a)
        body["b"] = side(b)
        body["summary"] = .object(summary)
        body["checks"] = .array(
            checks.map { c in
                .object([
                    "id": .string(c.id), "status": .string(c.status.rawValue), "message": .string(c.message),
                    "findings": .array(
                        c.findings.map { f in
                            .object([
                                "status": .string(f.status.rawValue), "code": .string(f.code), "message": .string(f.message),
                                "keys": .array(f.keys.map(JSONValue.string)),
                            ])
                        }),
                ])
            })
        return JSONWriter.write(.object(ReportEnvelope.json(mode: "diff", status: status == .fail ? "fail" : "pass", body: body))) + "\n"
    }

    public func junit(startedAtEpochMs: Int64, hostname: String) -> String {
        let cases = rows.map(JUnitReporter.testcase).joined()
        let counts = ReportEnvelope.JUnitCounts(
            tests: checks.count, failures: checks.count { $0.status == .fail }, errors: 0, skipped: checks.count { $0.status == .skip }, durationMs: 0)
        return ReportEnvelope.junit(mode: "diff", counts: counts, startedAtEpochMs: startedAtEpochMs, hostname: hostname, cases: cases)
    }
}
