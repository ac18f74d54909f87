import EnvCheckCore
import Synchronization
import Testing

@testable import EnvCheckProbes

/// A scripted PostgreSQL session for unit tests: answers from `Script`, records what the
/// probe asked in a shared `Log`.
final class FakePostgresSession: PostgresSession, @unchecked Sendable {
    struct Script: Sendable {
        var connectError: PostgresError?
        var parameters: [String: String] = ["server_version": "15.18 (Debian 15.18-0+deb12u1)", "in_hot_standby": "off"]
        var tls: PostgresTLSInfo? = PostgresTLSInfo(protocolVersion: "TLSv1.3", cipher: "TLS_AES_256_GCM_SHA384")
        /// Answers by statement prefix; statements with no entry return no rows.
        var answers: [(prefix: String, result: Result<[[String?]], PostgresError>)] = [("SELECT 1", .success([["1"]]))]
        /// Echo the inserted value on `SELECT v FROM` (the write check's read-back).
        var echoInsert = true
        /// After a successful connect: the address reached, and those that failed first.
        var connectedAddress: String?
        var earlierAttempts: [PostgresAttempt] = []
    }

    final class Log: Sendable {
        private let state = Mutex<(keywords: [(String, String)], queries: [String])>(([], []))
        var keywords: [(String, String)] { state.withLock { $0.keywords } }
        var queries: [String] { state.withLock { $0.queries } }
        func connected(_ k: [(String, String)]) { state.withLock { $0.keywords = k } }
        func queried(_ q: String) { state.withLock { $0.queries.append(q) } }
        func keyword(_ name: String) -> String? { keywords.first { $0.0 == name }?.1 }
    }

    let script: Script
    let log: Log
    private var inserted: String?

    init(_ script: Script, log: Log) {
        self.script = script
        self.log = log
    }

    func connect(_ keywords: [(String, String)], deadline: Deadline) throws(PostgresError) {
        log.connected(keywords)
        if let error = script.connectError { throw error }
    }

    func query(_ sql: String, deadline: Deadline) throws(PostgresError) -> [[String?]] {
        log.queried(sql)
        if sql.hasPrefix("INSERT"), let open = sql.lastIndex(of: "(") {
            inserted = String(sql[open...].dropFirst(2).dropLast(2))
        }
        if let answer = script.answers.first(where: { sql.hasPrefix($0.prefix) }) { return try answer.result.get() }
        if script.echoInsert, sql.hasPrefix("SELECT v FROM"), let inserted { return [[inserted]] }
        return []
    }

    func parameter(_ name: String) -> String? { script.parameters[name] }
    var tls: PostgresTLSInfo? { script.tls }
    var user: String? { "app" }
    var database: String? { "appdb" }
    var host: String? { "db.internal" }
    var port: String? { "5432" }
    var connectedAddress: String? { script.connectedAddress }
    var earlierAttempts: [PostgresAttempt] { script.earlierAttempts }
}

extension PostgresProbe {
    /// A probe for `url` whose sessions follow `script`.
    static func fake(
        _ url: String, script: FakePostgresSession.Script = .init(), log: FakePostgresSession.Log,
        expectPrimary: Bool = false, tls: TLSOptions = TLSOptions(),
        resolve: @escaping @Sendable (String, Deadline) -> [String]? = { _, _ in ["10.1.2.3"] }
    ) throws -> PostgresProbe {
        let target = try PostgresProbe.target(from: url, key: "DATABASE_URL", tls: tls).get()
        return PostgresProbe(
            target: target, expectPrimary: expectPrimary, tlsVerify: tls.verify,
            dependencies: .init(session: { FakePostgresSession(script, log: log) }, resolve: resolve))
    }
}

/// A generous default: Swift Testing runs every suite at once on two cores, and these
/// tests are about logic, not time.
func context(timeout: Duration = .seconds(20), writeCheck: Bool = false) -> ProbeContext {
    ProbeContext(id: "postgres", deadline: .after(timeout), timeout: timeout, writeCheck: writeCheck)
}

/// Runs the probe as the runner does: a thrown failure becomes its outcome, whose code
/// must be one the kind declares.
func outcome(of probe: PostgresProbe, _ context: ProbeContext, sourceLocation: SourceLocation = #_sourceLocation) async -> ProbeOutcome {
    let outcome = await Runner.outcome(of: probe, context)
    #expect(PostgresProbe.kind.undeclared(outcome.code, status: outcome.status) == nil, sourceLocation: sourceLocation)
    return outcome
}
