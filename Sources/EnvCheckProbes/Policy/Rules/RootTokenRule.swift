import EnvCheckCore

/// `root_token_in_app`: a Vault root token, or any token whose name marks it as an admin's,
/// is in the application's environment. An application reads its secrets with its own
/// narrow token; a root token there is a full takeover of Vault for anyone in the container.
enum RootTokenRule {
    /// Words of a key name that mark an admin's token when the name also says TOKEN.
    static let adminWords: Set<Substring> = ["ROOT", "ADMIN", "MASTER", "SUPERUSER"]

    static let rule = PolicyRule(
        .rootTokenInApp,
        summary: "no Vault root token or other admin token (VAULT_ROOT_TOKEN, *_ADMIN_TOKEN) in an application's environment",
        hint:
            "give the application its own Vault token with a narrow policy (VAULT_APP_TOKEN), remove the admin token from its environment, and revoke it if it was exposed",
        severity: PolicyRule.severity(local: .off, staging: .fail, production: .fail),
        examples: [
            RuleExample(config: ["ENVIRONMENT": "production", "VAULT_APP_TOKEN": "hvs.app-token-for-the-app"], expect: nil, note: "an app token only"),
            RuleExample(
                config: ["ENVIRONMENT": "production", "VAULT_ROOT_TOKEN": "hvs.root-token-value"], expect: .fail, note: "the root token in production"),
            RuleExample(config: ["ENVIRONMENT": "staging", "CONSUL_ADMIN_TOKEN": "c0ffee-admin-token"], expect: .fail, note: "an admin token by its name"),
            RuleExample(config: ["ENVIRONMENT": "local", "VAULT_ROOT_TOKEN": "root"], expect: nil, note: "a dev server's root token on a laptop"),
        ],
        check: check)

    /// The keys that hold an admin token: the option's list, else every set key whose
    /// name has the word TOKEN and one of ``adminWords``.
    static func adminKeys(_ c: PolicyContext) -> [String] {
        if let listed = c.options.adminTokenKeys { return listed }
        return c.config.keys.filter { key in
            let words = PolicyNames.words(key)
            return words.contains("TOKEN") && words.contains { adminWords.contains($0) }
        }
    }

    static func check(_ c: PolicyContext) -> RuleVerdict {
        let found = c.values(PolicyProbe.rootTokenInput, keys: adminKeys(c)).map(\.key)
        guard !found.isEmpty else { return .pass("no admin token in the environment") }
        let names = Message.joined(found.map { "\(key: $0)" as Message }, separator: ", ")
        return .broken(names + " " + (found.count == 1 ? "holds an admin token" : "hold admin tokens") + ", in an application's environment", keys: found)
    }
}

extension ErrorCode {
    /// A Vault root token or another admin token is in the application's environment.
    static let rootTokenInApp = ErrorCode("root_token_in_app")
}
