"""`pacer-verify mock`: the bundled mock PACER site as a server, for trying pacer-verify by hand."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, get_args

import typer
from rich.console import Console
from rich.table import Table

from verifier.errors import UsageError
from verifier.mock.describe import account_notes
from verifier.mock.scenario import (
    VARIANTS,
    ApiWording,
    FaultRule,
    MockScenario,
    load_default_scenario,
    load_scenario,
)
from verifier.mock.server import MockServer, serve
from verifier.paths import DEMO_ROSTER
from verifier.site import is_loopback_host


def mock_command(
    port: Annotated[
        int, typer.Option("--port", "-p", min=0, max=65535, help="Port to listen on (0: any free port).")
    ] = 8765,
    host: Annotated[
        str,
        typer.Option(
            "--host",
            help="Address to listen on. Loopback only unless --allow-remote: the scenario's passwords "
            "are fake, but anyone who can reach the port can read the accounts.",
        ),
    ] = "127.0.0.1",
    scenario: Annotated[
        Path | None,
        typer.Option(
            "--scenario",
            exists=True,
            dir_okay=False,
            readable=True,
            help="Scenario JSON: accounts, courts, faults (see docs/pytest-plugin.md). "
            "Default: the scenario shipped with pacer-verify.",
            show_default=False,
        ),
    ] = None,
    latency_ms: Annotated[
        int,
        typer.Option(
            "--latency-ms",
            min=0,
            max=600_000,
            help="Delay added to every request, to see how pacer-verify paces itself.",
        ),
    ] = 0,
    fail_rate: Annotated[
        float,
        typer.Option(
            "--fail-rate",
            min=0,
            max=1,
            help="Share of requests answered 503 Service Unavailable, e.g. 0.05. Seeded (--seed): the same "
            "requests in the same order fail every time, so a retry run is repeatable.",
        ),
    ] = 0.0,
    drop_rate: Annotated[
        float,
        typer.Option(
            "--drop-rate",
            min=0,
            max=1,
            help="Share of requests whose reply is unreadable and whose connection is closed (the browser "
            "reports a network error at once).",
        ),
    ] = 0.0,
    rate_limit_rate: Annotated[
        float,
        typer.Option(
            "--429-rate", min=0, max=1, help="Share of requests answered 429 Too Many Requests with Retry-After: 1."
        ),
    ] = 0.0,
    seed: Annotated[int, typer.Option("--seed", help="Seed for the --*-rate faults.")] = 1,
    slow_path: Annotated[
        str | None,
        typer.Option(
            "--slow-path",
            help="Regular expression of paths to slow down by --slow-seconds, e.g. "
            "'^/pscof/manage/' to test --timeout.",
            show_default=False,
        ),
    ] = None,
    slow_seconds: Annotated[
        float, typer.Option("--slow-seconds", min=0, max=3600, help="Delay for --slow-path.")
    ] = 10.0,
    expire_sessions: Annotated[
        int,
        typer.Option(
            "--expire-sessions",
            min=0,
            help="End the PACER session on the first N account-page visits after sign-on (a lost session).",
        ),
    ] = 0,
    variant: Annotated[
        str | None,
        typer.Option(
            "--variant",
            help=f"Force a Manage My Account markup variant on every account: {', '.join(VARIANTS)} "
            "(markup drift; 'broken' shows no account type).",
            show_default=False,
        ),
    ] = None,
    lockout_after: Annotated[
        int | None,
        typer.Option(
            "--lockout-after",
            min=1,
            help="Lock an account after this many failed sign-ons in a row; then even the right password is refused.",
            show_default=False,
        ),
    ] = None,
    signon_mode: Annotated[
        str | None,
        typer.Option(
            "--signon-mode",
            help="'ajax' (as the real PrimeFaces page: XHR posts answered in place) or 'plain' "
            "(whole-page posts). [default: the scenario's, ajax]",
            show_default=False,
        ),
    ] = None,
    step_presentation: Annotated[
        str | None,
        typer.Option(
            "--step-presentation",
            help="Sign-on steps as a 'dialog' over the form or as a 'page' of their own.",
            show_default=False,
        ),
    ] = None,
    ajax_delay_ms: Annotated[
        int | None,
        typer.Option(
            "--ajax-delay-ms",
            min=0,
            max=600_000,
            help="Delay before each AJAX answer. [default: the scenario's, 300]",
            show_default=False,
        ),
    ] = None,
    api_wording: Annotated[
        str | None,
        typer.Option(
            "--api-wording",
            help="The Authentication API's wording: 'guide' (its published examples), 'verbose' or 'plain' "
            "(other words a person reads the same; docs/mock-site.md). [default: the scenario's, guide]",
            show_default=False,
        ),
    ] = None,
    no_api: Annotated[
        int | None,
        typer.Option(
            "--no-api",
            help="Act as a site without the Authentication API: /services/cso-auth answers this status "
            "(404, 405 or 501).",
            show_default=False,
        ),
    ] = None,
    allow_remote: Annotated[bool, typer.Option("--allow-remote", help="Allow a non-loopback --host.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Do not list the accounts.")] = False,
) -> None:
    """Serve the mock PACER site until Ctrl-C, then point pacer-verify at it with --base-url.

    The accounts' passwords are in the sample roster shipped with pacer-verify (its path is printed
    at start), which pacer-verify bulk can read directly.
    """
    if not is_loopback_host(host) and not allow_remote:
        raise UsageError(f"--host {host} is not a loopback address; add --allow-remote if you really mean it")
    if variant is not None and variant not in VARIANTS:
        raise UsageError(f"--variant {variant!r}: expected one of {', '.join(VARIANTS)}")
    if api_wording is not None and api_wording not in get_args(ApiWording):
        raise UsageError(f"--api-wording {api_wording!r}: expected one of {', '.join(get_args(ApiWording))}")
    if no_api is not None and no_api not in (404, 405, 501):
        raise UsageError(f"--no-api {no_api}: expected 404, 405 or 501")
    chosen = load_scenario(scenario) if scenario else load_default_scenario()
    faults = list(chosen.faults)
    if expire_sessions:
        faults.append(
            FaultRule(kind="expire_session", path="^/pscof/manage/", times=expire_sessions, name="expire-sessions")
        )
    if slow_path:
        faults.append(FaultRule(kind="latency", path=slow_path, delay_s=slow_seconds, name="slow-path"))
    for kind, rate, offset in (
        ("status", fail_rate, 0),
        ("protocol_error", drop_rate, 1),
        ("retry_after", rate_limit_rate, 2),
    ):
        if rate:
            faults.append(
                FaultRule.model_validate({"kind": kind, "rate": rate, "seed": seed + offset, "name": f"{kind}-rate"})
            )
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

    def ready(server: MockServer) -> None:
        if not quiet:
            print_accounts(console, chosen)
        console.print(
            f"Mock PACER site on [bold]{server.url}[/] (Ctrl-C to stop). Try:\n"
            f"  pacer-verify bulk {DEMO_ROSTER} --base-url {server.url}"
        )

    try:
        serve(chosen, host=host, port=port, ready=ready)
    except (OSError, RuntimeError) as exc:
        raise UsageError(f"could not serve on {host}:{port}: {exc}") from None


def print_accounts(console: Console, scenario: MockScenario) -> None:
    table = Table("username", "name", "expected status", "notes", title="Accounts (passwords: the sample roster)")
    for account in scenario.accounts:
        table.add_row(account.username, account.name, account.expected_status(), "; ".join(account_notes(account)))
    console.print(table)
