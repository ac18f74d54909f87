import Foundation
import TestSupport
import Testing

/// Common dev passwords (`postgres`, `redis`, `minioadmin`) must not wreck the output:
/// schemes, probe ids, key names and file paths stay readable, only the secret itself is
/// masked, and the weak password is reported as `weak_credential`.
@Suite("dev passwords")
struct DevPasswordTests {
    @Test func outputStaysReadableWithPostgresAsThePassword() async throws {
        let dir = try TempDir()
        let file = try dir.write(
            "postgres/.env",
            """
            DATABASE_URL=postgresql://postgres:postgres@127.0.0.1:\(try refusedPort())/postgres
            REDIS_URL=redis://:redis@127.0.0.1:\(try refusedPort())/0

            """)
        let check = try await EnvCheckBinary.run(["check", "--env-file", file, "--only", "postgres,redis", "--no-color"], directory: dir.path)
        #expect(check.stdout.contains("FAIL   postgres"), "\(check.stdout)")
        #expect(check.stdout.contains("redis "), "\(check.stdout)")
        let config = try await EnvCheckBinary.run(["config", "--env-file", file, "--only", "postgres,redis", "--no-color"], directory: dir.path)
        #expect(config.stdout.contains("postgresql://postgres:[redacted]@127.0.0.1"), "\(config.stdout)")
        #expect(config.stdout.contains("redis://:[redacted]@127.0.0.1"), "\(config.stdout)")
        #expect(config.stdout.contains("\(file):1"), "the file path stays readable: \(config.stdout)")
        #expect(config.stdout.contains("weak_credential: the secret is a well-known default"), "\(config.stdout)")
        #expect(!config.stdout.contains("[redacted]ql://"), "\(config.stdout)")
    }

    /// A working probe with a well-known secret: warn locally, fail in production, and
    /// healthcheck only mentions it (a container must not restart in a loop).
    @Test func aWeakSecretWarnsFailsInProductionAndHealthcheckMentionsIt() async throws {
        let stub = try HTTPStubServer { _ in
            .init(status: 200, headers: [("Content-Type", "application/xml")], body: "<ListBucketResult><KeyCount>0</KeyCount></ListBucketResult>")
        }
        let env = [
            "S3_ENDPOINT": stub.baseURL, "S3_BUCKET": "data", "S3_ACCESS_KEY": "minioadmin", "S3_SECRET_KEY": "minioadmin",
            "S3_FORCE_PATH_STYLE": "true",
        ]
        let local = try await EnvCheckBinary.run(["check", "--no-env-file", "--only", "s3", "--format", "json"], environment: env)
        #expect(local.status == 0 && local.stdout.contains("\"code\": \"weak_credential\"") && local.stdout.contains("\"status\": \"warn\""), "\(local.output)")
        var production = env
        production["ENVIRONMENT"] = "production"
        let strict = try await EnvCheckBinary.run(["check", "--no-env-file", "--only", "s3", "--format", "json"], environment: production)
        #expect(strict.status == 1 && strict.stdout.contains("\"code\": \"weak_credential\""), "\(strict.output)")
        #expect(!strict.stdout.contains("minioadmin"), "\(strict.stdout)")
        let health = try await EnvCheckBinary.run(["healthcheck", "--no-env-file", "--only", "s3"], environment: production)
        #expect(health.status == 0 && health.stdout.hasPrefix("healthy: s3") && health.stdout.contains("weak_credential"), "\(health.output)")
    }

    /// The value committed in .env.example is a weak credential too.
    @Test func theExampleValueIsWeak() async throws {
        let dir = try TempDir()
        let stub = try HTTPStubServer { _ in
            .init(status: 200, headers: [("Content-Type", "application/xml")], body: "<ListBucketResult><KeyCount>0</KeyCount></ListBucketResult>")
        }
        let secret = Canary.make("committed")
        _ = try dir.write(".env.example", "S3_SECRET_KEY=\(secret)\n")
        let env = [
            "S3_ENDPOINT": stub.baseURL, "S3_BUCKET": "data", "S3_ACCESS_KEY": "AKIAEXAMPLEKEY01", "S3_SECRET_KEY": secret,
            "S3_FORCE_PATH_STYLE": "true",
        ]
        let r = try await EnvCheckBinary.run(["check", "--no-env-file", "--only", "s3"], environment: env, directory: dir.path)
        #expect(r.stdout.contains("committed in .env.example") && !r.output.contains(secret), "\(r.output)")
    }
}
