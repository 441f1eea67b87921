"""`pacer-verify check`: one account, answered in a couple of seconds."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import sys
from typing import Annotated

import typer
from pydantic import SecretStr
from rich.console import Console
from rich.text import Text

from flows.otp import BadOtpSecret, normalize_secret
from verifier import voice
from verifier.check.site_guard import announce_real_site, refuse_bundled_accounts
from verifier.commands import options
from verifier.commands.common import finalize_for, reachable_site, site_for
from verifier.commands.secret_options import KeePassFile, KeePassKeyfile, secret_sources
from verifier.config import load_settings
from verifier.errors import ExitCode, UsageError
from verifier.models import Account, Result, Status
from verifier.readiness.courts import CourtRegistry, did_you_mean, load_courts
from verifier.roster import username_problem
from verifier.roster.secret_refs import Resolved, SecretRefError, SecretSources, is_text
from verifier.run.runner import Runner
from verifier.statuses import FACTS
from verifier.text import shown


def check_command(
    username: Annotated[
        str | None,
        typer.Option(
            "--username",
            "-u",
            metavar="NAME",
            help="PACER username. [env: PACER_USERNAME]",
            show_default=False,
            rich_help_panel=options.SITE,
        ),
    ] = None,
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
    base_url: options.BaseUrl = None,
    browser_path: options.BrowserPath = None,
    connect: options.Connect = None,
    cdp: options.Cdp = None,
    headed: options.Headed = None,
    timeout: options.Timeout = None,
    debug_playwright: options.DebugPlaywright = False,
    sign_in: options.SignIn = None,
    courts_file: options.CourtsFile = None,
    as_of: options.AsOf = None,
    json_output: options.Json = False,
    keepass: KeePassFile = None,
    keepass_keyfile: KeePassKeyfile = None,
    yes: options.Yes = False,
) -> None:
    """Check one PACER account and print its status and the next step.

    The password comes from PACER_PASSWORD or, at a terminal, a hidden prompt (never a flag: flags
    show up in the process list). An authenticator secret for MFA comes from PACER_OTP_SECRET. Both
    may be references, as in a roster: keyring:, keepass: (with --keepass), env:NAME or
    op://VAULT/ITEM/FIELD.

    Exit code: 0 ready, 1 action needed, 2 usage error, 3 the check could not complete.
    """
    settings = load_settings(
        base_url=base_url,
        browser_path=browser_path,
        connect=connect,
        cdp=cdp,
        headed=headed,
        timeout_s=timeout,
        username=username,
        concurrency=1,
        rate_per_minute=0,
        sign_in=sign_in,
        yes=yes or None,
        debug_playwright=debug_playwright or None,  # not given: the environment decides
    )
    if not settings.username:
        raise UsageError("no username: pass --username or set PACER_USERNAME")
    problem = username_problem(settings.username.strip())
    if problem:
        raise UsageError(f"--username {shown(settings.username)!r}: {problem}")
    day = options.as_of_date(as_of) or dt.date.today()
    sources = secret_sources(keepass, keepass_keyfile)
    given = "PACER_PASSWORD" if settings.password else "the password typed"
    password = _resolved(given, settings.password or _prompt_password(), "password", settings.username, sources)
    if password.secret is None:
        raise UsageError(f"{given}: empty password")
    if not is_text(password.secret.get_secret_value()):
        raise UsageError(f"{given}: not UTF-8 text (the environment holds bytes no request can carry)")
    otp = _resolved("PACER_OTP_SECRET", settings.otp_secret, "otp_secret", settings.username, sources)
    courts = load_courts(courts_file)
    court_ids, unknown = _court_ids(court or [], courts)
    account = Account(
        username=settings.username,
        password=password.secret,
        otp_secret=_otp_secret(otp.secret or password.entry_totp),
        courts=court_ids,
        unknown_courts=unknown,
    )
    site = site_for(settings)
    refuse_bundled_accounts([account], site, "--username")
    announce_real_site(site, 1, yes=settings.yes)
    reachable_site(settings)

    finalize = finalize_for([account], courts, day)
    runner = Runner(settings, courts=courts, finalize=finalize)
    summary = asyncio.run(runner.run([account]))
    result = summary.results[0]
    _print(result, json_output)
    if result.status is Status.SITE_ERROR:
        raise typer.Exit(int(ExitCode.INCOMPLETE))
    raise typer.Exit(int(ExitCode.NEEDS_ACTION if result.needs_action else ExitCode.READY))


def _court_ids(given: list[str], courts: CourtRegistry) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(registry ids, unknown ids). An unknown id does not stop the check: it is warned about here and
    listed in the checklist as not checked."""
    known: list[str] = []
    unknown: list[str] = []
    for text in (c.strip() for c in given):
        if not text:
            continue
        canonical = courts.canonical_id(text)
        if canonical is not None:
            known.append(canonical)
            continue
        unknown.append(text.lower())
        voice.warn(
            f"--court {text}: unknown court id ({did_you_mean(courts.suggest(text))}); the account is checked, "
            "that court is not"
        )
    return tuple(dict.fromkeys(known)), tuple(dict.fromkeys(unknown))


def _resolved(
    variable: str, value: SecretStr | None, field_name: str, username: str, sources: SecretSources
) -> Resolved:
    """The secret a variable (or the prompt) names, by the roster's rules; a usage error naming it."""
    if value is None:
        return Resolved(None)
    try:
        return sources.resolve(value.get_secret_value(), field_name=field_name, username=username.strip())
    except SecretRefError as exc:
        raise UsageError(f"{variable}: {exc}") from None


def _otp_secret(value: SecretStr | None) -> SecretStr | None:
    """PACER_OTP_SECRET by the same rule as a roster's otp_secret (flows.otp)."""
    if value is None:
        return None
    try:
        canonical = normalize_secret(value.get_secret_value())
    except BadOtpSecret as exc:
        raise UsageError(f"PACER_OTP_SECRET: {exc}") from None
    return SecretStr(canonical) if canonical else None


def _prompt_password() -> SecretStr:
    if not sys.stdin.isatty():
        raise UsageError("no password: set PACER_PASSWORD (or run at a terminal to be prompted)")
    return SecretStr(typer.prompt("PACER password", hide_input=True))


def _print(result: Result, json_output: bool) -> None:
    if json_output:
        typer.echo(json.dumps(result.model_dump(mode="json"), indent=2))
        return
    console = Console()
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
    for step in result.next_steps:
        console.print(Text(f"  • {shown(step)}"))
