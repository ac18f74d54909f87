import Foundation
import Testing

/// Something a test needs beyond the package itself: a server scripts/test.sh starts, the
/// Python virtual environment it makes, a program from a Debian package, the release binary.
/// Tests say what they need with ``Testing/Trait/requires(_:sourceLocation:)``.
public struct TestRequirement: Sendable, CustomStringConvertible {
    /// What is needed, as the skip line names it.
    public let description: String
    let isMet: @Sendable (_ environment: [String: String]) -> Bool

    init(_ description: String, isMet: @escaping @Sendable (_ environment: [String: String]) -> Bool) {
        self.description = description
        self.isMet = isMet
    }

    /// Needs every variable in `names` set and not empty.
    static func variables(_ description: String, _ names: [String]) -> TestRequirement {
        TestRequirement(description) { environment in names.allSatisfy { !(environment[$0] ?? "").isEmpty } }
    }

    /// The PostgreSQL cluster scripts/services/postgres.sh starts (`ENVCHECK_TEST_PG_*`).
    public static let postgres = variables(
        "PostgreSQL (ENVCHECK_TEST_PG_*)",
        ["HOST", "PORT", "USER", "PASSWORD", "DB", "SOCKET_DIR", "CA_FILE", "WRONG_CA_FILE"].map { "ENVCHECK_TEST_PG_" + $0 })

    /// moto_server as S3, from scripts/services/moto.sh (`ENVCHECK_TEST_S3_*`).
    public static let s3 = variables(
        "S3 in moto (ENVCHECK_TEST_S3_*)",
        ["ENDPOINT", "ACCESS_KEY", "SECRET_KEY", "BUCKET", "REGION", "SESSION_ACCESS_KEY", "SESSION_SECRET_KEY", "SESSION_TOKEN"]
            .map { "ENVCHECK_TEST_S3_" + $0 })

    /// The virtual environment scripts/requirements-test.txt describes (`ENVCHECK_VENV`):
    /// jsonschema, boto3 and botocore.
    public static let venv = TestRequirement("the Python venv (ENVCHECK_VENV)") { environment in
        guard let venv = environment["ENVCHECK_VENV"], !venv.isEmpty else { return false }
        return FileManager.default.isExecutableFile(atPath: venv + "/bin/python")
    }

    /// The static-stdlib release binary, built as the Dockerfile builds it (`ENVCHECK_RELEASE_BIN`).
    public static let releaseBinary = TestRequirement("the release binary (ENVCHECK_RELEASE_BIN)") { environment in
        guard let path = environment["ENVCHECK_RELEASE_BIN"], !path.isEmpty else { return false }
        return FileManager.default.isExecutableFile(atPath: path)
    }

    /// The man page scripts/test.sh generates with scripts/man.sh, as the Dockerfile does
    /// (`ENVCHECK_MAN_PAGE`).
    public static let manPage = TestRequirement("the generated man page (ENVCHECK_MAN_PAGE)") { environment in
        guard let path = environment["ENVCHECK_MAN_PAGE"], !path.isEmpty else { return false }
        return FileManager.default.fileExists(atPath: path)
    }

    /// An executable at `path`, from the Debian package `package`.
    public static func program(_ path: String, package: String) -> TestRequirement {
        let name = URL(fileURLWithPath: path).lastPathComponent
        return TestRequirement("\(name) (Debian \(package))") { _ in
            FileManager.default.isExecutableFile(atPath: path)
        }
    }

    /// A serial run (`swift test --no-parallel`, as scripts/test.sh runs): the test measures
    /// time or races a short deadline, often against a server process it starts, and in a
    /// parallel run on a small machine the other tests starve the pool, its timers and the
    /// servers.
    public static let serialRun = TestRequirement("a serial run (swift test --no-parallel) for its deadlines") { _ in
        isSerial(CommandLine.arguments)
    }

    /// Whether the test process was asked to run its tests one at a time: `swift test` hands
    /// its arguments to the test process, where Swift Testing reads `--no-parallel` too.
    static func isSerial(_ arguments: [String]) -> Bool { arguments.contains("--no-parallel") }

    /// redis-server, which the Redis integration tests start themselves.
    public static let redisServer = program("/usr/bin/redis-server", package: "redis-server")
    /// The openssl command: test certificates and `openssl s_server`.
    public static let openssl = program("/usr/bin/openssl", package: "openssl")
    /// promtool (Debian's prometheus package): checks the metrics page.
    public static let promtool = program("/usr/bin/promtool", package: "prometheus")
    /// curl, as users' scripts read serve's status codes.
    public static let curl = program("/usr/bin/curl", package: "curl")
    /// A real Prometheus server, to scrape `envcheck serve`.
    public static let prometheus = program("/usr/bin/prometheus", package: "prometheus")
    /// nginx, which the http integration tests start themselves (`NginxTestServer`).
    public static let nginx = program("/usr/sbin/nginx", package: "nginx")

    /// What ``SchemaValidator/validateJSON(_:schema:)`` runs: jsonschema, in the venv.
    /// pydantic-settings and python-dotenv in ENVCHECK_VENV (scripts/requirements-test.txt),
    /// the real readers `envcheck keys` models.
    public static let pydanticSettings = venvPackage("pydantic_settings", "pydantic-settings")
    /// hvac, the real Vault client the vault stand-in's shapes are checked with.
    public static let hvac = venvPackage("hvac", "hvac")
    /// opentelemetry-proto, which decodes what the otlp probe exports.
    public static let opentelemetryProto = venvPackage("opentelemetry", "opentelemetry-proto")

    /// A package (its import directory `module`) in ENVCHECK_VENV's site-packages.
    static func venvPackage(_ module: String, _ name: String) -> TestRequirement {
        TestRequirement("\(name) (in ENVCHECK_VENV)") { environment in
            guard let venv = environment["ENVCHECK_VENV"], !venv.isEmpty else { return false }
            return FileManager.default.fileExists(atPath: venv + "/bin/python")
                && !((try? FileManager.default.contentsOfDirectory(atPath: venv + "/lib")) ?? []).flatMap { python in
                    ((try? FileManager.default.contentsOfDirectory(atPath: venv + "/lib/" + python + "/site-packages")) ?? []).filter {
                        $0 == module
                    }
                }.isEmpty
        }
    }

    public static let jsonSchemaValidator = TestRequirement("the JSON Schema validator (jsonschema in ENVCHECK_VENV)", isMet: venv.isMet)

    /// What ``SchemaValidator/validateJUnit(_:)`` runs: xmllint and the system python3.
    public static let junitSchemaValidator = TestRequirement("the JUnit validators (xmllint, /usr/bin/python3)") { _ in
        ["/usr/bin/xmllint", "/usr/bin/python3"].allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

/// The variable scripts/test.sh sets so that a missing requirement fails the test instead
/// of skipping it: the full run must not pass with anything left out.
public let requireAllVariable = "ENVCHECK_REQUIRE_ALL"

/// A requirement missing while ``requireAllVariable`` is set: the test fails with this.
public struct MissingRequirementError: Error, CustomStringConvertible {
    public let missing: [TestRequirement]
    public var description: String {
        "\(requireAllVariable) is set (scripts/test.sh sets it): this test must run, not be skipped, but it lacks "
            + missing.map(\.description).joined(separator: ", ")
    }
}

extension TestRequirement {
    /// The skip line's reason for a test that needs `requirements`.
    static func skipReason(_ requirements: [TestRequirement]) -> String {
        let names = requirements.map(\.description)
        let list = names.count < 2 ? names.joined() : names.dropLast().joined(separator: ", ") + " and " + names.last!
        return "needs \(list): run scripts/test.sh, which provides \(names.count < 2 ? "it" : "them")"
    }

    /// Whether a test that needs `requirements` runs in `environment`: true when all are met;
    /// false (skipped) when one is missing; throws (the test fails) when one is missing and
    /// ``requireAllVariable`` is set.
    static func evaluate(_ requirements: [TestRequirement], environment: [String: String]) throws(MissingRequirementError) -> Bool {
        let missing = requirements.filter { !$0.isMet(environment) }
        if missing.isEmpty { return true }
        if let value = environment[requireAllVariable], !value.isEmpty, value != "0" { throw MissingRequirementError(missing: missing) }
        return false
    }

    /// The condition trait, evaluated against what `environment` returns.
    static func condition(
        _ requirements: [TestRequirement], environment: @escaping @Sendable () -> [String: String],
        sourceLocation: SourceLocation
    ) -> ConditionTrait {
        .enabled(Comment(rawValue: skipReason(requirements)), sourceLocation: sourceLocation) {
            try evaluate(requirements, environment: environment())
        }
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs the test or suite only where `requirements` are met; elsewhere it is skipped with
    /// one line naming them and scripts/test.sh, which provides them. Under scripts/test.sh
    /// (``requireAllVariable``) a missing requirement fails the test instead.
    public static func requires(_ requirements: TestRequirement..., sourceLocation: SourceLocation = #_sourceLocation) -> Self {
        TestRequirement.condition(requirements, environment: { ProcessInfo.processInfo.environment }, sourceLocation: sourceLocation)
    }
}
