"""`pacer-verify secrets check`: resolve every secret reference of a roster, signing in nowhere."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from verifier.commands.helpfmt import PlainHelpCommand, PlainHelpGroup
from verifier.commands.secret_options import KeePassFile, KeePassKeyfile, secret_sources
from verifier.errors import ExitCode, UsageError
from verifier.roster.secrets_check import FieldCheck, check_roster
from verifier.text import shown

GROUP = typer.Typer(add_completion=False, pretty_exceptions_enable=False, no_args_is_help=True, cls=PlainHelpGroup)


@GROUP.callback()
def secrets_group() -> None:
    """Check where the roster's passwords and authenticator secrets are kept (keyring, KeePass,
    1Password, environment), without signing in anywhere."""


@GROUP.command("check", cls=PlainHelpCommand)
def secrets_check_command(
    roster: Annotated[Path, typer.Argument(help="Roster CSV or JSON, as for `pacer-verify bulk`.")],
    keepass: KeePassFile = None,
    keepass_keyfile: KeePassKeyfile = None,
) -> None:
    """Resolve every secret reference in ROSTER (keyring:, keepass:, env:, op://) and print, per row
    and field, where each secret was found or why it was not. Never prints a secret; signs in nowhere.

    Run it before `pacer-verify bulk`: a row whose reference fails would be invalid_input there.

    Exit code: 0 every secret resolved, 1 some did not, 2 usage error (no roster, KeePass not opened).
    """
    if not roster.is_file():
        raise UsageError(f"roster not found: {roster}")
    sources = secret_sources(keepass, keepass_keyfile)
    checks = list(check_roster(roster, sources))
    console = Console()
    if checks:
        console.print(_table(checks))
    failed = sum(not c.ok for c in checks)
    plain = sum(c.plain for c in checks)
    rows = len({c.row for c in checks})
    summary = f"{rows} row(s), {len(checks)} secret(s): {len(checks) - failed} resolved, {failed} failed"
    console.print(Text(summary + (f"; {plain} written in the roster in plain text" if plain else "")))
    raise typer.Exit(int(ExitCode.NEEDS_ACTION if failed else ExitCode.READY))


def _table(checks: list[FieldCheck]) -> Table:
    table = Table(show_edge=False, pad_edge=False, expand=False)
    table.add_column("row", justify="right", no_wrap=True)
    table.add_column("username", max_width=16, overflow="fold")
    table.add_column("field", no_wrap=True)
    table.add_column("result", no_wrap=True)
    table.add_column("found in / why not", overflow="fold")
    for check in checks:
        mark = Text("ok", "green") if check.ok else Text("FAILED", "bold red")
        if check.ok and check.plain:
            mark = Text("plain", "yellow")
        table.add_row(str(check.row), Text(shown(check.username)), check.field, mark, Text(shown(check.detail)))
    return table
