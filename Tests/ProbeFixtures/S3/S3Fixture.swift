import TestSupport

/// s3: the access key and session token travel in headers a stand-in quotes back; the
/// secret key never travels, but must not be shown either.
public enum S3Fixture: ProbeFixture {
    public static let kind = "s3"

    public static func leaking(_ s: LeakServers) throws -> CanaryInputs {
        let access = "AKIA" + Canary.make("ak").uppercased().prefix(16)
        let secret = Canary.make("s3secret") + "/+="
        let token = Canary.make("s3token")
        return CanaryInputs(
            inputs: [
                "endpoint": s.http.baseURL, "bucket": "bucket", "access_key": access, "secret_key": secret,
                "session_token": token,
            ],
            canaries: [access, secret, token], mustReach: [access],
            received: { s.http.requests.flatMap { [$0.header("authorization") ?? "", $0.header("x-amz-security-token") ?? ""] } })
    }

    /// An endpoint written `user:password@host` without a scheme.
    public static func oddRoutes(_ s: LeakServers) throws -> [CanaryInputs] {
        let password = Canary.make("s3ep")
        let access = "AKIA" + Canary.make("ak2").uppercased().prefix(16)
        let secret = Canary.make("s3secret2")
        return [
            CanaryInputs(
                inputs: [
                    "endpoint": "minio:\(password)@127.0.0.1:\(s.http.port)", "bucket": "bucket",
                    "access_key": access, "secret_key": secret,
                ], canaries: [password, access, secret])
        ]
    }

    public static func hung(port: Int, dir: TempDir) throws -> [String: String]? {
        ["endpoint": "http://127.0.0.1:\(port)", "bucket": "bucket", "access_key": "AKIAHUNGTEST0000", "secret_key": "hung-secret-value"]
    }
}
