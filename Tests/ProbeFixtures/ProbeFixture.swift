import TestSupport

/// What the generic tests (canary leaks, hung servers) need of one probe kind, declared
/// next to nothing but the kind's own test data: one file per kind, in a folder mirroring
/// the probe's. ``ProbeFixtures/all`` is keyed by kind; a registered kind without a fixture
/// fails the generic tests.
public protocol ProbeFixture {
    static var kind: String { get }
    /// Inputs (by input name) that send canaries to `servers`, which echo them back.
    static func leaking(_ servers: LeakServers) throws -> CanaryInputs
    /// Values only this kind takes that must be redacted too (a scheme-less endpoint, a
    /// userinfo with several `@`): each a route of its own.
    static func oddRoutes(_ servers: LeakServers) throws -> [CanaryInputs]
    /// Inputs that point the kind at a listener on `port` that accepts and never answers;
    /// nil for a kind that uses no network (it declares why in its fixture).
    static func hung(port: Int, dir: TempDir) throws -> [String: String]?
    /// Options for the hung-listener run (option → YAML value), such as `tls: true` for a
    /// kind whose plain connect already succeeds against a listener that never answers.
    static var hungOptions: [String: String] { get }
}

extension ProbeFixture {
    public static func oddRoutes(_ servers: LeakServers) throws -> [CanaryInputs] { [] }
    public static var hungOptions: [String: String] { [:] }
}

/// The hostile stand-ins every fixture may point at.
public struct LeakServers: Sendable {
    public let postgres: HostilePostgres
    public let redis: HostileRedis
    public let http: HTTPStubServer
    public let vault: HostileVault
    public let dir: TempDir

    public init() throws {
        postgres = try HostilePostgres()
        redis = try HostileRedis()
        http = try HostileHTTP.server()
        vault = try HostileVault()
        dir = try TempDir(prefix: "envcheck-leak")
    }
}

/// A kind's leaking configuration.
public struct CanaryInputs: Sendable {
    /// Input name → value holding canaries.
    public var inputs: [String: String]
    /// Other keys the run needs (not bound to an input), also holding canaries.
    public var extraEnvironment: [String: String]
    /// Every canary in the values.
    public var canaries: [String]
    /// The canaries the hostile server must have received (proof the route was exercised).
    public var mustReach: [String]
    /// What the hostile server received so far.
    public var received: @Sendable () -> [String]
    /// The probe's options in the manifest routes (option → YAML value, `${VAR}`
    /// references to `extraEnvironment` allowed; a block mapping starts with a newline and
    /// is indented by eight spaces): a kind whose secrets arrive through an
    /// option (HTTP headers) declares them here.
    public var options: [String: String]

    public init(
        inputs: [String: String], extraEnvironment: [String: String] = [:], canaries: [String], mustReach: [String] = [],
        options: [String: String] = [:], received: @escaping @Sendable () -> [String] = { [] }
    ) {
        self.inputs = inputs
        self.options = options
        self.extraEnvironment = extraEnvironment
        self.canaries = canaries
        self.mustReach = mustReach
        self.received = received
    }
}

/// Every fixture, by kind.
public enum ProbeFixtures {
    public static let all: [String: any ProbeFixture.Type] = {
        let fixtures: [any ProbeFixture.Type] = [
            PostgresFixture.self, S3Fixture.self, RedisFixture.self, OpenRouterFixture.self, NextPublicFixture.self, PolicyFixture.self,
            TCPFixture.self, HTTPFixture.self, VaultFixture.self, OTLPFixture.self,
        ]
        var byKind: [String: any ProbeFixture.Type] = [:]
        for fixture in fixtures { byKind[fixture.kind] = fixture }
        return byKind
    }()
}
