import EnvCheckCore
import Testing

@testable import EnvCheckKeys

@Suite struct SettingsParserTests {
    func fields(_ text: String) throws -> [String: SettingsField] {
        let classes = try SettingsParser.parse(text, path: "config.py")
        return Dictionary(classes.flatMap(\.fields).map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    }

    @Test func everyAliasForm() throws {
        let f = try fields(
            """
            from pydantic import AliasChoices, AliasPath, Field
            from pydantic_settings import BaseSettings, SettingsConfigDict

            class Settings(BaseSettings):
                model_config = SettingsConfigDict(env_prefix="APP_")
                plain: str = "x"
                validation: str = Field("x", validation_alias="DB_URL")
                aliased: str = Field("x", alias="REDIS_URL")
                choices: str = Field(
                    "x",
                    validation_alias=AliasChoices(
                        "S3_BUCKET",  # the new name
                        'AWS_S3_BUCKET',
                    ),
                )
                path: str = Field("x", validation_alias=AliasPath("JSON_BLOB", 0))
                legacy: str = Field("x", env=["OLD_A", "OLD_B"])
                annotated: Annotated[int, Field(alias="ANNOTATED_KEY")] = 3
            """)
        #expect(f["plain"]?.envNames == ["APP_PLAIN"])  // env_prefix applies to field names only
        #expect(f["validation"]?.envNames == ["DB_URL"])
        #expect(f["aliased"]?.envNames == ["REDIS_URL"])
        #expect(f["choices"]?.envNames == ["S3_BUCKET", "AWS_S3_BUCKET"])
        #expect(f["choices"]?.accepts("AWS_S3_BUCKET") == true)
        #expect(f["choices"]?.accepts("s3_bucket") == true)  // case-insensitive by default
        #expect(f["path"]?.envNames == ["JSON_BLOB"])
        #expect(f["legacy"]?.envNames == ["OLD_A", "OLD_B"])
        #expect(f["annotated"]?.envNames == ["ANNOTATED_KEY"])
        #expect(f["annotated"]?.hasDefault == true)
        #expect(f["plain"]?.accepts("PLAIN") == false)
    }

    @Test func defaultsAndRequiredness() throws {
        let f = try fields(
            """
            from pydantic_settings import BaseSettings

            class Settings(BaseSettings):
                a: str
                b: str = "x"
                c: str = Field(default="x")
                d: list[str] = Field(default_factory=list)
                e: str = Field("positional")
                f: str = Field(..., description="required")
                g: str = Field(default=..., min_length=3)
                h: Optional[str]
                i: int | None
                j: str = Field(description="no default given")
                k: Annotated[str, Field(min_length=1)]
            """)
        let required = f.values.filter(\.isRequired).map(\.name).sorted()
        #expect(required == ["a", "f", "g", "j", "k"])
        #expect(f["h"]?.type.isOptional == true)
        #expect(f["i"]?.type.isOptional == true)
        #expect(f["d"]?.hasDefault == true)
    }

    @Test func typeHints() throws {
        let f = try fields(
            """
            import pydantic
            from pydantic_settings import BaseSettings

            class Nested(pydantic.BaseModel):
                x: int = 1

            class Settings(BaseSettings):
                s: str = ""
                n: int = 1
                r: float = 1.0
                b: bool = False
                o: Optional[int] = None
                u: int | None = None
                l: list[int] = []
                t: typing.List[str] = []
                d: dict[str, int] = {}
                secret: SecretStr = ""
                pg: PostgresDsn = "postgres://x"
                web: HttpUrl = "https://x"
                any_url: pydantic.AnyUrl = "x:y"
                forward: "int | None" = None
                literal: Literal["a", "b"] = "a"
                nested: Nested = Nested()
            """)
        #expect(f["s"]?.type.kinds == [.string])
        #expect(f["n"]?.type.kinds == [.int])
        #expect(f["r"]?.type.kinds == [.float])
        #expect(f["b"]?.type.kinds == [.bool])
        #expect(f["o"]?.type.kinds == [.int] && f["o"]?.type.isOptional == true)
        #expect(f["u"]?.type.kinds == [.int] && f["u"]?.type.isOptional == true)
        #expect(f["l"]?.type.kinds == [.jsonArray])
        #expect(f["t"]?.type.kinds == [.jsonArray])
        #expect(f["d"]?.type.kinds == [.jsonObject])
        #expect(f["secret"]?.type.kinds == [.string])
        #expect(f["pg"]?.type.kinds == [.url(httpOnly: false, needsHost: true)])
        #expect(f["web"]?.type.kinds == [.url(httpOnly: true, needsHost: true)])
        #expect(f["any_url"]?.type.kinds == [.url(httpOnly: false, needsHost: false)])
        #expect(f["forward"]?.type.kinds == [.int] && f["forward"]?.type.isOptional == true)
        #expect(f["literal"]?.type.kinds == [.literal([.string("a"), .string("b")])])
        #expect(f["nested"]?.isNestedModel == true)
        #expect(f["u"]?.type.text == "int | None")
    }

    @Test func inheritanceIncludesParentFieldsAndConfig() throws {
        let classes = try SettingsParser.parse(
            """
            from pydantic_settings import BaseSettings, SettingsConfigDict

            class Mixin(BaseModel):
                mixin_field: str = "m"

            class Base(BaseSettings):
                model_config = SettingsConfigDict(env_prefix="SVC_")
                shared: str = "s"
                overridden: int = 1

            class Api(Mixin, Base):
                overridden: str = "now a string"
                api_only: int = 2

            class Worker(Base):
                model_config = SettingsConfigDict(env_prefix="WORKER_")
                concurrency: int = 4
            """, path: "config.py")
        #expect(classes.map(\.name) == ["Api", "Worker"])  // Base is checked through its children
        let api = classes[0].fields
        #expect(api.map(\.name) == ["shared", "overridden", "mixin_field", "api_only"])
        #expect(api.map(\.envNames) == [["SVC_SHARED"], ["SVC_OVERRIDDEN"], ["SVC_MIXIN_FIELD"], ["SVC_API_ONLY"]])
        #expect(api[1].type.kinds == [.string])
        #expect(api[1].declaredIn == "Api")
        #expect(classes[1].fields.map(\.envNames) == [["WORKER_SHARED"], ["WORKER_OVERRIDDEN"], ["WORKER_CONCURRENCY"]])
    }

    @Test func caseSensitivityAndLegacyConfig() throws {
        let classes = try SettingsParser.parse(
            """
            from pydantic import BaseSettings

            class Settings(BaseSettings):
                database_url: str

                class Config:
                    env_prefix = "my_"
                    case_sensitive = True

            class Loose(BaseSettings):
                model_config = {"case_sensitive": False, "env_prefix": "l_"}
                token: str = ""
            """, path: "config.py")
        let strict = classes[0].fields[0]
        #expect(strict.envNames == ["my_database_url"])
        #expect(strict.accepts("my_database_url"))
        #expect(!strict.accepts("MY_DATABASE_URL"))
        let loose = classes[1].fields[0]
        #expect(loose.envNames == ["L_TOKEN"])
        #expect(loose.accepts("l_token"))
    }

    @Test func methodsDecoratorsStringsAndClassVarsAreNotFields() throws {
        let f = try fields(
            #"""
            from typing import ClassVar
            from pydantic_settings import BaseSettings

            class Settings(BaseSettings):
                """Docstring with fake: int = 1 inside."""
                _private: str = "p"
                REGISTRY: ClassVar[dict] = {}
                real: str = 'it''s' "# not a comment"  # a comment: fake2: int

                @property
                def computed(self) -> str:
                    local: int = 1
                    return "x: int = 2"

                async def other(self):
                    y: str = r"\d+\" still raw"
                    return y
                after_methods: int = \
                    5
            """#)
        #expect(f.keys.sorted() == ["after_methods", "real"])
    }

    @Test func fileWithoutSettingsClassIsAnError() {
        #expect(throws: KeysInputError(path: "c.py", message: "no class deriving from BaseSettings (pydantic-settings) was found")) {
            try SettingsParser.parse("class A:\n    x: int = 1\n", path: "c.py")
        }
        #expect(throws: KeysInputError(path: "c.py", line: 3, message: "unterminated string literal")) {
            try SettingsParser.parse("class A(BaseSettings):\n    x: int = 1\n    y: str = \"open\n", path: "c.py")
        }
    }
}
