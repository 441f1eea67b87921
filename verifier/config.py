"""Settings, built once: command-line flags > environment > `.env` > defaults.

Every field is documented here and in `.env.example`. The CLI passes the flags the user gave as
keyword arguments to :func:`load_settings`; pydantic-settings reads the environment and `.env`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

TraceMode = Literal["off", "on", "retain-on-failure"]


def default_concurrency() -> int:
    """Browser contexts at once: the browser is CPU bound, so two per core is the knee measured here."""
    return max(1, min(8, 2 * (os.cpu_count() or 1)))


class Settings(BaseSettings):
    """How pacer-verify reaches PACER and how politely it does so."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
    )

    base_url: str | None = Field(
        default=None,
        validation_alias="PACER_BASE_URL",
    )
    """One origin that serves every PACER page on the real site's paths (the bundled mock, or a
    replica). Unset means the real PACER hosts. Must be https unless it is loopback."""

    browser_path: Path | None = Field(
        default=None, validation_alias="PACER_VERIFY_BROWSER"
    )
    """A Chromium or Chrome executable to use before looking for Playwright's own or the system's."""

    connect: str | None = Field(default=None, validation_alias="PACER_VERIFY_CONNECT")
    """A Playwright browser server's WebSocket endpoint (`playwright run-server`, Browserless)."""

    cdp: str | None = Field(default=None, validation_alias="PACER_VERIFY_CDP")
    """A Chromium DevTools endpoint (http://host:9222) to drive instead of launching a browser."""

    headed: bool = Field(default=False, validation_alias="PACER_VERIFY_HEADED")
    """Show the browser window (for watching a run by eye)."""

    concurrency: int = Field(
        default_factory=default_concurrency,
        ge=1,
        le=64,
        validation_alias="PACER_VERIFY_CONCURRENCY",
    )
    """How many accounts are checked at once (browser contexts open at the same time)."""

    rate_per_minute: float = Field(
        default=30.0, ge=0, validation_alias="PACER_VERIFY_RATE"
    )
    """Most sign-ins started per minute across the whole run; 0 turns the limit off (mock only).
    The default is deliberately slow: PACER warns that excessive automated logins may lead to suspension."""

    timeout_s: float = Field(default=60.0, gt=0, validation_alias="PACER_VERIFY_TIMEOUT")
    """Seconds one account may take, all steps included, before it counts as a transient fault."""

    retries: int = Field(default=2, ge=0, le=10, validation_alias="PACER_VERIFY_RETRIES")
    """Extra attempts after a transient fault (timeout, 5xx, dropped connection, browser crash).
    A login the site rejected is never retried."""

    stop_after_locked: int = Field(
        default=3, ge=0, validation_alias="PACER_VERIFY_STOP_AFTER_LOCKED"
    )
    """Stop starting new sign-ins after this many `locked` results in a row (0 = never stop)."""

    trace: TraceMode = Field(default="off", validation_alias="PACER_VERIFY_TRACE")
    """Keep a Playwright trace per account: off, on, or retain-on-failure. Traces may hold session cookies."""

    screenshots: bool = Field(default=True, validation_alias="PACER_VERIFY_SCREENSHOTS")
    """Save a screenshot (password and code fields masked) for accounts that end on an unexpected page."""

    check_courts: bool = Field(default=True, validation_alias="PACER_VERIFY_CHECK_COURTS")
    """Also sign into each roster court's CM/ECF to see whether the account is linked."""

    log_level: str = Field(default="WARNING", validation_alias="PACER_VERIFY_LOG_LEVEL")
    """Python logging level for pacer-verify's own log lines (never holds secrets)."""

    username: str | None = Field(default=None, validation_alias="PACER_USERNAME")
    """For `check`: the PACER username."""

    password: SecretStr | None = Field(default=None, validation_alias="PACER_PASSWORD")
    """For `check`: the PACER password. Prefer the hidden prompt or the environment to a flag."""

    otp_secret: SecretStr | None = Field(default=None, validation_alias="PACER_OTP_SECRET")
    """For `check`: the authenticator (TOTP) secret, base32, when the account uses MFA."""

    @field_validator("base_url")
    @classmethod
    def _strip_slash(cls, value: str | None) -> str | None:
        return value.rstrip("/") if value else value


def load_settings(env_file: Path | str | None = ".env", **flags: Any) -> Settings:
    """Build settings; flags that are None (not given on the command line) do not override."""
    # Flags are passed under the environment names: matching fields by their own names would also
    # let generic variables such as USERNAME leak into the settings.
    given = {_alias(key): value for key, value in flags.items() if value is not None}
    return Settings(_env_file=env_file, **given)  # type: ignore[call-arg]


def _alias(field_name: str) -> str:
    alias = Settings.model_fields[field_name].validation_alias
    return alias if isinstance(alias, str) else field_name
