import EnvCheckProbes
import Foundation
import TestSupport
import Testing

/// What the registry-driven canary tests (Tests/LeakTests) do not cover: real servers
/// rejecting the canary secrets with their own error texts, and keyword or query-string
/// passwords shown as `password=[redacted]`. No canary may appear in stdout, stderr, the
/// JSON or JUnit files, in any command or format.
@Suite("secret leaks")
struct SecretLeakTests {
    struct Setup {
        let environment: [String: String]
        let envFile: String
        let canaries: [String]
    }

    /// A stub that answers every request with an error quoting the credentials it received.
    static func echoingStub() throws -> HTTPStubServer {
        try HTTPStubServer { request in
            let auth = request.header("authorization") ?? ""
            let token = request.header("x-amz-security-token") ?? ""
            if request.path.contains("/key") {
                return .json(401, #"{"error":{"code":401,"message":"No auth credentials found for \#(auth)"}}"#)
            }
            let body = "<?xml version=\"1.0\"?><Error><Code>InvalidAccessKeyId</Code><Message>The key in \(auth) \(token) does not exist</Message></Error>"
            return .init(status: 403, headers: [("Content-Type", "application/xml")], body: body)
        }
    }

    func setup(stub: HTTPStubServer, hung: HungListener, dir: TempDir) throws -> Setup {
        let pgPassword = Canary.make("pgpw")
        let redisPassword = Canary.make("redispw")
        let accessKey = "AKIA" + Canary.make("ak").uppercased().prefix(16)
        let secretKey = Canary.make("s3secret") + "/+="
        let sessionToken = Canary.make("s3token")
        let openRouterKey = "sk-or-v1-" + Canary.make("orkey")
        let fileSecret = Canary.make("filesecret")
        let nextSecret = Canary.make("nextsecret")
        // A Next.js build that leaked one secret into a client chunk.
        try dir.write(".next/static/chunks/app/page-1.js", "self.x=\"\(nextSecret)\";var r=n(3454);r.env.NEXT_PUBLIC_MISSING")
        let envFile = try dir.write(
            "vault.env",
            """
            export APP_SECRET_KEY="\(fileSecret)"
            LEAKED_TOKEN='\(nextSecret)'
            REDIS_URL=redis://default:\(redisPassword)@127.0.0.1:\(hung.port)/0

            """)
        let env = [
            "DATABASE_URL": "postgresql+psycopg2://app:\(pgPassword)@127.0.0.1:\(hung.port)/app?sslmode=disable",
            "S3_ENDPOINT": stub.baseURL, "S3_BUCKET": "bucket", "S3_ACCESS_KEY": accessKey, "S3_SECRET_KEY": secretKey,
            "AWS_SESSION_TOKEN": sessionToken,
            "OPENROUTER_API_KEY": openRouterKey, "OPENROUTER_BASE_URL": stub.baseURL + "/api/v1",
            "NEXT_BUILD_DIR": dir.path + "/.next", "NEXT_PUBLIC_API_URL": "https://api.example.org",
            "NODE_ENV": "production",
        ]
        let canaries = [pgPassword, redisPassword, accessKey, secretKey, sessionToken, openRouterKey, fileSecret, nextSecret]
        return Setup(environment: env, envFile: envFile, canaries: canaries)
    }

    /// The same against the real PostgreSQL and S3 servers, which reject the canary
    /// password and secret with their own error texts.
    @Test(.requires(.postgres, .s3)) func noCanaryWhenRealServersRejectTheSecrets() async throws {
        let stub = try Self.echoingStub()
        let hung = try HungListener()
        let dir = try TempDir()
        let s = try setup(stub: stub, hung: hung, dir: dir)
        var env = s.environment
        let live = try liveServices()
        let pgPassword = s.canaries[0]
        let url = live["DATABASE_URL"]!
        let userEnd = url.range(of: ":", range: url.range(of: "://")!.upperBound..<url.endIndex)!.lowerBound
        let at = url.range(of: "@")!.lowerBound
        env["DATABASE_URL"] = String(url[..<userEnd]) + ":" + pgPassword + String(url[at...])
        env["S3_ENDPOINT"] = live["S3_ENDPOINT"]
        env["S3_BUCKET"] = live["S3_BUCKET"]
        env["S3_ACCESS_KEY"] = live["S3_ACCESS_KEY"]
        let r = try await EnvCheckBinary.run(["check", "--no-env-file", "--format", "json"], environment: env, directory: dir.path)
        #expect(r.stdout.contains("\"auth_failed\""), "\(r.stdout)")
        #expect(r.stdout.contains("\"signature_mismatch\""), "\(r.stdout)")
        try await expectNoLeaks(Setup(environment: env, envFile: s.envFile, canaries: s.canaries), dir: dir)
    }

    /// Secrets outside a URL's userinfo: keyword conninfo and query-string passwords.
    @Test func connectionStringPasswordsAreNeverShown() async throws {
        let pg = Canary.make("kwpw")
        let redis = Canary.make("qpw")
        let env = [
            "DATABASE_URL": "host=127.0.0.1 port=\(try refusedPort()) user=app password=\(pg) dbname=app",
            "REDIS_URL": "redis://127.0.0.1:\(try refusedPort())/0?password=\(redis)",
        ]
        var everything = ""
        for arguments in [["config"], ["config", "--format", "json"], ["check", "--verbose"], ["check", "--format", "json"]] {
            let r = try await EnvCheckBinary.run(arguments + ["--no-env-file"], environment: env)
            everything += r.output
        }
        #expect(everything.contains("password=[redacted]"), "\(everything)")
        #expect(!everything.contains(pg) && !everything.contains(redis), "\(everything)")
    }

    func expectNoLeaks(_ s: Setup, dir: TempDir) async throws {
        let json = dir.path + "/report.json"
        let junit = dir.path + "/report.xml"
        let base = ["--env-file", s.envFile, "--timeout", "1s"]
        let runs: [[String]] = [
            ["check"] + base + ["--verbose", "--json", json, "--junit", junit],
            ["check"] + base + ["--format", "json", "--write-check"],
            ["check"] + base + ["--format", "junit"],
            ["check"] + base + ["--wait", "1500ms"],
            ["healthcheck"] + base,
            ["config", "--env-file", s.envFile],
            ["config", "--format", "json", "--env-file", s.envFile],
            ["list", "--env-file", s.envFile],
            ["snapshot", "--env-file", s.envFile],
            ["snapshot", "--all", "--check", "--env-file", s.envFile, "--timeout", "1s"],
        ]
        var outputs: [String] = []
        for arguments in runs {
            let r = try await EnvCheckBinary.run(arguments, environment: s.environment, directory: dir.path)
            #expect(r.status != 2, "\(arguments): \(r.stderr)")
            outputs.append("$ envcheck \(arguments.joined(separator: " "))\n\(r.stdout)\n\(r.stderr)")
        }
        let report = try String(contentsOfFile: json, encoding: .utf8)
        let parsed = try JSONSerialization.jsonObject(with: Data(report.utf8)) as? [String: Any]
        let kinds = Set((parsed?["probes"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String })
        #expect(kinds == Set(BuiltInProbes.registry.kinds.filter(\.inDefault).map(\.kind)) && kinds.count >= 6, "every default probe must run")
        outputs.append(report)
        outputs.append(try String(contentsOfFile: junit, encoding: .utf8))
        let everything = outputs.joined(separator: "\n")
        for canary in s.canaries {
            for form in [canary, canary.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? canary] {
                #expect(!everything.contains(form), "a secret leaked:\n\(everything)")
            }
        }
    }
}
