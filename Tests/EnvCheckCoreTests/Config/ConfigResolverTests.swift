import TestSupport
import Testing

@testable import EnvCheckCore

@Suite("configuration resolution")
struct ConfigResolverTests {
    let files: [String: String] = [
        "base.env": "DATABASE_URL=postgres://file-one\nONLY_FILE=1\nSHARED=base\n",
        "vault.env": "SHARED=vault\nDATABASE_URL=\"postgres://vault\"\nREF=${SHARED}-${FROM_ENV}\n",
        "bad.env": "OK=1\nBROKEN='unterminated\n",
        "twice.env": "A=1\nB=2\nA=3\nA=4\n",
        "one-line.env": "DATABASE_URL=\"postgres://db\" REDIS_URL=\"redis://cache\"\n",
        "unquoted.env": "DATABASE_URL=postgres://db REDIS_URL=redis://cache\n",
        "parts.env": "TAIL=c0ffee1234tail\nMIDDLE=mid-${TAIL}\nAPP_NAME=shop\nAPI_TOKEN=sk-${MIDDLE}\nLABEL=${APP_NAME}-${TAIL}\n",
    ]

    func resolve(_ options: ConfigResolver.Options, env: [String: String] = [:]) throws(ConfigResolver.Failure) -> ResolvedConfig {
        try ConfigResolver.resolve(
            options, environment: env,
            read: { (path: String) throws(FileSystem.Failure) -> [UInt8] in
                guard let text = files[path] else { throw FileSystem.Failure(path: path, reason: "No such file or directory") }
                return Array(text.utf8)
            })
    }

    @Test func everySourceThatSetAKeyIsKeptWinnerFirstWithItsValue() throws {
        let config = try resolve(.init(envFiles: ["base.env", "vault.env"]), env: ["SHARED": "env"])
        let sources = try #require(config["SHARED"]).sources
        #expect(sources.map(\.source.description) == ["env", "vault.env:1", "base.env:3"])
        #expect(sources.map(\.value) == ["env", "vault", "base"])
    }

    /// A value spliced into a secret is a secret, through nested references, whatever its
    /// key is called; a short part (`shop`) and a key no secret uses are not.
    @Test func thePartsOfASecretAreSecrets() throws {
        let config = try resolve(.init(envFiles: ["parts.env"]))
        #expect(config.references["API_TOKEN"] == ["MIDDLE"] && config.references["MIDDLE"] == ["TAIL"])
        let inventory = SecretInventory(config: config)
        #expect(inventory.contains("sk-mid-c0ffee1234tail"), "secret by name")
        #expect(inventory.contains("mid-c0ffee1234tail") && inventory.contains("c0ffee1234tail"))
        #expect(!inventory.contains("shop") && !inventory.contains("shop-c0ffee1234tail"))
        #expect(Redactor(inventory).scrub("label shop-c0ffee1234tail") == "label shop-[redacted]")
    }

    /// A shadowed secret's parts, and the parts at the end of a long chain, are secrets too.
    @Test func shadowedSecretsAndLongChainsKeepTheirPartsSecret() throws {
        var chain = "P01=innermostPW42\n"
        for i in 2...40 { chain += String(format: "P%02d=x${P%02d}\n", i, i - 1) }
        chain += "API_TOKEN=t${P40}\nPART=abcXYZ987qwe\nSERVICE_TOKEN=sk-${PART}\n"
        let config = try ConfigResolver.resolve(
            .init(envFiles: ["c.env"]), environment: ["SERVICE_TOKEN": "fromprocess-token-1"],
            read: { (_: String) throws(FileSystem.Failure) -> [UInt8] in Array(chain.utf8) })
        let inventory = SecretInventory(config: config)
        #expect(inventory.contains("innermostPW42") && inventory.contains("x" + "innermostPW42"))
        #expect(inventory.contains("abcXYZ987qwe"), "the shadowed sk-${PART} still makes PART a secret")
    }

    @Test func aKeySetTwiceInOneFileIsAWarningNamingBothLines() throws {
        let config = try resolve(.init(envFiles: ["twice.env"]))
        #expect(config.value("A") == "4")
        let warnings = config.warnings.filter { $0.message.hasPrefix("duplicate_key") }
        #expect(warnings.map(\.source.description) == ["twice.env:3", "twice.env:4"])
        #expect(warnings[0].message.contains("on lines 1 and 3"))
        #expect(warnings[1].message.contains("on lines 3 and 4"))
        // The same key in two files is layering, not a duplicate.
        #expect(try resolve(.init(envFiles: ["base.env", "vault.env"])).warnings.allSatisfy { !$0.message.hasPrefix("duplicate_key") })
    }

    @Test func aFileOlderThanMaxAgeIsAWarningOnItsFirstLine() throws {
        let ages = ["base.env": Duration.seconds(7200), "vault.env": .seconds(30)]
        let config = try ConfigResolver.resolve(
            .init(envFiles: ["base.env", "vault.env"], maxAge: .seconds(3600)), environment: [:],
            read: { (path: String) throws(FileSystem.Failure) -> [UInt8] in Array(files[path]!.utf8) }, age: { ages[$0] })
        let stale = config.warnings.filter { $0.message.hasPrefix("stale_file") }
        #expect(
            stale.map(\.description) == [
                "base.env:1: stale_file: last written 2h ago, more than --max-age 1h: whatever renders it (vault-agent, consul-template) may have stopped"
            ])
        #expect(stale[0].key.isEmpty)
        let unlimited = try resolve(.init(envFiles: ["base.env"]))
        #expect(unlimited.warnings.allSatisfy { !$0.message.hasPrefix("stale_file") })
    }

    @Test func twoAssignmentsOnOneLineNameBothKeys() {
        #expect(
            throws: ConfigResolver.Failure.malformed(
                EnvFileError(
                    path: "one-line.env", line: 1,
                    message: "two assignments on one line: 'DATABASE_URL' and 'REDIS_URL' (a template most likely rendered them without a "
                        + "newline between: end each assignment with a newline in the template)"))
        ) { try resolve(.init(envFiles: ["one-line.env"])) }
        // Unquoted, python-dotenv keeps the whole rest of the line as the value: a warning.
        let config = try? resolve(.init(envFiles: ["unquoted.env"]))
        #expect(config?.value("DATABASE_URL") == "postgres://db REDIS_URL=redis://cache")
        #expect(config?.warnings.contains { $0.key == "DATABASE_URL" && $0.message.contains("second KEY=value assignment") } == true)
    }

    @Test func laterFilesWinOverEarlierOnesAndSourcesAreFileLine() throws {
        let config = try resolve(.init(envFiles: ["base.env", "vault.env"]))
        #expect(config.value("SHARED") == "vault")
        #expect(config["SHARED"]?.source == .file(path: "vault.env", line: 1))
        #expect(config["SHARED"]?.shadowed.map(\.source) == [.file(path: "base.env", line: 3)])
        #expect(config["ONLY_FILE"]?.source.description == "base.env:2")
        #expect(config.files == ["base.env", "vault.env"])
    }

    @Test func processEnvironmentWinsUnlessOverride() throws {
        let env = ["DATABASE_URL": "postgres://env", "FROM_ENV": "e"]
        let plain = try resolve(.init(envFiles: ["base.env", "vault.env"]), env: env)
        #expect(plain.value("DATABASE_URL") == "postgres://env")
        #expect(plain["DATABASE_URL"]?.source == .environment)
        #expect(plain["DATABASE_URL"]?.shadowed.count == 2)

        let overridden = try resolve(.init(envFiles: ["base.env", "vault.env"], override: true), env: env)
        #expect(overridden.value("DATABASE_URL") == "postgres://vault")
        #expect(overridden["DATABASE_URL"]?.source == .file(path: "vault.env", line: 2))
    }

    @Test func interpolationSeesEarlierFilesAndTheEnvironment() throws {
        let config = try resolve(.init(envFiles: ["base.env", "vault.env"]), env: ["FROM_ENV": "e"])
        #expect(config.value("REF") == "vault-e")
    }

    @Test func malformedFileIsAnErrorNamingFileAndLine() {
        #expect(
            throws: ConfigResolver.Failure.malformed(
                EnvFileError(
                    path: "bad.env", line: 2,
                    message: "unterminated single-quoted value for 'BROKEN' (the quote opened here is never closed)"))
        ) {
            _ = try resolve(.init(envFiles: ["bad.env"]))
        }
    }

    @Test func unreadableFileIsAnError() {
        do {
            _ = try resolve(.init(envFiles: ["missing.env"]))
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "cannot read env file missing.env: No such file or directory")
        }
    }

    @Test func dotEnvIsLoadedOnlyWhenNoFileIsNamedAndNotDisabled() throws {
        let dir = try TempDir()
        let path = dir.path + "/.env"
        try FileSystem.write("FROM_DOTENV=yes\n", to: path)
        let loaded = try ConfigResolver.resolve(.init(dotEnvPath: path), environment: [:])
        #expect(loaded.value("FROM_DOTENV") == "yes")
        let disabled = try ConfigResolver.resolve(.init(autoLoadDotEnv: false, dotEnvPath: path), environment: [:])
        #expect(disabled.value("FROM_DOTENV") == nil)
        let absent = try ConfigResolver.resolve(.init(dotEnvPath: dir.path + "/nope"), environment: [:])
        #expect(absent.files.isEmpty)
    }

    @Test func suspiciousValuesAreWarnedWithTheirSource() throws {
        let env = ["A": "%!q(<nil>)", "B": "<no value>", "C": "${UNRESOLVED}", "D": "\"quoted\"", "E": "fine"]
        let config = try resolve(.init(autoLoadDotEnv: false), env: env)
        let keys = Set(config.warnings.map(\.key))
        #expect(keys == ["A", "B", "C", "D"])
        #expect(config.warnings.allSatisfy { $0.source == .environment })
    }

    @Test func parserNotesBecomeWarnings() throws {
        let config = try ConfigResolver.resolve(
            .init(envFiles: ["x.env"]), environment: [:],
            read: { (_: String) throws(FileSystem.Failure) -> [UInt8] in
                Array("A=${NOT_SET}\n".utf8)
            })
        #expect(config.warnings.map(\.description) == ["A (x.env:1): ${NOT_SET} is not set, so it was interpolated as an empty string"])
    }

    @Test func environmentName() {
        #expect(ResolvedConfig(["NODE_ENV": "production"]).isProductionLike)
        #expect(ResolvedConfig(["ENVIRONMENT": "staging", "NODE_ENV": "development"]).isProductionLike)
        #expect(!ResolvedConfig(["ENV": "dev", "NODE_ENV": "production"]).isProductionLike)
        #expect(!ResolvedConfig([:]).isProductionLike)
    }
}
