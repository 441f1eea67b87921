"""`pacer-verify courts`: the court registry, with each NextGen date's source."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from verifier.courts import load_courts


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
    table = Table("id", "name", "kind", "generation", "NextGen go-live", "source", title="Courts")
    for court in registry:
        if court.generation != "nextgen":
            date = "—"
        else:
            date = court.nextgen_go_live.isoformat() if court.nextgen_go_live else "not found"
        generation = "NextGen" if court.generation == "nextgen" else "CurrentGen"
        table.add_row(court.id, court.name, court.kind, generation, date,
                      court.source + (f" ({court.note})" if court.note else ""))
    Console().print(table)
