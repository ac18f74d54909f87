import EnvCheckCore
import Foundation
import TestSupport
import Testing

@testable import EnvCheckProbes

@Suite struct NextPublicLeakTests {
    @Test func secretsInChunksMapsAndPrerenderedPagesAreNamedNeverShown() async throws {
        let build = try NextBuildFixture()
        let s3 = Canary.make("s3")
        let openrouter = Canary.make("or")
        let dbPassword = Canary.make("pw") + "/x"
        let jwt = Canary.make("jwt")
        let cached = Canary.make("cache")
        try build.write("static/chunks/app/page.js", ChunkShapes.webpack(literals: ["https://api.shop.test", s3]))
        try build.write("static/chunks/app/page.js.map", "{\"sourcesContent\":[\"const jwt = '\(jwt)'\"]}")
        try build.write("server/app/index.html", "<html><script>self.__next_f.push([1,\"\(openrouter)\"])</script></html>")
        // JSON in an RSC payload escapes the slash inside the URL password.
        try build.write("server/app/account.rsc", "0:{\"db\":\"" + dbPassword.replacingOccurrences(of: "/", with: "\\/") + "\"}")
        try build.write("server/pages/about.json", "{\"pageProps\":{}}")
        // Never read: the webpack cache, and server bundles that legitimately hold secrets.
        try build.write("cache/webpack/client-production/0.pack", "\(s3) \(cached) \(openrouter)")
        try build.write("server/chunks/ssr/route.js", "const k=\"\(openrouter)\";")
        let config = [
            "NEXT_PUBLIC_API_URL": "https://api.shop.test", "S3_SECRET_KEY": s3, "OPENROUTER_API_KEY": openrouter,
            "DATABASE_URL": "postgres://app:\(dbPassword.replacingOccurrences(of: "/", with: "%2F"))@db:5432/app",
            "JWT_SECRET": jwt, "CACHE_TOKEN": cached, "SHORT_KEY": "abc1234",
        ]
        let result = await outcome(of: try build.probe(config))
        #expect(result.status == .fail)
        #expect(result.code == .secretLeaked)
        #expect(
            Set(result.details.located("leaks")) == [
                "S3_SECRET_KEY@static/chunks/app/page.js", "JWT_SECRET@static/chunks/app/page.js.map",
                "OPENROUTER_API_KEY@server/app/index.html", "DATABASE_URL (URL password)@server/app/account.rsc",
            ])
        #expect(result.message.contains("S3_SECRET_KEY in static/chunks/app/page.js"))
        #expect(!printed(result).contains("cache/"))
        #expect(Canary.leaks([s3, openrouter, dbPassword, jwt, cached, "abc1234"], in: printed(result)).isEmpty)
        #expect(result.details.array("secrets_checked").count == 5, "SHORT_KEY is under 8 characters")
    }

    @Test func credentialShapesLeakWithoutBeingConfigured() async throws {
        let build = try NextBuildFixture()
        let aws = "AKIA" + "Q3ZL7XW2PB5N6RTY"
        let openrouter = "sk-or-v1-" + String(repeating: "0a9f", count: 16)
        let pem = "-----BEGIN RSA PRIVATE KEY-----\\nMIIEowIBAAKCAQEA1x2y3z4AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"
        try build.write("static/chunks/vendor.js", "var a=\"\(aws)\",b=\"\(openrouter)\";")
        try build.write("static/chunks/pem.js", "const k=\"\(pem)\";")
        try build.write("server/pages/index.html", "<p>postgres://admin:hunter2secret@db.internal:5432/app</p>")
        // Look-alikes that are no leak.
        try build.write(
            "static/chunks/lib.js",
            """
            var x="AKIAIOSFODNN7EXAMPLE",h="-----BEGIN RSA PRIVATE KEY-----",u="postgres://user:${PASSWORD}@host",\
            t="task-or-something-longer-than-twenty",d="postgresql://localhost/db",w="XAKIAQ3ZL7XW2PB5N6RTY";
            """)
        let result = await outcome(of: try build.probe([:]))
        #expect(result.code == .secretLeaked)
        #expect(
            Set(result.details.located("leaks")) == [
                "aws_access_key_id@static/chunks/vendor.js", "openrouter_api_key@static/chunks/vendor.js",
                "pem_private_key@static/chunks/pem.js", "postgres_url_with_password@server/pages/index.html",
            ])
        #expect(Canary.leaks([aws, openrouter, "hunter2secret", "MIIEowIBAAKCAQEA"], in: printed(result)).isEmpty)
    }

    @Test func aSecretThatIsAlsoAPublicValueIsNoLeak() async throws {
        let build = try NextBuildFixture()
        let anon = Canary.make("anon")
        try build.write("static/chunks/main.js", ChunkShapes.webpack(literals: [anon]))
        let result = await outcome(of: try build.probe(["NEXT_PUBLIC_SUPABASE_ANON_KEY": anon, "SUPABASE_ANON_KEY": anon]))
        #expect(result.status == .pass, "\(result.message)")
        #expect(result.details.array("secrets_also_public") == ["SUPABASE_ANON_KEY"])
    }

    @Test func standaloneStaticIsScannedToo() async throws {
        let build = try NextBuildFixture()
        let secret = Canary.make("sa")
        try FileManager.default.removeItem(atPath: build.dir + "/static")
        try build.write("standalone/.next/static/chunks/main.js", ChunkShapes.webpack(literals: ["https://api.shop.test", secret]))
        try build.write("standalone/.next/server/app/index.html", "<html></html>")
        let result = await outcome(of: try build.probe(["NEXT_PUBLIC_API_URL": "https://api.shop.test", "API_SECRET": secret]))
        #expect(result.code == .secretLeaked)
        #expect(result.details.keyStatus("NEXT_PUBLIC_API_URL") == "baked")
        #expect(result.details.located("leaks") == ["API_SECRET@standalone/.next/static/chunks/main.js"])
        #expect(result.details.array("static_dirs") == ["standalone/.next/static"])
        #expect(Canary.leaks([secret], in: printed(result)).isEmpty)
    }
}
