import Testing

@testable import EnvCheckCore

@Suite("redaction")
struct RedactorTests {
    @Test func secretKeyNames() {
        for key in [
            "S3_SECRET_KEY", "OPENROUTER_API_KEY", "GITHUB_TOKEN", "DB_PASSWORD", "SMTP_PASS", "MYSQL_PASSWD",
            "GCP_CREDENTIALS", "TLS_PRIVATE_PEM", "aws_secret_access_key",
        ] {
            #expect(SecretPolicy.isSecretKey(key), "\(key)")
        }
        for key in ["DATABASE_URL", "S3_BUCKET", "NEXT_PUBLIC_API_KEY", "NEXT_PUBLIC_TOKEN_URL", "REDIS_URL", "NODE_ENV"] {
            #expect(!SecretPolicy.isSecretKey(key), "\(key)")
        }
    }

    @Test func urlPasswordsAreFoundAndMasked() {
        let text = "postgres://app:s3cr%40t@db:5432/x and redis://:pw1234@cache/0 and https://user@host/p?x=a:b@c"
        #expect(URLCredentials.passwords(in: text) == ["s3cr%40t", "pw1234"])
        #expect(URLCredentials.redact(text) == "postgres://app:[redacted]@db:5432/x and redis://:[redacted]@cache/0 and https://user@host/p?x=a:b@c")
    }

    @Test func scrubsEverySecretFormFromFreeText() {
        let config = ResolvedConfig([
            "S3_SECRET_KEY": "wJalrXUtnFEMI/K7MDENG",
            "DATABASE_URL": "postgres://app:p%40ss:word@db/app",
            "NEXT_PUBLIC_API_KEY": "public-value",
            "SHORT_TOKEN": "abc",
        ])
        let redactor = Redactor(config: config)
        #expect(redactor.scrub("sig for wJalrXUtnFEMI/K7MDENG failed") == "sig for [redacted] failed")
        #expect(redactor.scrub("encoded wJalrXUtnFEMI%2FK7MDENG") == "encoded [redacted]")
        // The driver may echo the decoded password.
        #expect(redactor.scrub("auth failed with p@ss:word") == "auth failed with [redacted]")
        #expect(redactor.scrub("uses public-value") == "uses public-value")
        // Too short to scrub without wrecking the text.
        #expect(redactor.scrub("abc abc") == "abc abc")
        // An echoed connection string loses its password even when the value is unknown.
        #expect(redactor.scrub("could not parse postgres://u:other@h/db") == "could not parse postgres://u:[redacted]@h/db")
    }

    @Test func scrubsResultsButNeverIdentifiers() {
        let redactor = Redactor(secrets: ["hunter2-secret"])
        let result = ProbeResult(
            id: "hunter2-secret", kind: "k", critical: true, status: .fail, durationMs: 1, attempts: 1,
            message: "bad hunter2-secret", code: ErrorCode("x"), hint: "try hunter2-secret",
            details: ["nested": .object(["list": .array(["hunter2-secret"])])])
        let scrubbed = redactor.scrub(result)
        #expect(scrubbed.id == "hunter2-secret")
        #expect(scrubbed.message == "bad [redacted]")
        #expect(scrubbed.hint == "try [redacted]")
        #expect(JSONWriter.write(.object(scrubbed.details)).contains("hunter2") == false)
    }

    @Test func longerSecretsFirst() {
        let redactor = Redactor(secrets: ["abcd", "abcdefgh"])
        #expect(redactor.scrub("abcdefgh") == "[redacted]")
    }

    @Test func secretTypeNeverPrints() {
        let s = Secret("value-1234")
        #expect("\(s)" == "[redacted]")
        #expect(String(reflecting: s) == "[redacted]")
        #expect(s.revealed == "value-1234")
    }

    @Test func percentEncoding() {
        #expect(PercentEncoding.encode("a b/c~") == "a%20b%2Fc~")
        #expect(PercentEncoding.encode("é") == "%C3%A9")
        #expect(PercentEncoding.decode("p%40ss%2") == "p@ss%2")
        #expect(PercentEncoding.isValid("a%20b"))
        #expect(!PercentEncoding.isValid("a%2"))
        #expect(!PercentEncoding.isValid("a%zz"))
    }
}

@Suite("credentials in connection strings")
struct ConnectionStringCredentialTests {
    @Test func keywordConninfoAndQueryPasswordsAreFoundAndMasked() {
        let conninfo = "host=db port=5432 user=app password=S3cretPW99 sslmode=require"
        #expect(URLCredentials.passwords(in: conninfo) == ["S3cretPW99"])
        #expect(URLCredentials.redact(conninfo) == "host=db port=5432 user=app password=[redacted] sslmode=require")
        let quoted = "host=db password = 'two words' dbname=x"
        #expect(URLCredentials.passwords(in: quoted) == ["two words"])
        #expect(URLCredentials.redact(quoted) == "host=db password = '[redacted]' dbname=x")
        let query = "postgres://app@h/app?sslmode=require&password=qpw1234&x=1"
        #expect(URLCredentials.passwords(in: query) == ["qpw1234"])
        #expect(URLCredentials.redact(query) == "postgres://app@h/app?sslmode=require&password=[redacted]&x=1")
        let redis = "redis://h/0?password=rpw5678&db=1 and rediss://u:upw999@h2/0?auth_token=tok12345"
        #expect(URLCredentials.passwords(in: redis) == ["rpw5678", "upw999", "tok12345"])
        #expect(URLCredentials.redact(redis) == "redis://h/0?password=[redacted]&db=1 and rediss://u:[redacted]@h2/0?auth_token=[redacted]")
    }

    @Test func ordinaryParametersAreLeftAlone() {
        let text = "host=db dbname=app sslmode=verify-full sslrootcert=/etc/ca.pem keyspace=k"
        #expect(URLCredentials.passwords(in: text).isEmpty)
        #expect(URLCredentials.redact(text) == text)
    }

    @Test func theRedactorKnowsThem() {
        let config = ResolvedConfig(["DATABASE_URL": "host=db password=S3cretPW99", "REDIS_URL": "redis://h/0?password=rpw5678"])
        let redactor = Redactor(config: config)
        #expect(redactor.scrub("failed for S3cretPW99 and rpw5678") == "failed for [redacted] and [redacted]")
    }
}

@Suite("hints keep their examples")
struct HintScrubTests {
    @Test func hintsLoseKnownSecretsButKeepURLShapes() {
        let redactor = Redactor(secrets: ["hunter2-secret"])
        let result = ProbeResult(
            id: "p", kind: "postgres", critical: true, status: .error, durationMs: 0, attempts: 1,
            message: "bad postgres://u:other@h/db", code: .invalidURL,
            hint: "write postgres://USER:PASSWORD@HOST/DB, not hunter2-secret")
        let scrubbed = redactor.scrub(result)
        #expect(scrubbed.message == "bad postgres://u:[redacted]@h/db")
        #expect(scrubbed.hint == "write postgres://USER:PASSWORD@HOST/DB, not [redacted]")
    }
}
