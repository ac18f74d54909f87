/// The deployment environment a configuration describes: the one reading every rule and
/// probe uses. `ENVIRONMENT` > `ENV` > `NODE_ENV`.
public struct EnvironmentName: Sendable, Equatable {
    /// What an environment is for; decides how strict the checks are.
    public enum Kind: String, Sendable, CaseIterable {
        case production, staging, preview, ci, local
    }

    /// The name as configured (nil: none of the keys is set).
    public let name: String?
    /// The key it was read from.
    public let key: String?
    public let kind: Kind
    /// Why the name is not a reliable guide, if it is not (an unknown name, `NODE_ENV` alone).
    public let warning: String?

    public init(config: ResolvedConfig) {
        if let (key, value) = config.first(of: ["ENVIRONMENT", "ENV"]) {
            self.init(name: value, key: key)
        } else if let value = config.nonEmpty("NODE_ENV") {
            // A build mode, not a deployment: it only tells production from the rest.
            let name = value.trimmingSpaces
            self.init(
                name: name, key: "NODE_ENV", kind: name.lowercased() == "production" ? .production : .local,
                warning: "NODE_ENV is a build mode; set ENVIRONMENT")
        } else {
            self.init(name: nil, key: nil, kind: .local, warning: nil)
        }
    }

    private init(name: String?, key: String?, kind: Kind, warning: String?) {
        self.name = name
        self.key = key
        self.kind = kind
        self.warning = warning
    }

    /// The environment `name` spells, read from `key` (a manifest may bind policy's
    /// environment input to another variable).
    public init(name value: String, key: String) {
        let name = value.trimmingSpaces
        if let kind = Self.kind(of: name) {
            self.init(name: name, key: key, kind: kind, warning: nil)
        } else {
            self.init(
                name: name, key: key, kind: .local,
                warning: "\(key) names an unknown environment; it counts as local (known: production, staging, preview, pr-<N>, ci, local)")
        }
    }

    /// The kind a name spells, nil when unknown.
    public static func kind(of name: String) -> Kind? {
        let n = name.lowercased()
        switch n {
        case "production", "prod", "prd", "live": return .production
        case "staging", "stage", "stg", "uat", "qa": return .staging
        case "preview": return .preview
        case "ci", "test": return .ci
        case "local", "dev", "development": return .local
        default:
            if n.hasPrefix("pr-"), n.count > 3, n.dropFirst(3).allSatisfy(\.isNumber) { return .preview }
            return nil
        }
    }

    /// How messages name it: `staging (ENVIRONMENT=stg)`, or `local (no environment name set)`.
    public var described: Message {
        guard let name, let key else { return "local (no environment name set)" }
        return "\(label: kind.rawValue) (\(key: key)=\(name))"
    }

    /// Production or staging, preview counted as staging: where weak settings fail.
    public var isProductionLike: Bool { kind == .production || kind == .staging || kind == .preview }
}
