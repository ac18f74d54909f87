import EnvCheckCore

/// `infra_credentials_in_app`: credentials of the deployment itself (the PaaS API key, the
/// VPS's address and SSH key, a cloud token) are in the application's environment: whoever
/// gets into the app gets the infrastructure.
enum InfraCredentialsRule {
    /// The default list (the manifest option `infra_keys` replaces it).
    static let defaultKeys = [
        "DOKPLOY_API_KEY", "DOKPLOY_TOKEN", "COOLIFY_API_TOKEN", "VPS_HOST", "VPS_USER", "VPS_PASSWORD", "VPS_SSH_KEY",
        "SSH_PRIVATE_KEY", "DEPLOY_SSH_KEY", "DEPLOY_KEY", "HCLOUD_TOKEN", "DIGITALOCEAN_ACCESS_TOKEN", "CLOUDFLARE_API_TOKEN",
        "TF_API_TOKEN", "GITHUB_DEPLOY_TOKEN",
    ]

    static let rule = PolicyRule(
        .infraCredentialsInApp,
        summary: "no deployment credentials (DOKPLOY_API_KEY, VPS_HOST, SSH keys, cloud tokens; option infra_keys) in an application's environment",
        hint: "keep deployment credentials in the CI or deploy tool's secrets, not in the application's environment (list your own in the option infra_keys)",
        severity: PolicyRule.severity(local: .warn, staging: .fail, production: .fail),
        examples: [
            RuleExample(config: ["ENVIRONMENT": "production", "DATABASE_URL": "postgresql://app@db/app"], expect: nil, note: "the app's own settings only"),
            RuleExample(config: ["ENVIRONMENT": "production", "DOKPLOY_API_KEY": "dk_live_0123456789"], expect: .fail, note: "the PaaS key in production"),
            RuleExample(config: ["ENVIRONMENT": "local", "VPS_HOST": "203.0.113.7"], expect: .warn, note: "a VPS address on a laptop"),
        ],
        check: check)

    static func check(_ c: PolicyContext) -> RuleVerdict {
        let keys = c.values(PolicyProbe.infraInput, keys: c.options.infraKeys).map(\.key)
        guard !keys.isEmpty else { return .pass("no deployment credentials in the environment") }
        let names = Message.joined(keys.map { "\(key: $0)" as Message }, separator: ", ")
        return .broken(
            names + " " + (keys.count == 1 ? "is a deployment credential" : "are deployment credentials") + ", in an application's environment", keys: keys)
    }
}

extension ErrorCode {
    /// Deployment credentials are in the application's environment.
    static let infraCredentialsInApp = ErrorCode("infra_credentials_in_app")
}
