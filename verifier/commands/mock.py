"""`pacer-verify mock`: the bundled mock PACER site as a server, for trying pacer-verify by hand."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated, get_args

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from verifier import inputs
from verifier.check.site import is_loopback_host
from verifier.commands import ports
from verifier.data import DEMO_ROSTER, MOCK_SCENARIO
from verifier.errors import UsageError
from verifier.mock.describe import account_notes
from verifier.mock.hint import bulk_hint, write_scenario_roster
from verifier.mock.scenario import (
    VARIANTS,
    ApiWording,
    FaultRule,
    MockScenario,
    load_default_scenario,
    load_scenario,
)
from verifier.mock.server import MockServer, serve


def mock_command(
    port: Annotated[
        int,
        typer.Option("--port", "-p", metavar="PORT", min=0, max=65535, help="Port to listen on (0: any free port)."),
    ] = 8765,
    host: Annotated[
        str,
        typer.Option(
            "--host",
            metavar="HOST",  # as `serve` writes it
            help="Address to listen on (loopback only unless --allow-remote).",
        ),
    ] = "127.0.0.1",
    scenario: Annotated[
        Path | None,
        typer.Option(
            "--scenario",
            metavar="FILE",
            help="Scenario JSON: accounts, courts, faults (docs/pytest-plugin.md).",
            show_default="the bundled scenario",
        ),
    ] = None,
    latency_ms: Annotated[
        int,
        typer.Option(
            "--latency-ms",
            metavar="MS",
            min=0,
            max=600_000,
            help="Delay added to every request, to see how pacer-verify paces itself.",
        ),
    ] = 0,
    fail_rate: Annotated[
        float,
        typer.Option(
            "--fail-rate",
            metavar="SHARE",
            min=0,
            max=1,
            help="Share of requests answered 503, e.g. 0.05 (seeded: see --seed).",
        ),
    ] = 0.0,
    drop_rate: Annotated[
        float,
        typer.Option(
            "--drop-rate",
            metavar="SHARE",
            min=0,
            max=1,
            help="Share of requests whose connection is cut (a network error).",
        ),
    ] = 0.0,
    rate_limit_rate: Annotated[
        float,
        typer.Option(
            "--429-rate",
            metavar="SHARE",
            min=0,
            max=1,
            help="Share of requests answered 429 Too Many Requests with Retry-After: 1.",
        ),
    ] = 0.0,
    seed: Annotated[int, typer.Option("--seed", metavar="N", help="Seed for the --*-rate faults.")] = 1,
    slow_path: Annotated[
        str | None,
        typer.Option(
            "--slow-path",
            metavar="REGEX",
            help="Paths to slow down by --slow-seconds, e.g. '^/pscof/manage/'.",
            show_default=False,
        ),
    ] = None,
    slow_seconds: Annotated[
        float, typer.Option("--slow-seconds", metavar="SECONDS", min=0, max=3600, help="Delay for --slow-path.")
    ] = 10.0,
    expire_sessions: Annotated[
        int,
        typer.Option(
            "--expire-sessions",
            metavar="N",
            min=0,
            help="End the PACER session on the first N account-page visits after sign-on (a lost session).",
        ),
    ] = 0,
    variant: Annotated[
        str | None,
        typer.Option(
            "--variant",
            metavar="NAME",
            help=f"Manage My Account markup for every account: {', '.join(VARIANTS)}.",
            show_default=False,
        ),
    ] = None,
    lockout_after: Annotated[
        int | None,
        typer.Option(
            "--lockout-after",
            metavar="N",
            min=1,
            help="Lock an account after N failed sign-ons in a row.",
            show_default=False,
        ),
    ] = None,
    signon_mode: Annotated[
        str | None,
        typer.Option(
            "--signon-mode",
            metavar="MODE",
            help="ajax (in place, as the real page) or plain (whole-page posts).",
            show_default="the scenario's, ajax",
        ),
    ] = None,
    step_presentation: Annotated[
        str | None,
        typer.Option(
            "--step-presentation",
            metavar="HOW",
            help="Sign-on steps as a dialog over the form, or as a page.",
            show_default="the scenario's, dialog",
        ),
    ] = None,
    ajax_delay_ms: Annotated[
        int | None,
        typer.Option(
            "--ajax-delay-ms",
            metavar="MS",
            min=0,
            max=600_000,
            help="Delay before each AJAX answer.",
            show_default="the scenario's, 300",
        ),
    ] = None,
    api_wording: Annotated[
        str | None,
        typer.Option(
            "--api-wording",
            metavar="WORDING",
            help="The Authentication API's wording: guide, verbose or plain.",
            show_default="the scenario's, guide",
        ),
    ] = None,
    no_api: Annotated[
        int | None,
        typer.Option(
            "--no-api",
            metavar="STATUS",
            help="No Authentication API: /services/cso-auth answers 404, 405 or 501.",
            show_default=False,
        ),
    ] = None,
    tls: Annotated[
        bool,
        typer.Option(
            "--tls",
            help="Serve https with a certificate made at start (trustme); prints the CA file for clients.",
        ),
    ] = False,
    allow_remote: Annotated[bool, typer.Option("--allow-remote", help="Allow a non-loopback --host.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Do not list the accounts.")] = False,
) -> None:
    """Serve the mock PACER site until Ctrl-C, then point pacer-verify at it with --base-url.

    It prints a `bulk` command to try that works as printed: the bundled scenario's accounts are in the
    sample roster shipped with pacer-verify; a --scenario's are written to a private roster for the
    time the mock runs. Both name the scenario as the courts file (--courts).
    """
    _check_choices(host, allow_remote, variant, api_wording, no_api)
    _check_scenario_file(scenario)
    chosen = load_scenario(scenario) if scenario else load_default_scenario()
    faults = [*chosen.faults, *_session_and_slow_faults(expire_sessions, slow_path, slow_seconds)]
    faults += _rate_faults(seed, status=fail_rate, protocol_error=drop_rate, retry_after=rate_limit_rate)
    try:
        chosen = MockScenario.model_validate(
            {
                **chosen.model_dump(),
                "faults": faults,
                "latency_ms": latency_ms or chosen.latency_ms,
                "variant": variant or chosen.variant,
                "lockout_after": lockout_after or chosen.lockout_after,
                "signon_mode": signon_mode or chosen.signon_mode,
                "step_presentation": step_presentation or chosen.step_presentation,
                "ajax_delay_ms": chosen.ajax_delay_ms if ajax_delay_ms is None else ajax_delay_ms,
                "api_wording": api_wording or chosen.api_wording,
                "api_absent": no_api or chosen.api_absent,
            }
        )
    except ValueError as exc:
        raise UsageError(f"bad mock settings: {exc}") from None
    console = Console()
    # A scenario of the user's: a roster of its own accounts, in a private folder removed at the end.
    folder = Path(tempfile.mkdtemp(prefix="pacer-verify-mock-")) if scenario else None
    roster = write_scenario_roster(chosen, folder) if folder else Path(str(DEMO_ROSTER))
    courts_file = scenario.resolve() if scenario else Path(str(MOCK_SCENARIO))  # works from any folder

    def ready(server: MockServer) -> None:
        if not quiet:
            print_accounts(console, chosen, "the roster below" if folder else "the sample roster")
        if server.ca_file is not None:
            print_tls(console, server.url, server.ca_file)
        else:
            console.print(Text.assemble("Mock PACER site on ", (server.url, "bold"), " (Ctrl-C to stop). Try:"))
            console.print(Text("  " + bulk_hint(server.url, roster, courts_file)), soft_wrap=True)
        if folder:
            console.print(Text(f"({roster} holds the scenario's accounts; it is removed when the mock stops.)"))

    ports.require_free_port(host, port)  # else uvicorn's own "[Errno 98]" line, then ours: two lines, neither plain
    try:
        serve(chosen, host=host, port=port, ready=ready, tls=tls)
    except (OSError, RuntimeError) as exc:
        raise UsageError(f"could not serve on {host}:{port}: {exc}") from None
    finally:
        if folder:
            shutil.rmtree(folder, ignore_errors=True)


def _check_scenario_file(path: Path | None) -> None:
    """A regular file of a sane size, named as given (`C:\\x\\scenario.json`, not click's repr of it), when given."""
    if path is None:
        return
    try:
        inputs.require_regular(path, "--scenario", inputs.MAX_COURTS)
    except FileNotFoundError:
        raise UsageError(f"--scenario {path}: no such file") from None


def _check_choices(
    host: str, allow_remote: bool, variant: str | None, api_wording: str | None, no_api: int | None
) -> None:
    if not is_loopback_host(host) and not allow_remote:
        raise UsageError(f"--host {host} is not a loopback address; add --allow-remote if you really mean it")
    if variant is not None and variant not in VARIANTS:
        raise UsageError(f"--variant {variant!r}: expected one of {', '.join(VARIANTS)}")
    if api_wording is not None and api_wording not in get_args(ApiWording):
        raise UsageError(f"--api-wording {api_wording!r}: expected one of {', '.join(get_args(ApiWording))}")
    if no_api is not None and no_api not in (404, 405, 501):
        raise UsageError(f"--no-api {no_api}: expected 404, 405 or 501")


def _session_and_slow_faults(expire_sessions: int, slow_path: str | None, slow_seconds: float) -> list[FaultRule]:
    faults = []
    if expire_sessions:
        faults.append(
            FaultRule(kind="expire_session", path="^/pscof/manage/", times=expire_sessions, name="expire-sessions")
        )
    if slow_path:
        faults.append(FaultRule(kind="latency", path=slow_path, delay_s=slow_seconds, name="slow-path"))
    return faults


def _rate_faults(seed: int, **rates: float) -> list[FaultRule]:
    """The --*-rate faults, by kind; each kind draws from its own seed (--seed, +1, +2 in this order),
    so that one rate's draws do not move when another is added."""
    return [
        FaultRule.model_validate({"kind": kind, "rate": rate, "seed": seed + offset, "name": f"{kind}-rate"})
        for offset, (kind, rate) in enumerate(rates.items())
        if rate
    ]


def print_tls(console: Console, url: str, ca_file: Path) -> None:
    """What a client of the https mock needs: the address, and the CA file to trust (docs/mock-site.md)."""
    console.print(Text.assemble("Mock PACER site on ", (url, "bold"), " (https; Ctrl-C to stop)."))
    console.print(Text.assemble("CA certificate for clients: ", (str(ca_file), "bold")), soft_wrap=True)
    console.print(
        Text(
            "Trust it with SSL_CERT_FILE=<that file>, or verify=<that file> in httpx or requests. The "
            "certificate also names pacer.login.uscourts.gov, pacer.psc.uscourts.gov and each court's "
            "ecf.<id>.uscourts.gov, for clients that route those names here. pacer-verify's own browser "
            "does not trust it: run the mock without --tls for pacer-verify."
        )
    )


def print_accounts(console: Console, scenario: MockScenario, passwords_in: str = "the sample roster") -> None:
    table = Table("username", "name", "expected status", "notes", title=f"Accounts (passwords: {passwords_in})")
    for account in scenario.accounts:
        table.add_row(account.username, account.name, account.expected_status(), "; ".join(account_notes(account)))
    console.print(table)
