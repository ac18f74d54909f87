import EnvCheckCore
import Testing

@testable import EnvCheckKeys

/// Template faults and example values as pydantic reads them (the same rules are checked
/// against real pydantic-settings in Tests/EndToEndTests/KeysPydanticTests.swift).
@Suite struct KeysValuesTests {
    @Test func twoKeysRenderedOnOneLineFail() throws {
        let p = try KeysTestProject(
            template: "{{ with secret \"db\" }}\nDATABASE_URL={{ .Data.url | toJSON }} REDIS_URL={{ .Data.redis | toJSON }}\n{{ end }}\nOK={{ .x }}B=1\n",
            settings: settingsFile("database_url: str\nredis_url: str\nok: str"),
            example: "DATABASE_URL= # [VAULT]\nREDIS_URL= # [VAULT]\nOK= # [VAULT]\n")
        defer { p.remove() }
        let f = try p.findings()
        #expect(f.at(.keysOnOneLine) == ["REDIS_URL@2"])
        let finding = try #require(f.first { $0.code == .keysOnOneLine })
        #expect(finding.severity == .fail && finding.layer == .template && finding.file.hasSuffix("secrets.ctmpl"))
        #expect(finding.message.hasPrefix("DATABASE_URL and REDIS_URL are rendered on one line"))
        // The second key still counts as rendered: no "not in template" noise.
        #expect(f.at(.vaultKeyNotInTemplate).isEmpty)
    }

    @Test func literalFieldsTakeExactlyTheirStrings() throws {
        let p = try KeysTestProject(
            template: nil,
            settings: settingsFile(
                "env: Literal['dev', 'prod'] = 'dev'\nlevel: Literal['debug', 'info'] = 'info'\nmode: Literal[1, 2] = 1\nblank: Literal['', 'x'] = ''",
                header: "from typing import Literal"),
            example: "ENV=Prod\nLEVEL=info\nMODE=2\nBLANK=\n")
        defer { p.remove() }
        let f = try p.findings(useTemplate: false)
        #expect(f.at(.invalidExampleValue) == ["ENV@1", "MODE@3"])
        #expect(f.first { $0.key == "ENV" }?.message.contains("not one of 'dev', 'prod'") == true)
        #expect(f.first { $0.key == "MODE" }?.message.contains("never equals an integer Literal value") == true)
    }

    @Test func emptyValuesOfFieldsThatRejectThemAreWarnings() throws {
        let p = try KeysTestProject(
            template: nil,
            settings: settingsFile(
                "port: int = 5432\nmaybe: Optional[int] = None\nname: str = 'x'\nflag: bool = False\nsecret: SecretStr = SecretStr('')",
                header: "from typing import Optional\nfrom pydantic import SecretStr"),
            example: "PORT=\nMAYBE=\nNAME=\nFLAG=\nSECRET=\n# COMMENTED=\n")
        defer { p.remove() }
        let f = try p.findings(useTemplate: false)
        #expect(f.at(.invalidExampleValue) == ["PORT@1", "MAYBE@2", "FLAG@4"])
        #expect(f.filter { $0.code == .invalidExampleValue }.allSatisfy { $0.severity == .warn })
        #expect(f.first { $0.key == "MAYBE" }?.message.contains("rejects an empty value") == true)
    }

    @Test func aPythonStringPrefixLeftInAValueIsFlagged() throws {
        let p = try KeysTestProject(
            template: nil, settings: settingsFile("pattern: str = ''\nplain: str = ''\nrobot: str = ''"),
            example: "PATTERN=r\"^[a-z]+$\"\nPLAIN=\"quoted\"\nROBOT=rabbit\n")
        defer { p.remove() }
        let f = try p.findings(useTemplate: false)
        #expect(f.at(.invalidExampleValue) == ["PATTERN@1"])
        #expect(f.first?.message.contains("starts with r\"...\", a Python string prefix") == true)
        #expect(ExampleParser.rawStringPrefix("rb'x'") == "rb" && ExampleParser.rawStringPrefix("r") == nil)
        #expect(ExampleParser.rawStringPrefix("ruby") == nil && ExampleParser.rawStringPrefix("f\"{x}\"") == "f")
    }

    /// A real project's example: one marker heads the group of Vault keys.
    static let blockExample = """
        # App settings
        LOG_LEVEL=info

        # [VAULT] rendered by secrets.ctmpl
        DATABASE_URL=
        REDIS_URL=
        # a new header ends the block
        SECRET_KEY=

        API_TOKEN=
        """

    static let vaultTemplate = "DATABASE_URL={{ .a }}\nREDIS_URL={{ .b }}\nSECRET_KEY={{ .c }}\nAPI_TOKEN={{ .d }}\n"

    static let vaultSettings = settingsFile("log_level: str = 'info'\ndatabase_url: str\nredis_url: str\nsecret_key: str\napi_token: str")

    @Test func aBlockMarkerCoversTheKeysBelowItsHeader() throws {
        let p = try KeysTestProject(template: Self.vaultTemplate, settings: Self.vaultSettings, example: Self.blockExample)
        defer { p.remove() }
        let block = try p.findings(markers: .block)
        // DATABASE_URL and REDIS_URL are covered; SECRET_KEY (after a new header) and API_TOKEN are not.
        #expect(block.at(.templateKeyNotVault) == ["SECRET_KEY@8", "API_TOKEN@10"])
        let layers = try KeysLayers.load(p.options(markers: .block))
        #expect(layers.example.first { $0.key == "REDIS_URL" }?.vaultHeader == 4)
        #expect(layers.example.first { $0.key == "LOG_LEVEL" }?.isVault == false)
    }

    @Test func lineMarkersGroupTheUnmarkedFindingOneLinePerGroup() throws {
        let p = try KeysTestProject(template: Self.vaultTemplate, settings: Self.vaultSettings, example: Self.blockExample)
        defer { p.remove() }
        let line = try p.findings()
        // DATABASE_URL is directly under the marker; REDIS_URL and SECRET_KEY share a group: one finding.
        #expect(line.at(.templateKeyNotVault) == ["REDIS_URL@6", "API_TOKEN@10"])
        let grouped = try #require(line.first { $0.code == .templateKeyNotVault && $0.key == "REDIS_URL" })
        #expect(grouped.message.hasPrefix("REDIS_URL, SECRET_KEY come from the template (Vault) but the example does not mark them [VAULT] (lines 6, 8"))
        #expect(try p.findings(strict: true, markers: .block).at(.templateKeyNotVault).count == 2)
    }

    @Test func aDevelopmentDefaultOnAFieldProductionNeedsIsAFinding() throws {
        let p = try KeysTestProject(
            template: "DATABASE_URL={{ .db }}\nENVIRONMENT={{ .env }}\n",
            settings: settingsFile(
                "database_url: str = 'postgresql://app@localhost/app'\nenvironment: str = 'development'\n"
                    + "secret_key: SecretStr = SecretStr('change_me')\napi_token: str = Field('dev_token')\nlog_dir: str = '/tmp/localhost'\n"
                    + "admin_password: str = 'postgres'\nname: str = 'app'",
                header: "from pydantic import Field, SecretStr"),
            example: "DATABASE_URL= # [VAULT]\nENVIRONMENT= # [VAULT]\nSECRET_KEY=\nAPI_TOKEN=\nLOG_DIR=\nADMIN_PASSWORD=\nNAME=\n")
        defer { p.remove() }
        let f = try p.findings()
        // Rendered by the template, or a secret by name; LOG_DIR is neither; "development" is no secret.
        #expect(f.at(.devDefault) == ["DATABASE_URL@5", "SECRET_KEY@7", "API_TOKEN@8", "ADMIN_PASSWORD@10"])
        let database = try #require(f.first { $0.code == .devDefault && $0.key == "DATABASE_URL" })
        #expect(database.severity == .warn && database.layer == .settings && database.message.contains("contains localhost"))
        #expect(database.message.contains("drop the default in the settings"))
        #expect(f.first { $0.key == "SECRET_KEY" && $0.code == .devDefault }?.message.contains("contains change_me") == true)
    }
}
