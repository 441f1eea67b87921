"""`pacer-verify courts`: the court registry, with each NextGen date's source."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from verifier.courts import Court, load_courts


def _go_live(court: Court) -> str:
    if not court.is_nextgen:
        return "—"
    return court.nextgen_go_live.isoformat() if court.nextgen_go_live else "not found"


def _source(court: Court) -> Text:
    text = Text(court.source)
    if court.note:
        text.append("\n" + court.note, style="dim")
    return text


def _table(courts: list[Court]) -> Table:
    table = Table(title="Courts", title_justify="left")
    for header in ("id", "name", "kind", "generation", "NextGen go-live"):
        table.add_column(header, no_wrap=header in ("id", "NextGen go-live"))
    # A source is often a URL: fold it onto more lines rather than cut it with an ellipsis.
    table.add_column("source", overflow="fold")
    for court in courts:
        generation = "NextGen" if court.is_nextgen else "CurrentGen"
        table.add_row(court.id, court.name, court.kind, generation, _go_live(court), _source(court))
    return table


def courts_command(
    courts_file: Annotated[Path | None, typer.Option(
        "--courts", help="Your own courts file (JSON or CSV, same fields) adding to or overriding the registry.",
        show_default=False)] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False,
) -> None:
    """List the courts pacer-verify knows: NextGen or not, go-live date, and where the date comes from."""
    registry = load_courts(courts_file)
    if json_output:
        # A list of courts: a shape `--courts` reads, so the output can be edited and passed back.
        typer.echo(json.dumps([c.model_dump(mode="json") for c in registry], indent=2))
        return
    Console().print(_table(list(registry)))
