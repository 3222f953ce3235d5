"""Service settings (infrastructure only): from MODSCREEN_* environment variables and an optional
TOML file named by MODSCREEN_SETTINGS_FILE. The moderation policy is not here: it is
config/policy.toml, reviewed and versioned like code.
"""

from __future__ import annotations

import os
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from config import DEFAULT_POLICY


class SettingsError(ValueError):
    """A setting is missing or invalid; the message names it."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MODSCREEN_", extra="forbid", frozen=True)

    database_url: str = "sqlite:///modscreen.db"
    broker_url: str = "redis://127.0.0.1:6379/0"
    redis_url: str | None = None
    """Where outcomes are published (a Redis stream); defaults to the broker's Redis."""
    outcome_stream: str = "modscreen:outcomes"
    outcome_stream_maxlen: int = Field(default=1_000_000, ge=1_000)
    broker_visibility_timeout_seconds: int = Field(default=3600, ge=1)
    """Redis hands an unacknowledged message to another worker after this (a worker killed mid-batch)."""
    policy_path: Path = DEFAULT_POLICY
    policy_refresh_seconds: float = Field(default=30.0, gt=0, le=3600)
    """Workers look for a newly applied policy version (in the database) this often."""
    batch_size: int = Field(default=100, ge=1, le=1_000)
    batch_flush_seconds: float = Field(default=0.05, gt=0, le=10)
    task_time_limit_seconds: int = Field(default=300, ge=10)
    reconcile_after_seconds: int = Field(default=120, ge=5)
    retention_days: int = Field(default=90, ge=1)
    api_shared_post_ids: bool = False
    """False: an API client reads and revises only the posts it submitted first. True: every client shares
    one space of post ids (several backends of one community)."""
    webhook_url: str | None = None
    webhook_secrets: list[SecretStr] = []
    """Signing secrets, newest first; two during a rotation, both accepted by receivers."""
    webhook_timeout_seconds: float = Field(default=5.0, gt=0, le=60)
    max_body_bytes: int = Field(default=1_000_000, ge=1_000)
    """The HTTP API refuses larger post bodies with 413."""
    session_secret: SecretStr | None = None
    """Signs the review app's session cookies; set it (the same on every API process) in production."""
    max_request_bytes: int = Field(default=32 * 1024 * 1024, ge=10_000)
    """The HTTP API refuses larger requests with 413, before reading them."""
    max_form_bytes: int = Field(default=1024 * 1024, ge=16_384)
    """The review app refuses a larger request body (any form) with 413, before reading it."""
    signin_free_failures_per_account: int = Field(default=5, ge=1, le=100)
    """Wrong passwords for one username (from browsers it never signed in on) before sign-ins slow down."""
    signin_free_failures_per_address: int = Field(default=20, ge=1, le=10_000)
    """Failed sign-ins from one source address (IPv6: its /64), any usernames, before it is slowed down."""
    signin_first_delay_seconds: float = Field(default=1.0, gt=0, le=3600)
    """The first wait once a budget is spent; each further failure doubles it."""
    signin_max_account_delay_seconds: float = Field(default=300.0, gt=0, le=3600)
    """The longest a username's sign-ins wait: a slowdown, never a lockout of the account's owner."""
    signin_max_address_delay_seconds: float = Field(default=3600.0, gt=0, le=86_400)
    """The longest one source address waits between attempts once it has spent its budget."""
    signin_forget_after_seconds: float = Field(default=86_400.0, gt=0)
    """A bucket with no failure for this long starts counting again from zero."""

    @property
    def outcome_redis_url(self) -> str:
        return self.redis_url or self.broker_url

    @classmethod
    def settings_customise_sources(
        cls, settings_cls: type[BaseSettings], init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource, dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, _TomlFileSource(settings_cls))


class _TomlFileSource(PydanticBaseSettingsSource):
    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        path = os.environ.get("MODSCREEN_SETTINGS_FILE")
        if not path:
            return {}
        try:
            return tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as error:
            raise SettingsError(f"MODSCREEN_SETTINGS_FILE={path}: {error}") from None


def load_settings(**overrides: Any) -> Settings:
    try:
        return Settings(**overrides)
    except ValidationError as error:
        problem = error.errors()[0]
        name = ".".join(str(part) for part in problem["loc"])
        raise SettingsError(f"setting {name} (MODSCREEN_{name.upper()}): {problem['msg']}") from None


@cache
def settings() -> Settings:
    return load_settings()
