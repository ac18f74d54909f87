import EnvCheckCore
import Foundation
import TestSupport
import Testing

@testable import EnvCheckProbes

@Suite struct NextPublicProbeTests {
    @Test func passesWhenEveryValueIsBakedInWebpackAndTurbopackChunks() async throws {
        let build = try NextBuildFixture()
        try build.write("static/chunks/app/page-1a2b3c.js", ChunkShapes.webpack(literals: ["https://api.shop.test/v1"]))
        try build.write("static/chunks/0f1e2d3c4b5a6978.js", ChunkShapes.turbopack(literals: ["G-7QX2LK9PZ1"]))
        let probe = try build.probe(["NEXT_PUBLIC_API_URL": "https://api.shop.test/v1", "NEXT_PUBLIC_GA_ID": "G-7QX2LK9PZ1"])
        let result = await outcome(of: probe)
        #expect(result.status == .pass, "\(result.message)")
        #expect(result.details.keyStatus("NEXT_PUBLIC_API_URL") == "baked")
        #expect(result.details.keyStatus("NEXT_PUBLIC_GA_ID") == "baked")
        #expect(result.details.int("files_scanned") == 2)
        #expect(result.details.int("bytes_scanned")! > 300)
        #expect(result.message.contains("2 NEXT_PUBLIC values baked"))
    }

    @Test func unicodeAndSlashValuesAreFoundInTheirEscapedForms() async throws {
        let build = try NextBuildFixture()
        // SWC/terser may write non-ASCII as \uXXXX (astral as a surrogate pair) and / as \/.
        try build.write(
            "static/chunks/app/layout.js",
            ChunkShapes.webpack(literals: [
                "Caf\\u00E9 Z\\u00FCrich \\uD83D\\uDE80", "S\\u00e3o Paulo", "https:\\/\\/cdn.shop.test\\/assets", "Ol\\xe1 \\\"mundo\\\"",
            ]))
        try build.write("static/chunks/raw.js", "var a=\"Åland ✓ öffnen\";")
        let probe = try build.probe([
            "NEXT_PUBLIC_SITE_NAME": "Café Zürich 🚀", "NEXT_PUBLIC_CITY": "São Paulo", "NEXT_PUBLIC_CDN": "https://cdn.shop.test/assets",
            "NEXT_PUBLIC_GREETING": "Olá \"mundo\"", "NEXT_PUBLIC_RAW": "Åland ✓ öffnen",
        ])
        let result = await outcome(of: probe)
        #expect(result.status == .pass, "\(result.message)")
        for key in ["NEXT_PUBLIC_SITE_NAME", "NEXT_PUBLIC_CITY", "NEXT_PUBLIC_CDN", "NEXT_PUBLIC_GREETING", "NEXT_PUBLIC_RAW"] {
            #expect(result.details.keyStatus(key) == "baked", "\(key)")
        }
    }

    @Test func aMissingValueIsNotBakedAndTheHintNamesIgnore() async throws {
        let build = try NextBuildFixture()
        try build.write("static/chunks/app/page.js", ChunkShapes.webpack(literals: ["https://staging-api.shop.test"]))
        let probe = try build.probe(["NEXT_PUBLIC_API_URL": "https://api.shop.test"])
        let result = await outcome(of: probe)
        #expect(result.status == .fail)
        #expect(result.code == .notBaked)
        #expect(result.message.contains("NEXT_PUBLIC_API_URL"))
        #expect(result.hint?.contains("`ignore`") == true)
        #expect(result.details.keyStatus("NEXT_PUBLIC_API_URL") == "not_baked")
    }

    @Test func ignoreAndExpectOptionsChooseTheKeys() async throws {
        let build = try NextBuildFixture()
        try build.write("static/chunks/app/page.js", ChunkShapes.webpack(literals: ["https://api.shop.test"], unset: ["NEXT_PUBLIC_UNUSED"]))
        let config = ["NEXT_PUBLIC_API_URL": "https://api.shop.test", "NEXT_PUBLIC_UNUSED": "never-used-value"]
        let ignoring = await outcome(of: try build.probe(config, options: ["ignore": .array(["NEXT_PUBLIC_UNUSED"])]))
        #expect(ignoring.status == .pass, "\(ignoring.message)")
        #expect(ignoring.details.keyStatus("NEXT_PUBLIC_UNUSED") == nil)

        let expecting = await outcome(of: try build.probe(config, options: ["expect": "NEXT_PUBLIC_API_URL, NEXT_PUBLIC_OTHER"]))
        #expect(expecting.details.keyStatus("NEXT_PUBLIC_API_URL") == "baked")
        #expect(expecting.details.keyStatus("NEXT_PUBLIC_UNUSED") == nil)
        #expect(expecting.details.keyStatus("NEXT_PUBLIC_OTHER") == "unverifiable")
        #expect(expecting.code == .notInlined, "the un-ignored reference still fails: \(expecting.message)")
    }

    @Test func unInlinedReferencesFailInWebpackAndTurbopackButNotInSourceMaps() async throws {
        let build = try NextBuildFixture()
        try build.write("static/chunks/app/page.js", ChunkShapes.webpack(literals: ["https://api.shop.test"], unset: ["NEXT_PUBLIC_VENDOR_MODE"]))
        try build.write("static/chunks/a1b2c3.js", ChunkShapes.turbopack(literals: [], unset: ["NEXT_PUBLIC_ANALYTICS_ID", "NEXT_PUBLIC_FEATURE_X"]))
        try build.write("static/chunks/app/page.js.map", "{\"sourcesContent\":[\"const m = process.env.NEXT_PUBLIC_MAP_ONLY\"]}")
        try build.write("server/app/page.js", "const v=process.env.NEXT_PUBLIC_SERVER_READ;")
        let result = await outcome(of: try build.probe(["NEXT_PUBLIC_API_URL": "https://api.shop.test"]))
        #expect(result.status == .fail)
        #expect(result.code == .notInlined)
        #expect(
            Set(result.details.located("not_inlined")) == [
                "NEXT_PUBLIC_VENDOR_MODE@static/chunks/app/page.js", "NEXT_PUBLIC_ANALYTICS_ID@static/chunks/a1b2c3.js",
                "NEXT_PUBLIC_FEATURE_X@static/chunks/a1b2c3.js",
            ])
        #expect(result.message.contains("NEXT_PUBLIC_ANALYTICS_ID"))
    }

    @Test func placeholderValuesFailInProductionOnly() async throws {
        let build = try NextBuildFixture()
        try build.write("static/chunks/main.js", ChunkShapes.webpack(literals: ["http://localhost:3000", "https://api.example.com/v1"]))
        var config = [
            "NEXT_PUBLIC_API_URL": "http://localhost:3000", "NEXT_PUBLIC_DOCS": "https://api.example.com/v1",
            "NEXT_PUBLIC_EMPTY": "",
        ]
        let development = await outcome(of: try build.probe(config))
        #expect(development.status == .warn, "empty is unverifiable outside production: \(development.message)")
        #expect(development.code == .unverifiable)

        config["ENVIRONMENT"] = "production"
        let production = await outcome(of: try build.probe(config))
        #expect(production.status == .fail)
        #expect(production.code == .placeholderValue)
        for text in ["NEXT_PUBLIC_API_URL points at localhost", "NEXT_PUBLIC_DOCS points at example.com", "NEXT_PUBLIC_EMPTY is empty"] {
            #expect(production.message.contains(text), "\(production.message)")
        }
    }

    @Test func shortOrCommonValuesAreUnverifiableNeverProof() async throws {
        let build = try NextBuildFixture()
        try build.write("static/chunks/main.js", ChunkShapes.webpack(literals: ["https://api.shop.test", "1", "true"]))
        let probe = try build.probe(["NEXT_PUBLIC_API_URL": "https://api.shop.test", "NEXT_PUBLIC_FLAG": "1", "NEXT_PUBLIC_BETA": "true"])
        let result = await outcome(of: probe)
        #expect(result.status == .warn)
        #expect(result.code == .unverifiable)
        #expect(result.message.contains("NEXT_PUBLIC_FLAG") && result.message.contains("NEXT_PUBLIC_BETA"))
        #expect(result.details.keyStatus("NEXT_PUBLIC_FLAG") == "unverifiable")
        #expect(result.details.keyStatus("NEXT_PUBLIC_API_URL") == "baked")
    }

    @Test func missingDirectoryIsNotConfiguredAndMissingStaticIsAnError() async throws {
        let settings = ProbeSettings(id: "next_public", config: ResolvedConfig(["NEXT_BUILD_DIR": "/nonexistent/.next"]))
        guard case .notConfigured(let message) = NextPublicProbe.kind.setup(settings) else {
            Issue.record("expected notConfigured")
            return
        }
        #expect(message.contains("/nonexistent/.next") && message.contains("NEXT_BUILD_DIR"))

        let build = try NextBuildFixture()
        try FileManager.default.removeItem(atPath: build.dir + "/static")
        let result = await outcome(of: try build.probe([:]))
        #expect(result.status == .error)
        #expect(result.code == .invalidConfig)
    }

    @Test func buildDirectoryPrecedence() {
        let config = ResolvedConfig(["NEXT_BUILD_DIR": "/from/env/"])
        func dir(_ global: String?, _ option: String?) -> String {
            let options: JSONObject = option.map { ["dir": .string($0)] } ?? JSONObject()
            return NextPublicProbe.buildDirectory(
                ProbeSettings(
                    id: "n", config: config, options: options,
                    global: GlobalSettings(nextDir: global))
            ).path
        }
        #expect(dir("/flag", "/option") == "/flag")
        #expect(dir(nil, "/option") == "/option")
        #expect(dir(nil, nil) == "/from/env")
        #expect(NextPublicProbe.buildDirectory(ProbeSettings(id: "n", config: ResolvedConfig())).path == "./.next")
    }

    @Test func registeredWithTheKeysItReads() {
        let kind = BuiltInProbes.registry.kind("next_public")
        #expect(kind?.critical == false)
        #expect(kind?.keys == ["NEXT_BUILD_DIR", "ENVIRONMENT", "ENV", "NODE_ENV"])
        #expect(BuiltInProbes.registry.problems.isEmpty)
    }
}
