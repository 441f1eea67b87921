"""Options shared by several commands, declared once. Each maps to a Settings field; None = not given."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated

import typer

from verifier.errors import UsageError

#: Help panels: the options of every command are grouped under these headings in `--help`.
SITE = "Site"
BROWSER = "Browser"
POLITENESS = "Politeness"
OUTPUTS = "Outputs"
WEEK_BY_WEEK = "Week by week"
ROSTER = "Roster and secrets"

BaseUrl = Annotated[
    str | None,
    typer.Option(
        "--base-url",
        metavar="URL",
        help="One origin serving PACER's pages, e.g. the mock. [env: PACER_BASE_URL]",
        show_default="the real PACER hosts",
        rich_help_panel=SITE,
    ),
]
BrowserPath = Annotated[
    Path | None,
    typer.Option(
        "--browser-path",
        metavar="FILE",
        help="Chromium/Chrome executable to use. [env: PACER_VERIFY_BROWSER]",
        show_default=False,
        rich_help_panel=BROWSER,
    ),
]
BrowserChannel = Annotated[
    str | None,
    typer.Option(
        "--browser-channel",
        metavar="NAME",
        help="An installed browser for Playwright to drive: chrome, msedge (Microsoft Edge) or chromium. "
        "[env: PACER_VERIFY_BROWSER_CHANNEL]",
        show_default=False,
        rich_help_panel=BROWSER,
    ),
]
Connect = Annotated[
    str | None,
    typer.Option(
        "--connect",
        metavar="WS_URL",
        help="A remote Playwright browser server. [env: PACER_VERIFY_CONNECT]",
        show_default=False,
        rich_help_panel=BROWSER,
    ),
]
Cdp = Annotated[
    str | None,
    typer.Option(
        "--cdp",
        metavar="URL",
        help="A Chromium driven over CDP. [env: PACER_VERIFY_CDP]",
        show_default=False,
        rich_help_panel=BROWSER,
    ),
]
Headed = Annotated[
    bool | None,
    typer.Option(
        "--headed/--headless", help="Show the browser window.", show_default="headless", rich_help_panel=BROWSER
    ),
]
Timeout = Annotated[
    float | None,
    typer.Option(
        "--timeout",
        metavar="SECONDS",
        help="Time one account may take. [env: PACER_VERIFY_TIMEOUT]",
        show_default="60",
        rich_help_panel=POLITENESS,
    ),
]
Trace = Annotated[
    str | None,
    typer.Option(
        "--trace",
        metavar="WHEN",
        help="Keep scrubbed Playwright traces: off, on, retain-on-failure. [env: PACER_VERIFY_TRACE]",
        show_default="off",
        rich_help_panel=OUTPUTS,
    ),
]
DebugPlaywright = Annotated[
    bool,
    typer.Option(
        "--debug-playwright",
        help="Keep DEBUG for Playwright's driver (it can print passwords). [env: PACER_VERIFY_DEBUG_PLAYWRIGHT]",
        show_default=False,
        rich_help_panel=BROWSER,
    ),
]
SignIn = Annotated[
    str | None,
    typer.Option(
        "--sign-in",
        metavar="HOW",
        help="api (PACER's Authentication API) or browser (the sign-on form). [env: PACER_VERIFY_SIGN_IN]",
        show_default="api",
        rich_help_panel=SITE,
    ),
]
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


CheckCourts = Annotated[
    bool | None,
    typer.Option(
        "--court-checks/--no-court-checks",
        help="Visit each roster court's CM/ECF to see linking.",
        show_default="court-checks",
        rich_help_panel=SITE,
    ),
]
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


SharedOutputs = Annotated[
    bool | None,
    typer.Option(
        "--shared-outputs/--private-outputs",
        help="Files with your umask's modes instead of 0600/0700. [env: PACER_VERIFY_SHARED_OUTPUTS]",
        show_default="private-outputs",
        rich_help_panel=OUTPUTS,
    ),
]
Yes = Annotated[
    bool,
    typer.Option(
        "--yes",
        "-y",
        help="Against the real PACER, sign in without asking first. [env: PACER_VERIFY_YES]",
        show_default=False,
        rich_help_panel=SITE,
    ),
]
