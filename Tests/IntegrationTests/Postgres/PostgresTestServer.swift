import EnvCheckCore
import Foundation
import TestSupport

/// The cluster scripts/services/postgres.sh started, from the ENVCHECK_TEST_PG_* variables.
struct PostgresTestServer {
    let host: String
    let port: Int
    let user: String
    let password: String
    let db: String
    let socketDir: String
    let caFile: String
    let wrongCAFile: String

    init() throws {
        host = try TestEnvironment.require("ENVCHECK_TEST_PG_HOST")
        guard let port = Int(try TestEnvironment.require("ENVCHECK_TEST_PG_PORT")) else {
            throw TestServerError("ENVCHECK_TEST_PG_PORT is not a number")
        }
        self.port = port
        user = try TestEnvironment.require("ENVCHECK_TEST_PG_USER")
        password = try TestEnvironment.require("ENVCHECK_TEST_PG_PASSWORD")
        db = try TestEnvironment.require("ENVCHECK_TEST_PG_DB")
        socketDir = try TestEnvironment.require("ENVCHECK_TEST_PG_SOCKET_DIR")
        caFile = try TestEnvironment.require("ENVCHECK_TEST_PG_CA_FILE")
        wrongCAFile = try TestEnvironment.require("ENVCHECK_TEST_PG_WRONG_CA_FILE")
    }

    var encodedPassword: String { PercentEncoding.encode(password) }

    func url(host: String? = nil, port: Int? = nil, password: String? = nil, db: String? = nil, query: String = "") -> String {
        "postgres://\(user):\(PercentEncoding.encode(password ?? self.password))@\(host ?? self.host):\(port ?? self.port)/\(db ?? self.db)"
            + (query.isEmpty ? "" : "?" + query)
    }

    /// `psql -Atc 'select 1'` with only `environment` added: a plain libpq client, for
    /// control experiments. Returns its trimmed stdout. Waits off the cooperative pool.
    func psql(_ url: String, environment: [String: String]) async throws -> String {
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PG") }
        env.merge(environment) { _, new in new }
        let result = try await runProgram("/usr/lib/postgresql/15/bin/psql", ["-X", "-w", "-Atc", "select 1", url], environment: env)
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
