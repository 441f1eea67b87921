"""Options shared by several commands, declared once. Each maps to a Settings field; None = not given."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated

import typer

from verifier.errors import UsageError

BaseUrl = Annotated[
    str | None,
    typer.Option(
        "--base-url",
        help="One origin serving PACER's pages on the real paths (e.g. the bundled mock). "
        "Default: the real PACER hosts. [env: PACER_BASE_URL]",
        show_default=False,
    ),
]
BrowserPath = Annotated[
    Path | None,
    typer.Option(
        "--browser-path", help="Chromium/Chrome executable to use. [env: PACER_VERIFY_BROWSER]", show_default=False
    ),
]
Connect = Annotated[
    str | None,
    typer.Option(
        "--connect",
        help="Run on a remote Playwright browser server (ws://...). [env: PACER_VERIFY_CONNECT]",
        show_default=False,
    ),
]
Cdp = Annotated[
    str | None,
    typer.Option(
        "--cdp", help="Drive a Chromium over CDP (http://host:9222). [env: PACER_VERIFY_CDP]", show_default=False
    ),
]
Headed = Annotated[
    bool | None, typer.Option("--headed/--headless", help="Show the browser window.", show_default=False)
]
Timeout = Annotated[
    float | None,
    typer.Option(
        "--timeout", help="Seconds one account may take. [env: PACER_VERIFY_TIMEOUT; default 60]", show_default=False
    ),
]
Trace = Annotated[
    str | None,
    typer.Option(
        "--trace",
        help="Keep Playwright traces: off, on, retain-on-failure. Traces hold the pages seen; passwords, codes, "
        "request bodies and cookies are scrubbed. [env: PACER_VERIFY_TRACE]",
        show_default=False,
    ),
]
DebugPlaywright = Annotated[
    bool,
    typer.Option(
        "--debug-playwright",
        help="Let Playwright's driver print its DEBUG output (e.g. DEBUG=pw:api); it can print passwords, "
        "so DEBUG is otherwise removed from its environment. [env: PACER_VERIFY_DEBUG_PLAYWRIGHT]",
    ),
]
SignIn = Annotated[
    str | None,
    typer.Option(
        "--sign-in",
        help="api: PACER's Authentication API signs in and the browser reads Manage My Account "
        "(the default; half the work); browser: the sign-on form, as a person uses it. Should Manage My Account "
        "not take the API's session, the run switches to the form. [env: PACER_VERIFY_SIGN_IN]",
        show_default=False,
    ),
]
Json = Annotated[bool, typer.Option("--json", help="Print JSON for machines instead of a table for people.")]
CourtsFile = Annotated[
    Path | None,
    typer.Option(
        "--courts",
        help="Your own courts file (JSON/CSV) adding to or overriding the bundled registry.",
        show_default=False,
    ),
]
CheckCourts = Annotated[
    bool | None,
    typer.Option(
        "--court-checks/--no-court-checks",
        help="Visit each roster court's CM/ECF to see linking. [default: on]",
        show_default=False,
    ),
]
AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help='Read the checklist\'s deadlines for this day (YYYY-MM-DD) instead of today: "by …" '
        'for what is still ahead, "overdue since …" for what has passed. For planning, and for tests.',
        show_default=False,
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


SharedOutputs = Annotated[
    bool | None,
    typer.Option(
        "--shared-outputs/--private-outputs",
        help="Create results, reports and artifacts with your umask's modes "
        "(commonly 0644, folders 0755) instead of 0600/0700: they hold names, usernames and account status. "
        "[env: PACER_VERIFY_SHARED_OUTPUTS; default: private]",
        show_default=False,
    ),
]
