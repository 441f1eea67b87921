"""The Changes section on a terminal: the one-line summary, and a table of who moved.

Names and notes go in as ``Text``, never markup (see verifier.reports.terminal)."""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from verifier.models import Status
from verifier.statuses import FACTS
from verifier.weekly.changes import ChangeKind, Changes


def print_summary_line(changes: Changes, console: Console) -> None:
    console.print(Text.assemble(("Changes: ", "bold"), changes.summary_line()))


def _transition(before: Status | None, now: Status | None) -> Text:
    text = Text()
    for index, status in enumerate((before, now)):
        if index:
            text.append(" → ")
        if status is None:
            text.append("—", style="dim")
        else:
            text.append(status.value, style=FACTS[status].style)
    return text


def render_changes(changes: Changes, console: Console) -> None:
    """The table of attorneys who moved (nothing when no one did), then the summary line."""
    if changes.attorneys:
        table = Table(
            box=box.SIMPLE_HEAD,
            title=f"Changes since {changes.since_label}",
            title_justify="left",
            title_style="bold",
            pad_edge=False,
            expand=True,
            header_style="bold",
        )
        table.add_column("Attorney", overflow="fold", max_width=28)
        table.add_column("Before → now", no_wrap=True)
        table.add_column("Done / newly due", overflow="fold", ratio=1, min_width=20)
        for entry in changes.attorneys:
            who = Text(entry.name or entry.username)
            if entry.username and entry.name:
                who.append("\n" + entry.username, style="dim")
            if entry.kind in (ChangeKind.NEW, ChangeKind.GONE):
                who.append(f"\n{entry.kind.value}", style="bold")
            what = Text()
            for label, steps in (("done", entry.done), ("due", entry.newly_due)):
                if steps:
                    what.append(f"{label}: " + ", ".join(s.label for s in steps) + "\n")
            if entry.note:
                what.append(entry.note, style="dim")
            what.rstrip()  # in place: Text.rstrip returns None
            table.add_row(who, _transition(entry.before, entry.now), what if what.plain else Text("—", style="dim"))
        console.print(table)
        if changes.gone_hint:
            console.print(Text(changes.gone_hint, style="dim"))
    print_summary_line(changes, console)
