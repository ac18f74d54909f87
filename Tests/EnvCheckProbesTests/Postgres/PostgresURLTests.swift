import EnvCheckCore
import Foundation
import TestSupport
import Testing

@testable import EnvCheckProbes

@Suite("Postgres URL normalisation")
struct PostgresURLTests {
    func normalise(_ raw: String) throws -> PostgresURL.Normalised {
        try PostgresURL.normalise(raw, knownKeywords: LibPQ.keywords)
    }

    func target(_ raw: String, tls: TLSOptions = TLSOptions()) throws -> PostgresTarget {
        try PostgresProbe.target(from: raw, key: "DATABASE_URL", tls: tls).get()
    }

    @Test func plainURLsPassUnchanged() throws {
        for url in ["postgres://u:p@db:5432/app", "postgresql://u:p@db/app?sslmode=verify-full&sslrootcert=%2Fca.pem&target_session_attrs=read-write"] {
            let n = try normalise(url)
            #expect(n.text == url)
            #expect(n.notes.isEmpty)
        }
    }

    @Test(arguments: ["asyncpg", "psycopg", "psycopg2"])
    func sqlalchemyDriverSuffixIsStripped(driver: String) throws {
        let n = try normalise("postgresql+\(driver)://u:p@db:5432/app?sslmode=require")
        #expect(n.text == "postgresql://u:p@db:5432/app?sslmode=require")
        #expect(n.notes == ["dropped the driver suffix +\(driver)"])
        #expect(try target("postgresql+\(driver)://u:p@db:5432/app").value("host") == "db")
    }

    @Test func jdbcPrefixIsStripped() throws {
        let n = try normalise("jdbc:postgresql://db:5432/app?user=u&password=p&ssl=true&currentSchema=s")
        #expect(n.text == "postgresql://db:5432/app?user=u&password=p&sslmode=require")
        #expect(n.notes.contains("dropped the jdbc: prefix"))
        #expect(n.notes.contains("dropped the query parameter currentSchema (not a libpq option)"))
        let t = try target("jdbc:postgresql://db:5432/app?user=u&password=p&ssl=true")
        #expect(t.value("user") == "u")
        #expect(t.value("sslmode") == "require")
        #expect(t.password.revealed == "p")
    }

    @Test func unknownQueryParametersAreDroppedWithANote() throws {
        let n = try normalise("postgresql://u:p@db/app?schema=public&sslmode=require&connection_limit=5")
        #expect(n.text == "postgresql://u:p@db/app?sslmode=require")
        #expect(
            n.notes == [
                "dropped the query parameter schema (not a libpq option)",
                "dropped the query parameter connection_limit (not a libpq option)",
            ])
        let t = try target("postgresql://u:p@db/app?schema=public")
        #expect(t.notes.contains("dropped the query parameter schema (not a libpq option)"))
    }

    @Test func aQuestionMarkInThePasswordIsNotTheQuery() throws {
        let n = try normalise("postgres://u:pa?ss@db/app?schema=x&sslmode=require")
        #expect(n.text == "postgres://u:pa?ss@db/app?sslmode=require")
        #expect(try target("postgres://u:pa?ss@db/app").password.revealed == "pa?ss")
    }

    @Test func asyncpgSSLValuesBecomeSSLMode() throws {
        #expect(try normalise("postgresql+asyncpg://u:p@db/app?ssl=verify-full").text == "postgresql://u:p@db/app?sslmode=verify-full")
        #expect(try normalise("postgres://db/app?ssl=false").text == "postgres://db/app?sslmode=disable")
        #expect(try normalise("postgres://db/app?ssl=require&sslmode=verify-ca").text == "postgres://db/app?sslmode=verify-ca")
    }

    @Test func keywordValueStringsPassThrough() throws {
        let raw = "host=db port=5433 dbname=app user=u password='p w' sslmode=require"
        #expect(try normalise(raw).text == raw)
        let t = try target(raw)
        #expect(t.value("port") == "5433")
        #expect(t.password.revealed == "p w")
    }

    @Test func unixSocketHostsAndMultiHostURLsParse() throws {
        #expect(try target("postgres://u:p@%2Fvar%2Frun%2Fpostgresql/app").value("host") == "/var/run/postgresql")
        #expect(try target("postgres:///app?host=/tmp/pg").value("host") == "/tmp/pg")
        let multi = try target("postgresql://u:p@h1:5432,h2:5433/app?target_session_attrs=read-write")
        #expect(multi.value("host") == "h1,h2")
        #expect(multi.value("port") == "5432,5433")
        #expect(multi.value("target_session_attrs") == "read-write")
        #expect(multi.namesToResolve == ["h1", "h2"])
        #expect(try target("postgres://u:p@[::1]:5432/app").value("host") == "::1")
        #expect(try target("postgres://u:p@%2Ftmp/app").namesToResolve.isEmpty)
    }

    @Test func otherSchemesAreInvalid() {
        let result = PostgresProbe.target(from: "mysql://u:p@db/app", key: "DATABASE_URL")
        guard case .failure(let failure) = result else {
            Issue.record("mysql:// was accepted")
            return
        }
        #expect(failure.status == .error)
        #expect(failure.code == .invalidURL)
    }

    @Test(arguments: [
        "postgres://u:%@db/app?x",  // bad percent-encoding
        "postgres://u:PW@db:notaport/app",  // port
        "host=db password=PW 'unterminated",  // quoting
        "host=db password=PW nonsense",  // missing "="
        "postgres://u:PW@db/app?sslmode=require&password=PW&=broken",
        "host=db password='PW' bogus_option=1",  // unknown keyword
        "postgres://u:PW@db/app?%zz=1",
    ])
    func unparseableValuesAreInvalidAndNeverShowThePassword(template: String) throws {
        let canary = Canary.make("pg")
        let raw = template.replacingOccurrences(of: "PW", with: canary)
        let result = PostgresProbe.target(from: raw, key: "DATABASE_URL")
        guard case .failure(let failure) = result else { return }  // a few may parse: then nothing is shown
        #expect(failure.status == .error)
        #expect(failure.code == .invalidURL)
        #expect(failure.message.hasPrefix("DATABASE_URL is not a valid PostgreSQL URL or connection string"))
        #expect(failure.hint?.contains("postgres://") == true)
        let text = failure.message.text + (failure.hint?.text ?? "") + JSONWriter.write(.object(failure.details))
        #expect(Canary.leaks([canary], in: text).isEmpty, "leaked in: \(failure.message)")
    }

    @Test func quotedFragmentsOfLibpqsMessageAreElidedUnlessKeywords() {
        let canary = Canary.make("pw")
        let safe = PostgresURL.safeParseError(
            "missing \"=\" after \"\(canary)\" in connection info string",
            raw: "password=a \(canary)", knownKeywords: LibPQ.keywords)
        #expect(safe == "missing \"=\" after \"…\" in connection info string")
        let keyword = PostgresURL.safeParseError("invalid URI query parameter: \"sslmode\"", raw: "", knownKeywords: LibPQ.keywords)
        #expect(keyword == "invalid URI query parameter: \"sslmode\"")
    }
}
