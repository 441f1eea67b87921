"""Settings, built once: command-line flags > environment > `.env` > defaults.

Every field is documented here and in `.env.example`. The CLI passes the flags the user gave as
keyword arguments to :func:`load_settings`; pydantic-settings reads the environment and `.env`.
"""

from __future__ import annotations

import io
import logging
import os
from pathlib import Path
from typing import Any, Literal

from dotenv import dotenv_values
from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from verifier import inputs, outputs
from verifier.check.site import normalize_base_url
from verifier.errors import UsageError
from verifier.text import shown

TraceMode = Literal["off", "on", "retain-on-failure"]
SignInMethod = Literal["api", "browser"]
log = logging.getLogger(__name__)
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
#: The command-line flag of each field that has one, for error messages.
FLAGS = {
    "base_url": "--base-url",
    "browser_path": "--browser-path",
    "browser_channel": "--browser-channel",
    "connect": "--connect",
    "cdp": "--cdp",
    "headed": "--headed",
    "concurrency": "--concurrency",
    "rate_per_minute": "--rate",
    "timeout_s": "--timeout",
    "account_timeout_s": "--account-timeout",
    "retries": "--retries",
    "trace": "--trace",
    "check_courts": "--court-checks",
    "username": "--username",
    "client_code": "--client-code",
    "shared_outputs": "--shared-outputs",
    "sign_in": "--sign-in",
    "yes": "--yes",
    "debug_playwright": "--debug-playwright",
}
#: Sign-ins per minute, when limited: slower than one every 10 minutes is a mistake, faster than
#: 100 a second is no limit at all.
MIN_RATE = 0.1
MAX_RATE = 6000.0
#: Settings that `.env` may change only with a warning naming the file.
WATCHED_IN_DOTENV = (
    "PACER_BASE_URL",
    "PACER_VERIFY_BROWSER",
    "PACER_VERIFY_BROWSER_CHANNEL",
    "PACER_VERIFY_CONNECT",
    "PACER_VERIFY_CDP",
    "PACER_VERIFY_HEADED",
    "PACER_VERIFY_TRACE",
    "PACER_VERIFY_SHARED_OUTPUTS",
)
#: Installed browsers Playwright drives by name (its `channel`): Google Chrome, Microsoft Edge, and
#: Playwright's Chromium in its new headless mode.
BROWSER_CHANNELS = ("chrome", "msedge", "chromium")
#: A settings file larger than this is not one (it is read whole).
MAX_DOTENV = 1 << 20
#: Never repeated in an error: secrets, and URLs (which may carry user info).
UNSHOWN = frozenset({"password", "otp_secret", "base_url", "connect", "cdp"})


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

    browser_path: Path | None = Field(default=None, validation_alias="PACER_VERIFY_BROWSER")
    """A Chromium or Chrome executable to use before looking for Playwright's own or the system's."""

    browser_channel: str | None = Field(default=None, validation_alias="PACER_VERIFY_BROWSER_CHANNEL")
    """An installed browser for Playwright to find by name: chrome (Google Chrome), msedge (Microsoft
    Edge) or chromium. Neither this nor `browser_path`: the search of verifier.browser.discovery."""

    connect: str | None = Field(default=None, validation_alias="PACER_VERIFY_CONNECT")
    """A Playwright browser server's WebSocket endpoint (`playwright run-server`, Browserless)."""

    cdp: str | None = Field(default=None, validation_alias="PACER_VERIFY_CDP")
    """A Chromium DevTools endpoint (http://host:9222) to drive instead of launching a browser."""

    headed: bool = Field(default=False, validation_alias="PACER_VERIFY_HEADED")
    """Show the browser window (for watching a run by eye)."""

    yes: bool = Field(default=False, validation_alias="PACER_VERIFY_YES")
    """Sign in to the real PACER without asking first at a terminal (verifier.check.site_guard)."""

    concurrency: int = Field(
        default_factory=default_concurrency,
        ge=1,
        le=64,
        validation_alias="PACER_VERIFY_CONCURRENCY",
    )
    """How many accounts are checked at once (browser contexts open at the same time)."""

    rate_per_minute: float = Field(
        default=30.0, ge=0, le=MAX_RATE, allow_inf_nan=False, validation_alias="PACER_VERIFY_RATE"
    )
    """Most sign-ins started per minute across the whole run; 0 turns the limit off (mock only).
    The default is deliberately slow: PACER warns that excessive automated logins may lead to suspension.
    Otherwise between 0.1 (one sign-in every 10 minutes) and 6000."""

    timeout_s: float = Field(
        default=60.0, ge=1, le=86_400, allow_inf_nan=False, validation_alias="PACER_VERIFY_TIMEOUT"
    )
    """Seconds to wait for each thing the site does (a page to load, an answer to a sign-in, a court's
    menu) before it counts as a fault of the site (1 to 86400). Not a limit on an account: one attempt may
    wait this many seconds x (6 + 2 x its courts); `account_timeout_s` bounds the whole account."""

    account_timeout_s: float = Field(
        default=300.0, ge=1, le=86_400, allow_inf_nan=False, validation_alias="PACER_VERIFY_ACCOUNT_TIMEOUT"
    )
    """Seconds one account's whole check may take, its attempts and the pauses between them included, from
    its first turn to sign in (1 to 86400). When it runs out the check ends safely: the password is not sent
    again, its sessions are ended, and the result is site_error, saying so (verifier.run.account)."""

    retries: int = Field(default=2, ge=0, le=10, validation_alias="PACER_VERIFY_RETRIES")
    """Extra attempts after a transient fault (timeout, 5xx, dropped connection, browser crash).
    A login the site rejected is never retried."""

    stop_after_locked: int = Field(default=3, ge=0, validation_alias="PACER_VERIFY_STOP_AFTER_LOCKED")
    """Stop starting new sign-ins after this many `locked` results in a row (0 = never stop)."""

    sign_in: SignInMethod = Field(default="api", validation_alias="PACER_VERIFY_SIGN_IN")
    """How to sign in: `api`, PACER's Authentication API (the address PACER offers for scripts; the
    browser then only opens Manage My Account: about half the work per account), or `browser`, the
    sign-on form as a person uses it. When and how a run switches from the API to the form:
    verifier.check.verify.SignInSwitch."""

    trace: TraceMode = Field(default="off", validation_alias="PACER_VERIFY_TRACE")
    """Keep a Playwright trace per account: off, on, or retain-on-failure. Traces hold the pages seen
    (names, account details); passwords, codes, request bodies and cookies are scrubbed out."""

    debug_playwright: bool = Field(default=False, validation_alias="PACER_VERIFY_DEBUG_PLAYWRIGHT")
    """Let Playwright's driver see `DEBUG`/`DEBUG_FILE` (e.g. `DEBUG=pw:api`): its debug output can hold
    passwords and codes, so these are otherwise removed from its environment (with a loud warning when on)."""

    screenshots: bool = Field(default=True, validation_alias="PACER_VERIFY_SCREENSHOTS")
    """Save a screenshot (password and code fields masked) for accounts that end on an unexpected page."""

    check_courts: bool = Field(default=True, validation_alias="PACER_VERIFY_CHECK_COURTS")
    """Also sign into each roster court's CM/ECF to see whether the account is linked."""

    log_level: str = Field(default="WARNING", validation_alias="PACER_VERIFY_LOG_LEVEL")
    """Python logging level for pacer-verify's own log lines (never holds secrets): DEBUG, INFO,
    WARNING, ERROR or CRITICAL. Applied by `load_settings`."""

    shared_outputs: bool = Field(default=False, validation_alias="PACER_VERIFY_SHARED_OUTPUTS")
    """Create results, reports and artifacts with the modes the umask gives (commonly 0644, folders 0755)
    instead of 0600/0700: they hold names, usernames and account status. Applied by `load_settings`."""

    username: str | None = Field(default=None, validation_alias="PACER_USERNAME")
    """For `check`: the PACER username."""

    password: SecretStr | None = Field(default=None, validation_alias="PACER_PASSWORD")
    """For `check`: the PACER password. Prefer the hidden prompt or the environment to a flag."""

    otp_secret: SecretStr | None = Field(default=None, validation_alias="PACER_OTP_SECRET")
    """For `check`: the authenticator (TOTP) secret, base32, when the account uses MFA."""

    client_code: str | None = Field(default=None, validation_alias="PACER_CLIENT_CODE")
    """For `check`: the firm's PACER client code, sent with the sign-in (not a secret)."""

    @field_validator("base_url")
    @classmethod
    def _origin(cls, value: str | None) -> str | None:
        # Set but empty is an error, not the real site: PACER_BASE_URL= in a script is a mistake.
        return None if value is None else normalize_base_url(value)

    @field_validator("rate_per_minute")
    @classmethod
    def _rate(cls, value: float) -> float:
        # A rate such as 1e-300 spaces the second sign-in centuries after the first: the run seems to hang.
        if 0 < value < MIN_RATE:
            raise ValueError(f"0 turns the limit off; otherwise at least {MIN_RATE} (one sign-in every 10 minutes)")
        return value

    @field_validator("browser_channel")
    @classmethod
    def _channel(cls, value: str | None) -> str | None:
        return None if value is None else browser_channel(value)

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in LOG_LEVELS:
            raise ValueError(f"expected one of {', '.join(LOG_LEVELS)}")
        return level

    @model_validator(mode="after")
    def _one_remote_browser(self) -> Settings:
        if self.connect and self.cdp:
            raise ValueError(
                "--connect (PACER_VERIFY_CONNECT) and --cdp (PACER_VERIFY_CDP) both given; "
                "choose one way to reach a browser"
            )
        return self


def browser_channel(value: str) -> str:
    """A channel as Playwright names it, or ValueError saying which there are."""
    channel = value.strip().lower()
    if channel not in BROWSER_CHANNELS:
        edge = " (Microsoft Edge is msedge)" if "edge" in channel else ""
        raise ValueError(f"expected one of {', '.join(BROWSER_CHANNELS)}{edge}")
    return channel


#: The command line's names for the settings whose field is named otherwise (`--rate` sets
#: `rate_per_minute`); `load_settings` takes either name.
FLAG_NAMES = {
    "rate": "rate_per_minute",
    "timeout": "timeout_s",
    "account_timeout": "account_timeout_s",
    "court_checks": "check_courts",
}


def setting_names() -> list[str]:
    """Every name `load_settings` takes: the settings' fields and the command line's names for them."""
    return sorted({*Settings.model_fields, *FLAG_NAMES})


def _field_name(name: str) -> str:
    field = FLAG_NAMES.get(name, name)
    if field not in Settings.model_fields:
        raise TypeError(
            f"load_settings() got an unexpected keyword argument {name!r}; valid names: {', '.join(setting_names())}"
        )
    return field


def load_settings(env_file: Path | str | None = ".env", **flags: Any) -> Settings:
    """Build settings; flags that are None (not given on the command line) do not override.

    Flags are the settings' names (`rate_per_minute`, `timeout_s`, ...) or the command line's
    (`rate`, `timeout`, `court_checks`; see `FLAG_NAMES`); any other name is a TypeError naming the
    valid ones.

    A bad value (a flag, the environment or `.env`) is a UsageError naming the flag or variable. The
    two process-wide settings, the log level and the output modes, are applied here, once they are valid.
    """
    # Flags are passed under the environment names: matching fields by their own names would also
    # let generic variables such as USERNAME leak into the settings.
    fields = {key: _field_name(key) for key in flags}  # a wrong name fails even when its value is None
    given = {_alias(fields[key]): value for key, value in flags.items() if value is not None}
    from_file = _read_dotenv(env_file)
    try:
        settings = Settings(_env_file=env_file, **given)
    except ValidationError as exc:
        raise _usage_error(exc, set(given)) from None
    _warn_about_dotenv(env_file, from_file, set(given))
    settings = _one_browser(settings, set(given))
    logging.getLogger().setLevel(settings.log_level)
    outputs.set_shared(settings.shared_outputs)
    return settings


def _one_browser(settings: Settings, flags: set[str]) -> Settings:
    """A browser path and a channel name two browsers. A flag beats the environment (`--browser-channel
    msedge` with PACER_VERIFY_BROWSER set uses Edge); both from the same place is a usage error."""
    if settings.browser_path is None or settings.browser_channel is None:
        return settings
    path_flag, channel_flag = _alias("browser_path") in flags, _alias("browser_channel") in flags
    if channel_flag and not path_flag:
        return settings.model_copy(update={"browser_path": None})
    if path_flag and not channel_flag:
        return settings.model_copy(update={"browser_channel": None})
    raise UsageError(
        "--browser-path (PACER_VERIFY_BROWSER) and --browser-channel (PACER_VERIFY_BROWSER_CHANNEL) both "
        "given; choose one browser"
    )


def _read_dotenv(env_file: Path | str | None) -> dict[str, str | None]:
    """The `.env` file's settings, or a usage error naming it: a FIFO or device would hang or fill memory,
    and a byte that is not UTF-8 would otherwise end the command as an internal error."""
    if env_file is None:
        return {}
    path = Path(env_file)
    try:
        data = inputs.read_regular_bytes(path, "settings file", MAX_DOTENV)
    except FileNotFoundError:
        return {}
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(
            f"{path}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); save it as UTF-8"
        ) from None
    return {key.upper(): value for key, value in dotenv_values(stream=io.StringIO(text)).items()}


def _warn_about_dotenv(env_file: Path | str | None, from_file: dict[str, str | None], flags: set[str]) -> None:
    """One line when `.env` (not a flag, not the environment) decides the browser, the site or who may
    read the outputs: a file left in the folder should not change those silently."""
    taking = [
        name
        for name in WATCHED_IN_DOTENV
        if name in from_file and name not in flags and name.lower() not in {k.lower() for k in os.environ}
    ]
    if taking:
        log.warning(
            "%s sets %s: the browser, the site or the privacy of the outputs come from that file",
            env_file,
            ", ".join(taking),
        )


def _usage_error(exc: ValidationError, flags: set[str]) -> UsageError:
    """The first problem as one line: which flag or variable, its value (unless it may hold a secret), why."""
    error = exc.errors()[0]
    alias = str(error["loc"][0]) if error["loc"] else ""
    field = next((name for name in Settings.model_fields if _alias(name) == alias), "")
    from_flag = alias in flags
    name = FLAGS.get(field, alias) if from_flag else alias
    origin = "" if from_flag else " (from the environment or .env)"
    message = str(error["msg"]).removeprefix("Value error, ")
    if not alias:  # a rule across fields: its message names them
        return UsageError(message)
    if field == "base_url":  # the message names the URL's problem, never its user info
        return UsageError(message.replace("--base-url", name, 1) + origin)
    value = "" if field in UNSHOWN else "=" + shown(repr(error["input"]))[:80]
    return UsageError(f"{name}{value}{origin}: {message}")


def _alias(field_name: str) -> str:
    alias = Settings.model_fields[field_name].validation_alias
    return alias if isinstance(alias, str) else field_name
