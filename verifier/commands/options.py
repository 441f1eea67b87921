"""Options shared by several commands, declared once.

The settings' options (`SETTINGS`) are each defined once from the field it sets: its environment name and
default come from `Settings.model_fields` (verifier.config), so `--help` says what the settings do. A
command takes the ones it offers with `@with_settings(...)` and receives them as one `SettingsFlags`
(pip's cmdoptions.py is the model: options defined once, grouped, added to a command as a group).
The other shared options (`Json`, `CourtsFile`, `AsOf`, `Prefer`) are plain annotations; None = not given.
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from verifier.config import FLAG_NAMES, Settings
from verifier.errors import UsageError

if TYPE_CHECKING:
    from pydantic.fields import FieldInfo

R = TypeVar("R")

#: Help panels: the options of every command are grouped under these headings in `--help`.
SITE = "Site"
BROWSER = "Browser"
POLITENESS = "Politeness"
OUTPUTS = "Outputs"
WEEK_BY_WEEK = "Week by week"
ROSTER = "Roster and secrets"

Json = Annotated[
    bool,
    typer.Option("--json", help="Print JSON for machines instead of a table for people.", rich_help_panel=OUTPUTS),
]
CourtsFile = Annotated[
    Path | None,
    typer.Option(
        "--courts",
        metavar="FILE",
        help="Your courts file (JSON/CSV), adding to or overriding the bundled registry.",
        show_default=False,
        rich_help_panel=SITE,
    ),
]
Prefer = Annotated[
    str | None,
    typer.Option(
        "--prefer",
        metavar="WHICH",
        help="When two results files disagree about an attorney: newer keeps the later check.",
        show_default="refuse files that disagree",
        rich_help_panel=OUTPUTS,
    ),
]


def prefer_choice(value: str | None) -> str | None:
    """`--prefer`'s value, checked: `newer`, or not given."""
    if value is None:
        return None
    if value.strip().lower() != "newer":
        raise UsageError(f"--prefer {value!r}: the one choice is newer (keep the later check)")
    return "newer"


AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="YYYY-MM-DD",
        help="Read the deadlines for this day instead of today.",
        show_default=False,
        rich_help_panel=WEEK_BY_WEEK,
    ),
]


def as_of_date(value: str | None) -> dt.date | None:
    """The `--as-of` day, or a usage error (exit 2) naming the option."""
    if value is None:
        return None
    text = value.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    raise UsageError(f"--as-of {value!r}: expected a date as YYYY-MM-DD, e.g. 2026-03-01")


def output_path(value: str | Path) -> Path:
    """--out / -o as a path; empty is refused: Path("") means the current folder, which nobody types on purpose.
    (Typer passes a command's default through here too, already a Path.)"""
    if isinstance(value, Path):
        return value
    if not value.strip():
        raise typer.BadParameter("is empty; name a folder or file (. for the current folder)")
    return Path(value)


# --- the settings' options, each defined once from its field -------------------------------------------


@dataclass(frozen=True)
class SettingOption:
    """One option that sets a `Settings` field: its names and words here; its environment name and
    default read from the field."""

    param: str
    """The command's parameter, as `load_settings` takes it (`rate`, `timeout`, `court_checks`, `base_url`)."""
    names: tuple[str, ...]
    kind: Any
    """The parameter's type (None: not given, so the environment, `.env` and the default decide)."""
    help: str
    panel: str
    metavar: str | None = None
    shown_default: str | None = None
    """What `--help` says the default is, when the field's own value would not say it to a person."""
    limits: Mapping[str, Any] = field(default_factory=dict)

    @property
    def field(self) -> FieldInfo:
        return Settings.model_fields[FLAG_NAMES.get(self.param, self.param)]

    @property
    def env(self) -> str:
        return str(self.field.validation_alias)

    def default_text(self) -> str:
        """The field's default as `--help` shows it: `60`, `api`, `headless`; "" for none."""
        if self.shown_default is not None:
            return self.shown_default
        value = self.field.default
        if isinstance(value, bool):
            on, _, off = self.names[0].partition("/")
            return (on if value else off).lstrip("-") if off else ""
        if value is None:
            return ""
        return f"{value:g}" if isinstance(value, float) else str(value)

    def annotation(self) -> Any:
        option = typer.Option(
            *self.names,
            metavar=self.metavar,
            help=f"{self.help} [env: {self.env}]",
            show_default=self.default_text() or False,
            rich_help_panel=self.panel,
            **self.limits,
        )
        return Annotated[self.kind, option]

    def default(self) -> Any:
        """The parameter's value when the option is not given: None, or False for a flag with no off-switch."""
        return False if self.kind is bool else None


def _options(*options: SettingOption) -> dict[str, SettingOption]:
    return {option.param: option for option in options}


SETTINGS = _options(
    SettingOption(
        "base_url",
        ("--base-url",),
        str | None,
        "One origin serving PACER's pages, e.g. the mock.",
        SITE,
        "URL",
        shown_default="the real PACER hosts",
    ),
    SettingOption(
        "sign_in",
        ("--sign-in",),
        str | None,
        "api (PACER's Authentication API) or browser (the sign-on form).",
        SITE,
        "HOW",
    ),
    SettingOption(
        "court_checks",
        ("--court-checks/--no-court-checks",),
        bool | None,
        "Visit each roster court's CM/ECF to see linking.",
        SITE,
    ),
    SettingOption("yes", ("--yes", "-y"), bool, "Against the real PACER, sign in without asking first.", SITE),
    SettingOption("username", ("--username", "-u"), str | None, "PACER username.", SITE, "NAME"),
    SettingOption(
        "client_code",
        ("--client-code",),
        str | None,
        "The firm's PACER client code, sent with the sign-in (for a firm billing account that requires one; "
        "without it PACER allows no search).",
        SITE,
        "CODE",
    ),
    SettingOption(
        "browser_path", ("--browser-path",), Path | None, "Chromium/Chrome executable to use.", BROWSER, "FILE"
    ),
    SettingOption(
        "browser_channel",
        ("--browser-channel",),
        str | None,
        "An installed browser for Playwright to drive: chrome, msedge (Microsoft Edge) or chromium.",
        BROWSER,
        "NAME",
    ),
    SettingOption("connect", ("--connect",), str | None, "A remote Playwright browser server.", BROWSER, "WS_URL"),
    SettingOption("cdp", ("--cdp",), str | None, "A Chromium driven over CDP.", BROWSER, "URL"),
    SettingOption("headed", ("--headed/--headless",), bool | None, "Show the browser window.", BROWSER),
    SettingOption(
        "debug_playwright",
        ("--debug-playwright",),
        bool,
        "Keep DEBUG for Playwright's driver (it can print passwords).",
        BROWSER,
    ),
    SettingOption(
        "concurrency",
        ("--concurrency", "-c"),
        int | None,
        "Accounts checked at once (1 to 64).",
        POLITENESS,
        "N",
        shown_default="2 per core, at most 8",
        limits={"min": 1, "max": 64},
    ),
    SettingOption(
        "rate",
        ("--rate",),
        float | None,
        "Most sign-ins per minute, all accounts together (0: no limit, for the mock only).",
        POLITENESS,
        "N",
        limits={"min": 0},
    ),
    SettingOption(
        "retries",
        ("--retries",),
        int | None,
        "Retries for transient faults (never for a rejected login).",
        POLITENESS,
        "N",
        limits={"min": 0, "max": 10},
    ),
    SettingOption(
        "timeout",
        ("--timeout",),
        float | None,
        "How long to wait for each page or answer of the site before it counts as a fault: a limit on each "
        "wait, not on an account (one attempt may wait 6 times, and twice more per court).",
        POLITENESS,
        "SECONDS",
    ),
    SettingOption(
        "account_timeout",
        ("--account-timeout",),
        float | None,
        "How long one account's whole check may take, its retries included; then it ends as site_error, "
        "without sending the password again.",
        POLITENESS,
        "SECONDS",
    ),
    SettingOption(
        "shared_outputs",
        ("--shared-outputs/--private-outputs",),
        bool | None,
        "Files with your umask's modes instead of 0600/0700.",
        OUTPUTS,
    ),
    SettingOption(
        "trace",
        ("--trace",),
        str | None,
        "Keep scrubbed Playwright traces: off, on, retain-on-failure.",
        OUTPUTS,
        "WHEN",
    ),
)


@dataclass(frozen=True)
class SettingsFlags:
    """The settings' options a command was given, passed on as one (those not given are left out: the
    environment, `.env` and the defaults decide)."""

    given: Mapping[str, Any] = field(default_factory=dict)

    def get(self, param: str) -> Any:
        return self.given.get(param)

    def load(self, **fixed: Any) -> Settings:
        """The run's settings: these flags, and what the command decides itself (`check`: one account)."""
        from verifier.config import load_settings

        return load_settings(**{**self.given, **fixed})


#: A command's `flags` parameter's default: `with_settings` replaces the parameter by the options themselves.
NONE_GIVEN = SettingsFlags()


def with_settings(*params: str) -> Callable[[Callable[..., R]], Callable[..., R]]:
    """Give a command the settings' options `params` (keys of `SETTINGS`), where its `flags` parameter
    stands and in this order, and call it with them as `flags: SettingsFlags`."""
    chosen = [SETTINGS[param] for param in params]

    def decorate(command: Callable[..., R]) -> Callable[..., R]:
        signature = inspect.signature(command, eval_str=True)  # the Annotated options themselves, not text
        before = list(signature.parameters.values())
        at = next(i for i, p in enumerate(before) if p.name == "flags")
        added = [
            inspect.Parameter(
                o.param, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=o.default(), annotation=o.annotation()
            )
            for o in chosen
        ]

        @functools.wraps(command)
        def run(**values: Any) -> R:
            given = {o.param: values.pop(o.param) for o in chosen}
            kept = {o.param: given[o.param] for o in chosen if given[o.param] != o.default()}
            return command(**values, flags=SettingsFlags(kept))

        run.__signature__ = signature.replace(parameters=[*before[:at], *added, *before[at + 1 :]])  # type: ignore[attr-defined]
        annotations = {name: kind for name, kind in command.__annotations__.items() if name != "flags"}
        run.__annotations__ = annotations | {p.name: p.annotation for p in added}
        return run

    return decorate
