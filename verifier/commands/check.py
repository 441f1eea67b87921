"""`pacer-verify check`: one account, answered in a couple of seconds."""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import TYPE_CHECKING, Annotated

import typer
from pydantic import SecretStr

from verifier.commands import options
from verifier.commands.secret_options import KeePassFile, KeePassKeyfile
from verifier.errors import ExitCode, UsageError

if TYPE_CHECKING:
    from verifier.browser.early import EarlyBrowser
    from verifier.browser.host import BrowserHost
    from verifier.check.site import SiteMap
    from verifier.config import Settings
    from verifier.models import Account, Result
    from verifier.readiness.courts import CourtRegistry
    from verifier.roster.secret_refs import SecretSources

# What a check needs beyond its options is imported in the command's body, and most of it after the
# browser has started to launch (verifier.browser.early): the imports then cost no wall time.


@options.with_settings(
    *("username", "base_url", "sign_in", "client_code", "yes"),
    *("browser_path", "browser_channel", "connect", "cdp", "headed", "debug_playwright"),
    *("timeout", "account_timeout"),
)
def check_command(
    flags: options.SettingsFlags = options.NONE_GIVEN,
    court: Annotated[
        list[str] | None,
        typer.Option(
            "--court",
            metavar="ID",
            help="A court to check linking in, e.g. cod (repeat for several; see `pacer-verify courts`).",
            rich_help_panel=options.SITE,
            show_default=False,
        ),
    ] = None,
    courts_file: options.CourtsFile = None,
    as_of: options.AsOf = None,
    json_output: options.Json = False,
    keepass: KeePassFile = None,
    keepass_keyfile: KeePassKeyfile = None,
) -> None:
    """Check one PACER account and print its status and the next step.

    The password comes from PACER_PASSWORD or, at a terminal, a hidden prompt (never a flag: flags
    show up in the process list). An authenticator secret for MFA comes from PACER_OTP_SECRET. Both
    may be references, as in a roster: keyring:, keepass: (with --keepass), env:NAME or
    op://VAULT/ITEM/FIELD.

    Exit code: 0 ready, 1 action needed, 2 usage error, 3 the check could not complete.
    """
    settings = flags.load(concurrency=1, rate_per_minute=0)  # one account: no queue, no rate to keep
    if not settings.username:
        raise UsageError("no username: pass --username or set PACER_USERNAME")
    from verifier.roster import username_problem
    from verifier.text import shown

    problem = username_problem(settings.username.strip())
    if problem:
        raise UsageError(f"--username {shown(settings.username)!r}: {problem}")
    day = options.as_of_date(as_of) or dt.date.today()
    given = "PACER_PASSWORD" if settings.password else "the password typed"
    password = settings.password or _prompt_password()
    from verifier.roster.secret_refs import is_text

    if not is_text(password.get_secret_value()):
        raise UsageError(f"{given}: not UTF-8 text (the environment holds bytes no request can carry)")
    from verifier.browser import early as early_browser
    from verifier.check.site import SiteMap

    # An unsafe --base-url is a usage error before any browser starts (as verifier.commands.site_for,
    # without importing what that module needs for later).
    site = SiteMap.for_base_url(settings.base_url)
    # The driver started with the command (verifier.cli); the browser starts now, while the rest is read.
    # Both are closed whatever happens next.
    early = early_browser.take(settings.debug_playwright)
    try:
        host = early.launch(settings, site)
        result = _checked(
            early, host, settings, site, password, given, court or [], courts_file, day, keepass, keepass_keyfile
        )
    finally:
        early.close()
    _print(result, json_output, day)
    from verifier.models import Status

    if result.status is Status.SITE_ERROR:
        raise typer.Exit(int(ExitCode.INCOMPLETE))
    raise typer.Exit(int(ExitCode.NEEDS_ACTION if result.needs_action else ExitCode.READY))


def _checked(
    early: EarlyBrowser,
    host: BrowserHost,
    settings: Settings,
    site: SiteMap,
    password: SecretStr,
    given: str,
    court_ids: list[str],
    courts_file: options.CourtsFile,
    day: dt.date,
    keepass: KeePassFile,
    keepass_keyfile: KeePassKeyfile,
) -> Result:
    """The account read and checked in `early`'s browser: everything before the run happens while that
    browser launches."""
    from verifier.check.site_guard import announce_real_site, refuse_bundled_accounts
    from verifier.commands.common import finalize_for, reachable_site
    from verifier.commands.secret_options import secret_sources
    from verifier.readiness import Where
    from verifier.readiness.courts import load_courts
    from verifier.run.runner import Runner
    from verifier.statuses import Source

    assert settings.username  # the command refused none
    courts = load_courts(courts_file)
    sources = secret_sources(keepass, keepass_keyfile)
    account = _account(
        settings.username, password, given, settings.otp_secret, court_ids, courts, sources, settings.client_code
    )
    refuse_bundled_accounts([account], site, "--username")
    announce_real_site(site, 1, yes=settings.yes)
    reachable_site(site)

    finalize = finalize_for([account], courts, day, Where(Source.COMMAND))  # next steps name the variables
    import verifier.reports.terminal  # noqa: F401  # for the answer's lines, imported while the browser starts

    runner = Runner(settings, courts=courts, finalize=finalize, site=site, host=host)
    summary = early.run(runner.run([account]))
    return summary.results[0]


def _account(
    username: str,
    password: SecretStr,
    given: str,
    otp_secret: SecretStr | None,
    court_ids: list[str],
    courts: CourtRegistry,
    sources: SecretSources,
    client_code: str | None = None,
) -> Account:
    """The one account, by the roster's row rules (verifier.roster.account_from_record): references
    resolved, the authenticator secret normalized, court ids the registry's way. A row's problem is a
    usage error naming the variable or option it came from, and a row's warning names it too."""
    from verifier import voice
    from verifier.roster import RowError, account_from_record

    place = {
        "password": given,
        "otp_secret": "PACER_OTP_SECRET",
        "courts": "--court",
        "username": "--username",
        "client_code": "--client-code",
    }
    record = {
        "username": username,
        "password": password.get_secret_value(),
        "otp_secret": otp_secret.get_secret_value() if otp_secret is not None else "",
        "courts": " ".join(court_ids),
        "client_code": client_code or "",
    }
    checked = account_from_record(
        record, sources, courts, warn=voice.warn, place=lambda field_name: place.get(field_name, field_name)
    )
    if isinstance(checked, RowError):
        raise UsageError(f"{place.get(checked.field, checked.field)}: {checked.message}")
    return checked


def _prompt_password() -> SecretStr:
    if not sys.stdin.isatty():
        raise UsageError("no password: set PACER_PASSWORD (or run at a terminal to be prompted)")
    return SecretStr(typer.prompt("PACER password", hide_input=True))


def _print(result: Result, json_output: bool, day: dt.date) -> None:
    from rich.console import Console
    from rich.text import Text

    from verifier.readiness import said_all
    from verifier.reports.terminal import print_bullets, unwrapped
    from verifier.statuses import FACTS
    from verifier.text import shown

    if json_output:
        typer.echo(json.dumps(result.model_dump(mode="json"), indent=2))
        return
    console = unwrapped(Console())
    # Page text and usernames as Text, never markup, and with control characters shown escaped.
    console.print(
        Text.assemble(
            (shown(result.username), "bold"),
            ": ",
            (result.status.value, FACTS[result.status].style),
            "  ",
            shown(result.message),
        )
    )
    print_bullets(console, said_all(result.next, day))  # a long step wraps under its own text
