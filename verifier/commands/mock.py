"""`pacer-verify mock`: the bundled mock PACER site as a server, for trying things by hand."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from verifier.errors import UsageError
from verifier.mock.scenario import VARIANTS, FaultRule, load_scenario
from verifier.paths import MOCK_SCENARIO
from verifier.site import is_loopback_host


def mock_command(
    port: Annotated[int, typer.Option("--port", "-p", help="Port to listen on.")] = 8765,
    host: Annotated[str, typer.Option("--host", help="Address to listen on (loopback unless --allow-remote).")] = (
        "127.0.0.1"),
    scenario: Annotated[Path | None, typer.Option("--scenario", help="Scenario JSON (accounts, courts, faults). "
                                                  "[default: the bundled fixtures/mock_site.json]",
                                                  show_default=False)] = None,
    latency_ms: Annotated[int, typer.Option("--latency-ms", min=0, help="Delay added to every request.")] = 0,
    fail_rate: Annotated[float, typer.Option("--fail-rate", min=0, max=1,
                                             help="Share of requests answered 503 (seeded, repeatable).")] = 0.0,
    drop_rate: Annotated[float, typer.Option("--drop-rate", min=0, max=1,
                                             help="Share of requests whose connection is dropped mid-response.")] = 0.0,
    variant: Annotated[str | None, typer.Option(
        "--variant", help=f"Force a Manage My Account markup variant: {', '.join(VARIANTS)}.",
        show_default=False)] = None,
    lockout_after: Annotated[int | None, typer.Option(
        "--lockout-after", min=1, help="Lock an account after this many wrong passwords.", show_default=False)] = None,
    allow_remote: Annotated[bool, typer.Option("--allow-remote", help="Listen on a non-loopback address "
                                               "(the fixture passwords would be reachable from the network).")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Do not list the accounts.")] = False,
) -> None:
    """Serve the mock PACER site until Ctrl-C. Point pacer-verify at it with --base-url."""
    if not is_loopback_host(host) and not allow_remote:
        raise UsageError(f"--host {host} is not loopback; add --allow-remote if you really mean it")
    if variant is not None and variant not in VARIANTS:
        raise UsageError(f"--variant {variant!r}: expected one of {', '.join(VARIANTS)}")
    chosen = load_scenario(scenario or MOCK_SCENARIO)
    faults = list(chosen.faults)
    if fail_rate:
        faults.append(FaultRule(kind="status", status=503, rate=fail_rate, seed=1))
    if drop_rate:
        faults.append(FaultRule(kind="drop", rate=drop_rate, seed=2))
    chosen = chosen.model_copy(update={
        "faults": faults, "latency_ms": latency_ms or chosen.latency_ms,
        "variant": variant or chosen.variant, "lockout_after": lockout_after or chosen.lockout_after})
    console = Console()
    console.print(f"Mock PACER site on [bold]http://{host}:{port}[/]  (--base-url http://{host}:{port})")
    if not quiet:
        table = Table("username", "name", "type", "notes")
        for account in chosen.accounts[:60]:
            notes = [n for n, on in (("filer", account.filer), ("MFA", account.otp_secret),
                                     (account.state, account.state != "active"),
                                     ("update required", account.update_required),
                                     (f"variant {account.variant}", account.variant != "inline")) if on]
            table.add_row(account.username, account.name, account.account_type, ", ".join(map(str, notes)))
        console.print(table)
    from verifier.mock.server import serve  # uvicorn and Starlette: only when the mock is wanted

    serve(chosen, host=host, port=port)
