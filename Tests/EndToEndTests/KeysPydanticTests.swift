import Foundation
import TestSupport
import Testing

/// `envcheck keys` judges `.env.example` values as the app will: each value is given, alone,
/// to the real pydantic-settings class (python-dotenv reading the same file), and the keys
/// pydantic rejects must be exactly the ones envcheck reports as `invalid_example_value`.
@Suite("keys against real pydantic-settings", .requires(.pydanticSettings))
struct KeysPydanticTests {
    static let settings = """
        from typing import Annotated, Literal, Optional

        from pydantic import AliasChoices, Field, HttpUrl, PostgresDsn, SecretStr
        from pydantic_settings import BaseSettings


        class Settings(BaseSettings):
            environment: Literal["development", "staging", "production"] = "development"
            log_level: Literal["debug", "info", "warning"] = "info"
            workers: Literal[1, 2, 4] = 1
            port: Annotated[int, Field(ge=1)] = 8000
            timeout: Optional[int] = None
            ratio: float = 0.5
            debug: bool = False
            secret_key: SecretStr = SecretStr("dev_secret")
            database_url: PostgresDsn = Field("postgresql://localhost/app", validation_alias=AliasChoices("DB_URL", "DATABASE_URL"))
            public_url: HttpUrl = "https://example.com"
            hosts: list[str] = []
            name: str = "app"
            pattern: str = ""
        """

    static let example = """
        ENVIRONMENT=production
        LOG_LEVEL=INFO
        WORKERS=2
        PORT=
        TIMEOUT=
        RATIO=abc
        DEBUG=
        SECRET_KEY=
        DATABASE_URL=postgresql://app@db:5432/app
        DB_URL=not a url
        PUBLIC_URL=ftp://files.example.com
        HOSTS=["a", "b"]
        NAME=
        PATTERN=r"^[a-z]+$"

        """

    /// `env_ignore_empty=True`, set on a parent class: an empty value then leaves the
    /// default in place, and pydantic takes it.
    static let ignoringEmpty = """
        from typing import Optional

        from pydantic_settings import BaseSettings, SettingsConfigDict


        class Base(BaseSettings):
            model_config = SettingsConfigDict(env_ignore_empty=True)


        class Settings(Base):
            port: int = 8000
            timeout: Optional[int] = None
            debug: bool = False
            workers: int = 1
        """

    @Test func envIgnoreEmptyMakesEmptyValuesFineForPydanticAndForEnvcheck() async throws {
        let (pydantic, flagged) = try await judge(settings: Self.ignoringEmpty, example: "PORT=\nTIMEOUT=\nDEBUG=\nWORKERS=many\n")
        #expect(pydantic == ["WORKERS"])
        #expect(flagged == ["WORKERS"])
    }

    /// `env_parse_none_str` set on a parent: the exact marker becomes None, which only an
    /// Optional (or Any) field takes; another spelling stays a string.
    static let noneString = """
        from typing import Any, Optional

        from pydantic_settings import BaseSettings, SettingsConfigDict


        class Base(BaseSettings):
            model_config = SettingsConfigDict(env_parse_none_str="null")


        class Settings(Base):
            timeout: Optional[int] = 3
            workers: int = 1
            name: str = "app"
            label: Optional[str] = "x"
            extra: Any = None
            title: str = "t"
        """

    @Test func envParseNoneStrTurnsTheExactMarkerIntoNone() async throws {
        let (pydantic, flagged) = try await judge(
            settings: Self.noneString, example: "TIMEOUT=null\nWORKERS=null\nNAME=null\nLABEL=null\nEXTRA=null\nTITLE=NULL\n")
        #expect(pydantic == ["NAME", "WORKERS"])
        #expect(flagged == ["NAME", "WORKERS"])
    }

    /// The keys real pydantic-settings rejects when each example value is given alone, and
    /// the keys envcheck flags `invalid_example_value`.
    func judge(settings: String, example: String) async throws -> (pydantic: [String], envcheck: [String]) {
        let dir = try TempDir(prefix: "envcheck-pydantic")
        try dir.write("config.py", settings)
        try dir.write(".env.example", example)
        try dir.write("judge.py", Self.judgeScript)
        let python = try TestEnvironment.require("ENVCHECK_VENV") + "/bin/python"
        let judged = try await runProgram(python, ["judge.py"], environment: [:], directory: dir.path)
        try #require(judged.status == 0, "\(judged.output)")
        let pydantic = try #require(try JSONSerialization.jsonObject(with: Data(judged.stdout.utf8)) as? [String])
        let r = try await EnvCheckBinary.run(["keys", "--no-template", "--format", "json"], directory: dir.path)
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.output)")
        let findings = try #require(doc["findings"] as? [[String: Any]])
        let flagged = findings.filter { $0["code"] as? String == "invalid_example_value" }.compactMap { $0["key"] as? String }
        return (pydantic, flagged.sorted())
    }

    static let judgeScript = """
        import json, os, sys
        from dotenv import dotenv_values
        from pydantic import ValidationError
        sys.path.insert(0, os.getcwd())
        from config import Settings
        rejected = []
        for key, value in dotenv_values(".env.example").items():
            os.environ.clear()
            os.environ[key] = value
            try:
                Settings(_env_file=None)
            except ValidationError:
                rejected.append(key)
        print(json.dumps(sorted(rejected)))
        """

    @Test func invalidExampleValuesAreExactlyWhatPydanticRejects() async throws {
        let (pydantic, flagged) = try await judge(settings: Self.settings, example: Self.example)
        // The premise: pydantic rejects some values and takes others, so the comparison is not vacuous.
        try #require(pydantic.count >= 6 && pydantic.count <= 12, "\(pydantic)")
        // PATTERN's r"..." is a string pydantic takes as it is: envcheck warns of the prefix, pydantic does not.
        #expect(Set(flagged).subtracting(["PATTERN"]) == Set(pydantic), "envcheck \(flagged) vs pydantic \(pydantic)")
        #expect(flagged.contains("PATTERN") && !pydantic.contains("PATTERN"))
    }
}

/// `--vault-markers` through the binary.
@Suite("keys vault markers")
struct KeysVaultMarkersTests {
    @Test func blockMarkersAreAnOptionAndABadValueIsExitTwo() async throws {
        let dir = try TempDir(prefix: "envcheck-markers")
        try dir.write("secrets.ctmpl", "A={{ .a }}\nB={{ .b }}\n")
        try dir.write("config.py", "from pydantic_settings import BaseSettings\n\nclass Settings(BaseSettings):\n    a: str\n    b: str\n")
        try dir.write(".env.example", "# [VAULT] from secrets.ctmpl\nA=\nB=\n")
        let line = try await EnvCheckBinary.run(["keys", "--strict"], directory: dir.path)
        #expect(
            line.status == 1
                && line.stdout.contains(
                    ".env.example:3  B comes from the template (Vault, secrets.ctmpl:2) but the example does not mark it [VAULT]: mark it in the example"),
            "\(line.output)")
        let block = try await EnvCheckBinary.run(["keys", "--strict", "--vault-markers", "block"], directory: dir.path)
        #expect(block.status == 0, "\(block.output)")
        let bad = try await EnvCheckBinary.run(["keys", "--vault-markers", "paragraph"], directory: dir.path)
        #expect(bad.status == 2 && bad.stderr.contains("--vault-markers must be line or block"), "\(bad.output)")
    }

    /// One fixture per template fault a real project's history had: each is exit 2 naming
    /// the file, the line where Go's text/template stops, and Go's own wording.
    static let templateFaults: [(template: String, error: String)] = [
        ("A={{ .a }}\nB={{ .b \nC=1\n", "secrets.ctmpl:2: unterminated template action (no closing }}; Go's text/template: unclosed action)"),
        (
            "{{ with secret \"secret/data/app\" }}\nA={{ .Data.data.a }}\n",
            "secrets.ctmpl:1: {{ with }} is never closed by {{ end }} (Go's text/template: unexpected EOF)"
        ),
        ("A=1\n{{ else }}\n", "secrets.ctmpl:2: {{ else }} outside any block (Go's text/template: unexpected {{else}})"),
        ("A=1\n{{ end }}\n", "secrets.ctmpl:2: {{ end }} without an open block (Go's text/template: unexpected {{end}})"),
        ("{{ if }}\nA=1\n{{ end }}\n", "secrets.ctmpl:1: {{ if }} needs a value (Go's text/template: missing value for if)"),
        ("A=1\n{{/* rendered by vault-agent\n", "secrets.ctmpl:2: unterminated template comment (no closing }}; Go's text/template: unclosed comment)"),
        (
            "A={{ \"unterminated }}\n",
            "secrets.ctmpl:1: unterminated template string in an action (no closing }}; Go's text/template: unterminated quoted string)"
        ),
    ]

    @Test(arguments: 0..<Self.templateFaults.count) func eachTemplateFaultIsExitTwoNamingFileAndLine(_ index: Int) async throws {
        let fault = Self.templateFaults[index]
        let dir = try TempDir(prefix: "envcheck-template-fault")
        try dir.write("secrets.ctmpl", fault.template)
        try dir.write("config.py", "from pydantic_settings import BaseSettings\n\nclass Settings(BaseSettings):\n    a: str\n")
        try dir.write(".env.example", "A= # [VAULT]\n")
        let r = try await EnvCheckBinary.run(["keys"], directory: dir.path)
        #expect(r.status == 2 && r.stdout.isEmpty, "\(r.output)")
        #expect(r.stderr == "envcheck: \(fault.error)\n", "\(r.output)")
    }

    /// Two keys rendered on one line parse as a template but break the env file it renders:
    /// a `fail` finding (exit 1) naming both keys, not an input error.
    @Test func twoKeysRenderedOnOneLineAreAFailFinding() async throws {
        let dir = try TempDir(prefix: "envcheck-template-fault")
        try dir.write(
            "secrets.ctmpl",
            "{{ with secret \"secret/data/app\" }}\nDATABASE_URL={{ .Data.data.database_url }} REDIS_URL={{ .Data.data.redis_url }}\n{{ end }}\n")
        try dir.write(
            "config.py", "from pydantic_settings import BaseSettings\n\nclass Settings(BaseSettings):\n    database_url: str\n    redis_url: str\n")
        try dir.write(".env.example", "DATABASE_URL= # [VAULT]\nREDIS_URL= # [VAULT]\n")
        let r = try await EnvCheckBinary.run(["keys", "--format", "json"], directory: dir.path)
        #expect(r.status == 1, "\(r.output)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.output)")
        let findings = try #require(doc["findings"] as? [[String: Any]])
        let oneLine = findings.filter { $0["code"] as? String == "keys_on_one_line" }
        try #require(oneLine.count == 1, "\(findings)")
        #expect(oneLine[0]["severity"] as? String == "fail" && oneLine[0]["key"] as? String == "REDIS_URL" && oneLine[0]["line"] as? Int == 2)
        let message = try #require(oneLine[0]["message"] as? String)
        #expect(message.contains("DATABASE_URL") && message.contains("REDIS_URL"), "\(message)")
    }

    @Test func anUnparseableTemplateIsExitTwoNamingFileAndLine() async throws {
        let dir = try TempDir(prefix: "envcheck-template-fault")
        try dir.write("secrets.ctmpl", "{{ with secret \"secret/data/app\" }}\nA={{ .Data.data.a }}\n{{ end }}\n{{ end }}\n")
        try dir.write("config.py", "from pydantic_settings import BaseSettings\n\nclass Settings(BaseSettings):\n    a: str\n")
        try dir.write(".env.example", "A= # [VAULT]\n")
        let r = try await EnvCheckBinary.run(["keys"], directory: dir.path)
        #expect(r.status == 2)
        #expect(r.stderr == "envcheck: secrets.ctmpl:4: {{ end }} without an open block (Go's text/template: unexpected {{end}})\n", "\(r.output)")
    }
}
