import TestSupport

/// vault: the token reaches a stand-in that quotes it back as the token's name and policy,
/// and the secret it serves is quoted back too, in the token's name (HostileVault): the
/// probe passes, so that name is in every report, and only the values it read are there to
/// hide it (`ProbeOutcome.revealed`).
public enum VaultFixture: ProbeFixture {
    public static let kind = "vault"

    public static func leaking(_ s: LeakServers) throws -> CanaryInputs {
        let token = "hvs." + Canary.make("vaulttoken")
        return CanaryInputs(
            inputs: ["addr": s.vault.baseURL, "token": token, "project": "leak", "environment": "test", "component": "api"],
            canaries: [token, s.vault.storedValue], mustReach: [token], options: ["keys": "[API_KEY]"],
            received: { s.vault.tokens })
    }

    public static func hung(port: Int, dir: TempDir) throws -> [String: String]? {
        ["addr": "http://127.0.0.1:\(port)", "token": "hvs.hung"]
    }
}
