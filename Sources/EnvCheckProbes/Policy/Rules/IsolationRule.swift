import EnvCheckCore

/// `environment_isolation`: each environment has its own database, bucket, Redis and
/// public URLs. Outside production, a database name or host, bucket, Redis URL or
/// NEXT_PUBLIC URL that names production is a staging app writing to production data; in
/// production, one that names staging, a preview (`pr-<N>`) or localhost is the reverse.
/// Names match whole words: `product_db` names nothing.
enum IsolationRule {
    static let productionWords: Set<Substring> = ["production", "prod", "prd", "live"]
    static let stagingWords: Set<Substring> = ["staging", "stage", "stg", "uat", "preview"]

    static let rule = PolicyRule(
        .environmentIsolation,
        summary: "no database, bucket, Redis or NEXT_PUBLIC URL of another environment (production's outside it; staging's, pr-N's or localhost in it)",
        hint: "point each environment at its own database, bucket, Redis and URLs (names are matched as whole words: product_db is fine)",
        severity: PolicyRule.severity(local: .fail, staging: .fail, production: .fail),
        examples: [
            RuleExample(
                config: ["ENVIRONMENT": "staging", "DATABASE_URL": "postgresql://app@db.internal/app_staging", "S3_BUCKET": "app-staging-uploads"],
                expect: nil, note: "staging's own"),
            RuleExample(
                config: ["ENVIRONMENT": "staging", "DATABASE_URL": "postgresql://app@db.internal/app_production"], expect: .fail,
                note: "staging on production's database"),
            RuleExample(config: ["ENVIRONMENT": "pr-17", "S3_BUCKET": "uploads-prod"], expect: .fail, note: "a preview on production's bucket"),
            RuleExample(
                config: ["ENVIRONMENT": "production", "NEXT_PUBLIC_API_URL": "https://api.staging.example.com"], expect: .fail,
                note: "production's frontend calling staging"),
            RuleExample(config: ["ENVIRONMENT": "production", "REDIS_URL": "redis://localhost:6379/0"], expect: .fail, note: "localhost in production"),
            RuleExample(
                config: ["ENVIRONMENT": "local", "DATABASE_URL": "postgresql://app@localhost/product_db"], expect: nil, note: "product is not prod"),
        ],
        check: check)

    /// What a value is: where it was read, and the names to judge.
    struct Place {
        let key: String
        /// "database", "host", "bucket", ...
        let what: String
        let name: String
    }

    /// The names worth judging: the database's name and host, the bucket, Redis's host,
    /// and the host of every NEXT_PUBLIC_* URL.
    static func places(_ c: PolicyContext) -> [Place] {
        var out: [Place] = []
        if let (key, url) = c.config.first(of: PostgresProbe.urlInput.keys), let parts = URLParts(url) {
            out.append(Place(key: key, what: "host", name: parts.host))
            if !parts.firstSegment.isEmpty { out.append(Place(key: key, what: "database", name: parts.firstSegment)) }
        }
        if let (key, bucket) = c.config.first(of: S3Config.Inputs.bucket.keys) { out.append(Place(key: key, what: "bucket", name: bucket)) }
        if let (key, url) = c.config.first(of: RedisProbe.urlInput.keys), let parts = URLParts(url) {
            out.append(Place(key: key, what: "host", name: parts.host))
        }
        for key in c.config.keys where key.hasPrefix(SecretPolicy.publicPrefix) {
            if let value = c.value(key), let parts = URLParts(value) { out.append(Place(key: key, what: "host", name: parts.host)) }
        }
        return out
    }

    /// Why `name` belongs to another environment than `kind`, or nil.
    static func foreign(_ name: String, what: String, in kind: EnvironmentName.Kind) -> String? {
        let tokens = PolicyNames.tokens(name)
        if kind != .production {
            return tokens.contains(where: productionWords.contains) ? "names production" : nil
        }
        if tokens.contains(where: stagingWords.contains) { return "names staging" }
        if zip(tokens, tokens.dropFirst()).contains(where: { $0 == "pr" && $1.allSatisfy(\.isNumber) }) { return "names a preview (pr-N)" }
        if what == "host", HostPort.isLoopback(name) { return "is localhost" }
        return nil
    }

    static func check(_ c: PolicyContext) -> RuleVerdict {
        let kind = c.environment.kind
        var problems: [Message] = []
        var keys: [String] = []
        for place in places(c) {
            guard let why = foreign(place.name, what: place.what, in: kind) else { continue }
            problems.append(
                why == "is localhost"
                    ? "\(key: place.key)'s \(label: place.what) is localhost" : "\(key: place.key)'s \(label: place.what) \(place.name) \(label: why)")
            if !keys.contains(place.key) { keys.append(place.key) }
        }
        guard !problems.isEmpty else { return .pass("no database, bucket, Redis or public URL of another environment") }
        return .broken(Message.joined(problems, separator: "; ") + ", but this is " + c.environment.described, keys: keys)
    }
}

extension ErrorCode {
    /// A value of another environment (production's outside it, staging's in it).
    static let environmentIsolation = ErrorCode("environment_isolation")
}
