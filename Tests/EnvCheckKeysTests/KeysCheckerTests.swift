import EnvCheckCore
import Testing

@testable import EnvCheckKeys

@Suite struct KeysCheckerTests {
    @Test func cleanFixtureProjectPasses() throws {
        let report = try KeysChecker.run(KeysFixtures.options("clean"))
        #expect(report.findings == [])
        #expect(report.exitCode == 0)
    }

    @Test func driftedFixtureProjectReportsEveryKindOfDrift() throws {
        let report = try KeysChecker.run(KeysFixtures.options("drifted"))
        let f = report.findings
        #expect(f.at(.templateKeyUnknown) == ["STRIPE_KEY@3"])
        #expect(f.at(.fieldNotInExample) == ["CACHE_TTL@11"])
        #expect(f.at(.requiredWithoutSource) == ["SENTRY_DSN@10"])
        #expect(f.at(.exampleKeyUnknown) == ["OPENROUTER_API_KEY@4", "LEGACY_FLAG@8"])
        #expect(f.at(.vaultKeyNotInTemplate) == ["OPENROUTER_API_KEY@4"])
        #expect(f.at(.templateKeyNotVault) == ["STRIPE_KEY@3", "REDIS_URL@2"])
        #expect(f.at(.invalidExampleValue) == ["WORKERS@5", "DEBUG@6", "ALLOWED_HOSTS@7"])
        #expect(f.at(.duplicateKey) == ["DATABASE_URL@6", "WORKERS@9"])
        #expect(f.at(.devDefault) == ["REDIS_URL@7"])
        #expect(report.failures == 9 && report.warnings == 5 && report.exitCode == 1)
        let dup = try #require(f.first { $0.code == .duplicateKey && $0.layer == .template })
        #expect(dup.file.hasSuffix("drifted/secrets.ctmpl") && dup.severity == .fail)
    }

    @Test func templateKeyNoFieldAccepts() throws {
        let p = try KeysTestProject(
            template: "{{ with secret \"a\" }}\nDB_URL={{ .Data.url }}\nDATABASE_URL={{ .Data.url }}\n{{ end }}\n",
            settings: settingsFile("database_url: str"), example: "DATABASE_URL= # [VAULT]\n")
        defer { p.remove() }
        let f = try p.findings()
        #expect(f.at(.templateKeyUnknown) == ["DB_URL@2"])
        #expect(f.first { $0.code == .templateKeyUnknown }?.layer == .template)
    }

    @Test func fieldMissingFromExampleUnlessCommentedOut() throws {
        let p = try KeysTestProject(template: "", settings: settingsFile("a: int = 1\nb: int = 2\nc: int = 3"), example: "A=1\n# B=2\n")
        defer { p.remove() }
        let f = try p.findings()
        #expect(f.at(.fieldNotInExample) == ["C@7"])
        #expect(f.first { $0.code == .fieldNotInExample }?.layer == .settings)
    }

    @Test func unknownExampleKeyIsAWarningAndAllowedPrefixesAreConfigurable() throws {
        let p = try KeysTestProject(
            template: "", settings: settingsFile("a: int = 1"),
            example: "A=1\nNEXT_PUBLIC_API=x\nVITE_API=y\nSTRAY=z\n# OLD_STRAY=1\n")
        defer { p.remove() }
        #expect(try p.findings().at(.exampleKeyUnknown) == ["VITE_API@3", "STRAY@4", "OLD_STRAY@5"])
        #expect(try p.findings().severities(.exampleKeyUnknown) == [.warn, .warn, .warn])
        #expect(try p.findings(allow: ["VITE_"]).at(.exampleKeyUnknown) == ["NEXT_PUBLIC_API@2", "STRAY@4", "OLD_STRAY@5"])
        #expect(try p.findings(strict: true).severities(.exampleKeyUnknown) == [.fail, .fail, .fail])
    }

    @Test func vaultMarkersAgainstTheTemplate() throws {
        let p = try KeysTestProject(
            template: "A={{ .a }}\nB={{ .b }}\nC={{ .c }}\n",
            settings: settingsFile("a: str = ''\nb: str = ''\nc: str = ''\nd: str = ''"),
            example: "A= # [VAULT]\nB=\n# [VAULT]\nD=\n")
        defer { p.remove() }
        let f = try p.findings()
        #expect(f.at(.vaultKeyNotInTemplate) == ["D@4"])
        #expect(f.severities(.vaultKeyNotInTemplate) == [.fail])
        // B is documented without the marker (pointed at in the example); C is not documented at all.
        #expect(
            f.filter { $0.code == .templateKeyNotVault }.map { "\($0.key)@\($0.layer.rawValue):\($0.line)" }
                == ["C@template:3", "B@example:2"])
        #expect(f.severities(.templateKeyNotVault) == [.warn, .warn])
        #expect(try p.findings(strict: true).severities(.templateKeyNotVault) == [.fail, .fail])
    }

    @Test func requiredFieldNeedsAProductionSource() throws {
        let p = try KeysTestProject(
            template: "FROM_VAULT={{ .x }}\n",
            settings: settingsFile("from_vault: str\nfrom_example: str\nno_source: str\nempty: str = Field(...)\noptional: str | None\ndefaulted: str = 'x'"),
            example: "FROM_VAULT= # [VAULT]\nFROM_EXAMPLE=value\n# NO_SOURCE=documented-but-commented\nEMPTY=\nOPTIONAL=\nDEFAULTED=\n")
        defer { p.remove() }
        let f = try p.findings()
        #expect(f.at(.requiredWithoutSource) == ["NO_SOURCE@7", "EMPTY@8"])
        #expect(f.first { $0.code == .requiredWithoutSource }?.layer == .settings)
    }

    @Test func exampleValuesMustParseAsTheFieldType() throws {
        let fields =
            "n: int = 0\nn2: int = 0\nx: float = 0\nx2: float = 0\nb: bool = False\nb2: bool = False\nb3: bool = False\nl: list[str] = []\nl2: list[str] = []\nd: dict[str, int] = {}\no: Optional[int] = None\npg: PostgresDsn = 'postgres://x'\nweb: HttpUrl = 'https://x'\ns: str = ''"
        let example = """
            N=1_000
            N2=12abc
            X=-1.5e3
            X2=1.2.3
            B=Off
            B2=Y
            B3=enabled
            L=["a", "b"]
            L2=a,b
            D={"a": 1}
            O=
            PG=localhost:5432
            WEB=ftp://example.com
            S=anything at all
            """
        let p = try KeysTestProject(template: nil, settings: settingsFile(fields), example: example)
        defer { p.remove() }
        let f = try p.findings(useTemplate: false)
        #expect(f.at(.invalidExampleValue) == ["N2@2", "X2@4", "B3@7", "L2@9", "O@11", "PG@12", "WEB@13"])
        #expect(f.first { $0.key == "B3" }?.message.contains("not a boolean") == true)
        #expect(f.first { $0.key == "L2" }?.message.contains("list[str]") == true)
    }

    @Test func fieldTypeChecksMatchPydantic() {
        let int = FieldType(kinds: [.int], isOptional: false, text: "int")
        for ok in ["0", "-7", "+3", "1_000", "2.0", " 42 "] { #expect(int.problem(with: ok) == nil, "\(ok)") }
        for bad in ["1.5", "1__0", "_1", "0x10", "one", "1e3"] { #expect(int.problem(with: bad) != nil, "\(bad)") }
        let float = FieldType(kinds: [.float], isOptional: false, text: "float")
        for ok in ["1", "1.", ".5", "-1.5e-3", "inf", "NaN", "1_0.5"] { #expect(float.problem(with: ok) == nil, "\(ok)") }
        for bad in [".", "e3", "1e", "abc"] { #expect(float.problem(with: bad) != nil, "\(bad)") }
        let bool = FieldType(kinds: [.bool], isOptional: false, text: "bool")
        for ok in ["true", "FALSE", "1", "0", "yes", "No", "on", "OFF", "t", "F", "y", "N"] { #expect(bool.problem(with: ok) == nil, "\(ok)") }
        for bad in ["2", "enabled", "truthy"] { #expect(bool.problem(with: bad) != nil, "\(bad)") }
        let union = FieldType(kinds: [.int, .bool], isOptional: false, text: "int | bool")
        #expect(union.problem(with: "yes") == nil && union.problem(with: "maybe") != nil)
    }

    @Test func duplicatesWithinEachLayer() throws {
        let template = """
            {{ with secret "a" }}
            A={{ .Data.a }}
            {{ else }}
            A=
            {{ end }}
            B=1
            {{ if .x }}
            B=2
            {{ end }}
            """
        let settings = settingsFile("a: str = ''\nb: str = ''\nc: str = ''\nc: int = 1\nother_c: str = Field('', alias='C')\nd: str = Field('', alias='a')")
        let p = try KeysTestProject(
            template: template, settings: settings,
            example: "A= # [VAULT]\nB= # [VAULT]\nC=1\n# C=2 alternative\nC=3\nD=\n")
        defer { p.remove() }
        let f = try p.findings()
        #expect(
            f.filter { $0.code == .duplicateKey }.map { "\($0.layer.rawValue):\($0.key)@\($0.line)" }
                == ["template:B@8", "settings:c@8", "settings:C@9", "settings:a@10", "example:C@5"])
        #expect(f.severities(.duplicateKey).allSatisfy { $0 == .fail })
    }

    @Test func envPrefixAndCaseSensitivityDecideWhatMatches() throws {
        let settings = """
            from pydantic_settings import BaseSettings, SettingsConfigDict

            class Settings(BaseSettings):
                model_config = SettingsConfigDict(env_prefix="app_", case_sensitive=True)
                token: str = ""
            """
        let p = try KeysTestProject(
            template: "APP_TOKEN={{ .t }}\napp_token={{ .t }}\n", settings: settings,
            example: "app_token= # [VAULT]\nAPP_TOKEN= # [VAULT]\n")
        defer { p.remove() }
        let f = try p.findings()
        #expect(f.at(.templateKeyUnknown) == ["APP_TOKEN@1"])
        #expect(f.at(.exampleKeyUnknown) == ["APP_TOKEN@2"])
        #expect(f.at(.fieldNotInExample) == [])

        try p.write("config.py", settings.replacingOccurrences(of: "case_sensitive=True", with: "case_sensitive=False"))
        let insensitive = try p.findings()
        #expect(insensitive.at(.templateKeyUnknown) == [] && insensitive.at(.exampleKeyUnknown) == [])
    }

    @Test func inheritedFieldsAreCheckedOnce() throws {
        let settings = """
            from pydantic_settings import BaseSettings

            class Base(BaseSettings):
                shared_url: str

            class Api(Base):
                api_port: int = 8000

            class Worker(Base):
                concurrency: int = 2
            """
        let p = try KeysTestProject(template: nil, settings: settings, example: "API_PORT=8000\nCONCURRENCY=two\n")
        defer { p.remove() }
        let f = try p.findings(useTemplate: false)
        #expect(f.at(.fieldNotInExample) == ["SHARED_URL@4"])
        #expect(f.at(.requiredWithoutSource) == ["SHARED_URL@4"])
        #expect(f.at(.invalidExampleValue) == ["CONCURRENCY@2"])
    }

    @Test func noTemplateChecksTwoLayersAndTrustsVaultMarkers() throws {
        let p = try KeysTestProject(template: nil, settings: settingsFile("database_url: str"), example: "DATABASE_URL= # [VAULT]\n")
        defer { p.remove() }
        #expect(try p.findings(useTemplate: false) == [])
        // With the template layer on, the same project fails: the file is missing.
        #expect(throws: KeysInputError.self) { try p.findings() }
    }

    @Test func missingFilesAreErrorsNotSilentPasses() throws {
        let p = try KeysTestProject(template: "", settings: settingsFile("a: int = 1"), example: "A=1\n")
        defer { p.remove() }
        for name in [KeysOptions.defaultTemplate, KeysOptions.defaultSettings, KeysOptions.defaultExample] {
            var options = p.options()
            options.templates = [p.path(KeysOptions.defaultTemplate)]
            switch name {
            case KeysOptions.defaultTemplate: options.templates = [p.path("missing.ctmpl")]
            case KeysOptions.defaultSettings: options.settings.append(p.path("missing.py"))
            default: options.examples.append(p.path("missing.env"))
            }
            do {
                _ = try KeysChecker.run(options)
                Issue.record("\(name): expected an error")
            } catch {
                #expect(error.message.contains("does not exist"), "\(error)")
                #expect(error.path.hasPrefix(p.dir))
            }
        }
        #expect(try KeysChecker.run(p.options()).exitCode == 0)
    }
}
