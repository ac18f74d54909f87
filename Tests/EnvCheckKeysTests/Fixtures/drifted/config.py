from pydantic import Field, PostgresDsn
from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    database_url: PostgresDsn
    redis_url: str = "redis://localhost:6379/0"
    workers: int = 4
    debug: bool = False
    sentry_dsn: str = Field(..., alias="SENTRY_DSN")
    cache_ttl: int = 60
    allowed_hosts: list[str] = []

    class Config:
        env_file = ".env"
