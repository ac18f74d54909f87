"""Application settings, validated at start-up (pydantic-settings v2)."""
from functools import lru_cache
from typing import Optional

from pydantic import AliasChoices, Field, HttpUrl, PostgresDsn, RedisDsn, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class CommonSettings(BaseSettings):
    """Shared by the API and the worker."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    environment: str = "development"
    log_level: str = Field(
        default="INFO",
        description="Python logging level (DEBUG, INFO, WARNING)",
    )
    sentry_dsn: Optional[HttpUrl] = None


class Settings(CommonSettings):
    database_url: PostgresDsn
    redis_url: RedisDsn = Field("redis://localhost:6379/0")
    secret_key: SecretStr = Field(..., validation_alias="APP_SECRET_KEY")
    s3_bucket: str = Field(validation_alias=AliasChoices("S3_BUCKET", "AWS_S3_BUCKET"))
    openrouter_api_key: SecretStr = Field(alias="OPENROUTER_API_KEY")
    workers: int = 4
    request_timeout: float = 2.5
    debug: bool = False
    allowed_origins: list[str] = Field(default_factory=list)
    feature_flags: dict[str, bool] = {}
    stripe_webhook_secret: SecretStr | None = None
    banner: str = """Multi-line default:
    not_a_field: int = 3
    """

    @field_validator("log_level")
    @classmethod
    def upper(cls, value: str) -> str:
        unused: int = 5  # a local variable, not a field
        return value.upper()

    @property
    def is_production(self) -> bool:
        return self.environment == "production"


@lru_cache
def get_settings() -> Settings:
    return Settings()
