import EnvCheckCore
import Testing

@testable import EnvCheckProbes

@Suite("Postgres connection keywords")
struct PostgresTargetTests {
    func keywords(_ raw: String, tls: TLSOptions = TLSOptions(), addresses: [String: [String]] = [:]) throws -> [String: String] {
        let target = try PostgresProbe.target(from: raw, key: "DATABASE_URL", tls: tls).get()
        return Dictionary(target.connectionKeywords(addresses: addresses), uniquingKeysWith: { a, _ in a })
    }

    /// The servers the per-target limit counts: one per host, in libpq's order.
    @Test func serversAreEachHostWithItsPort() throws {
        func servers(_ raw: String) throws -> [String] { try PostgresProbe.target(from: raw, key: "DATABASE_URL").get().servers }
        #expect(try servers("postgres://u:p@DB.Example:6543/x") == ["db.example:6543"])
        #expect(try servers("postgres://u:p@a:1,b:2/x") == ["a:1", "b:2"])
        #expect(try servers("postgres://u:p@a,b/x") == ["a:5432", "b:5432"])
        #expect(try servers("postgres://u@[::1]:5433/x") == ["[::1]:5433"])
        #expect(try servers("postgres://u@%2Frun%2Fpg/x") == ["unix:/run/pg/.s.PGSQL.5432"])
        #expect(try servers("postgres://u@/x?hostaddr=10.0.0.5") == ["10.0.0.5:5432"])
        #expect(try servers("postgres://u@db/x?hostaddr=10.0.0.5&port=6000") == ["10.0.0.5:6000"])
        #expect(try servers("postgres://u@/x?hostaddr=10.0.0.5,10.0.0.6") == ["10.0.0.5:5432", "10.0.0.6:5432"])
        let local = try servers("postgres:///x")
        #expect(local.count == 1 && local[0].hasPrefix("unix:/") && local[0].hasSuffix("/.s.PGSQL.5432"), "\(local)")
    }

    /// Every option libpq would fill from a PG* variable gets an explicit value, so the
    /// environment cannot change what is probed (service excepted: see PostgresTarget).
    @Test func everyEnvironmentBackedOptionIsPinned() throws {
        let k = try keywords("postgres://app@db/appdb")
        let envBacked = try #require(try? LibPQ.parse("").get()).filter { $0.envVar != nil && $0.keyword != "service" }
        #expect(envBacked.count >= 25)
        for option in envBacked {
            #expect(k[option.keyword] != nil, "\(option.keyword) (\(option.envVar ?? "")) is left to the environment")
        }
        #expect(k["service"] == nil)
        #expect(k["password"] == "")
        #expect(k["passfile"] == PostgresTarget.noPassfile)
        #expect(k["user"] == "app")
        #expect(k["dbname"] == "appdb")
        #expect(k["sslmode"] == "prefer")
        #expect(k["application_name"] == "envcheck")
        #expect(k["gssencmode"] == "disable")
        #expect(k["target_session_attrs"] == "any")
    }

    @Test func theURLWinsOverProbeDefaults() throws {
        let k = try keywords("postgres://app:pw@db/appdb?application_name=web&gssencmode=prefer&passfile=/etc/pgpass&sslmode=require")
        #expect(k["application_name"] == "web")
        #expect(k["gssencmode"] == "prefer")
        #expect(k["passfile"] == "/etc/pgpass")
        #expect(k["sslmode"] == "require")
        #expect(k["password"] == "pw")
    }

    @Test func aCAFileServesOnlyVerifyingModesWithoutTheirOwnRootCert() throws {
        let tls = TLSOptions(caFile: "/ca.pem")
        #expect(try keywords("postgres://db/x?sslmode=verify-full", tls: tls)["sslrootcert"] == "/ca.pem")
        #expect(try keywords("postgres://db/x?sslmode=verify-full&sslrootcert=/own.pem", tls: tls)["sslrootcert"] == "/own.pem")
        #expect(try keywords("postgres://db/x?sslmode=require", tls: tls)["sslrootcert"] == "")
    }

    @Test func tlsVerifyFalseRelaxesVerifyingModes() throws {
        let target = try PostgresProbe.target(
            from: "postgres://db/x?sslmode=verify-full", key: "DATABASE_URL",
            tls: TLSOptions(verify: false)
        ).get()
        #expect(target.value("sslmode") == "require")
        #expect(target.notes.contains("tls_verify is false: sslmode verify-full relaxed to require"))
    }

    @Test func resolvedNamesBecomeHostaddrsBesideTheirNames() throws {
        let k = try keywords("postgres://u:p@db:6432/x", addresses: ["db": ["10.0.0.1", "10.0.0.2"]])
        #expect(k["host"] == "db,db")
        #expect(k["hostaddr"] == "10.0.0.1,10.0.0.2")
        #expect(k["port"] == "6432,6432")
    }

    @Test func multiHostExpansionKeepsPortsAndLeavesUnresolvedNamesToLibpq() {
        let e = PostgresTarget.expand(host: "a,/sock,b", port: "1,2,3", addresses: ["a": ["10.0.0.1", "::1"], "b": []])
        #expect(e?.hosts == ["a", "a", "/sock", "b"])
        #expect(e?.ports == ["1", "1", "2", "3"])
        #expect(e?.hostaddrs == ["10.0.0.1", "::1", "", ""])
        #expect(PostgresTarget.expand(host: "a,b", port: "1,2,3", addresses: ["a": ["10.0.0.1"]]) == nil)
    }

    @Test func aGivenHostaddrOrSocketNeedsNoLookup() throws {
        let target = try PostgresProbe.target(from: "host=db hostaddr=10.0.0.9", key: "DATABASE_URL").get()
        #expect(target.namesToResolve.isEmpty)
        #expect(try PostgresProbe.target(from: "postgres:///x?host=/run/pg", key: "DATABASE_URL").get().namesToResolve.isEmpty)
    }

    @Test func conninfoQuotesEveryValue() {
        #expect(LibPQSession.conninfo([("password", "it's a \\ test"), ("host", "")]) == #"password='it\'s a \\ test' host=''"#)
    }
}
