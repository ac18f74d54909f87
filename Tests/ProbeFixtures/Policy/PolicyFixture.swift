import TestSupport

/// policy: an admin token, a signing key and a deployment credential, all canaries, in a
/// staging environment where every rule that reads them fails: its findings name the keys,
/// never the values.
public enum PolicyFixture: ProbeFixture {
    public static let kind = "policy"

    public static func leaking(_ s: LeakServers) throws -> CanaryInputs {
        let token = Canary.make("roottoken")
        let signing = Canary.make("signingkey")
        let infra = Canary.make("dokploykey")
        return CanaryInputs(
            inputs: ["root_token": token, "signing_key": signing, "infra_credentials": infra],
            extraEnvironment: ["ENVIRONMENT": "staging", "GITLAB_ADMIN_TOKEN": token + "-admin"],
            canaries: [token, signing, infra, token + "-admin"])
    }

    /// It reads the configuration only: it has no network step to hang.
    public static func hung(port: Int, dir: TempDir) throws -> [String: String]? { nil }
}
