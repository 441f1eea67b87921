"""`pacer-verify courts`: the court registry, and `--update` from a newer PACER lookup download."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from verifier.commands import options
from verifier.readiness.courts import Court, CourtRegistry, load_courts
from verifier.readiness.courts_lookup import update

#: "NextGen since" for a court PACER's lookup lists as NextGen without a date from the court's notice.
UNDATED = "per lookup"
DEFAULT_UPDATE_OUTPUT = Path("courts-update.json")


def _since(court: Court) -> str:
    if not court.is_nextgen:
        return "CurrentGen"
    if court.acms:
        return "ACMS"
    return court.nextgen_go_live.isoformat() if court.nextgen_go_live else UNDATED


def _source(court: Court) -> Text:
    text = Text(court.source)
    if court.software_version:
        text.append(f"\n{court.cso_id} · {court.software_version}", style="dim")
    if court.note:
        text.append("\n" + court.note, style="dim")
    return text


def _title(registry: CourtRegistry) -> str:
    when = f"PACER's Court CM/ECF Lookup of {registry.snapshot}" if registry.snapshot else "PACER's lookup"
    return f"{len(registry)} courts ({when})"


def _table(registry: CourtRegistry, long: bool) -> Table:
    # Fits 80 columns: id and date never wrap; the name folds if it must. --long adds the sources.
    table = Table(title=_title(registry), title_justify="left", pad_edge=False, expand=False)
    table.add_column("id", no_wrap=True)
    table.add_column("name", overflow="fold", max_width=None if long else 42)
    table.add_column("kind", no_wrap=True)
    table.add_column("NextGen since", no_wrap=True)
    if long:
        # A source is often a URL: fold it onto more lines rather than cut it with an ellipsis.
        table.add_column("source", overflow="fold")
    for court in registry:
        cells: list[str | Text] = [court.id, court.name, court.kind, _since(court)]
        if long:
            cells.append(_source(court))
        table.add_row(*cells)
    return table


def _footer(long: bool) -> str:
    lines = [
        f"'{UNDATED}': NextGen per PACER's lookup, no go-live date from the court's own notice; "
        "'ACMS': files through ACMS, not CM/ECF."
    ]
    if not long:
        lines.append("Sources: --long or --json. A newer lookup: pacer-verify courts --update data.json.")
    return "\n".join(lines)


def courts_command(
    courts_file: Annotated[
        Path | None,
        typer.Option(
            "--courts",
            metavar="FILE",
            help="Your courts file (JSON/CSV), adding to or overriding the bundled registry.",
            show_default=False,
        ),
    ] = None,
    long: Annotated[
        bool, typer.Option("--long", "-l", help="Add each court's source, CSO id, software version and notes.")
    ] = False,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False,
    update_file: Annotated[
        Path | None,
        typer.Option(
            "--update",
            metavar="DATA_JSON",
            help="PACER's Court CM/ECF Lookup data.json, downloaded by you: write a registry update to --output.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Where --update writes the registry update.",
            parser=options.output_path,
        ),
    ] = DEFAULT_UPDATE_OUTPUT,
) -> None:
    """List the courts pacer-verify knows: id, name, kind and since when on NextGen (--long: sources)."""
    registry = load_courts(courts_file)
    if update_file is not None:
        conversion = update(update_file, output, registry)
        console = Console(stderr=True)
        # Lines that end in a path are never wrapped (soft wrap: a terminal folds them, a copy keeps them whole).
        console.print(
            Text(
                f"{len(conversion.courts)} courts from {update_file.name} (lookup of "
                f"{conversion.snapshot or 'unknown date'}) written to {output}"
            ),
            soft_wrap=True,
        )
        for skipped in conversion.skipped:
            console.print(Text(f"  skipped {skipped}", style="dim"))
        console.print(Text(f"Use it with --courts {output}"), soft_wrap=True)
        return
    if json_output:
        # The registry file's own shape, which `--courts` reads: the output can be edited and passed back.
        lookup = {"snapshot": registry.snapshot} if registry.snapshot else {}
        typer.echo(json.dumps({"lookup": lookup, "courts": [c.model_dump(mode="json") for c in registry]}, indent=2))
        return
    console = Console()
    console.print(_table(registry, long))
    console.print(Text(_footer(long), style="dim"))
