"""The summary a person reads at the end of a run."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.table import Table

from verifier.models import Result
from verifier.progress import STATUS_STYLE
from verifier.readiness import summarize_by_court
from verifier.reports import summary_counts


def render_summary(results: Sequence[Result], console: Console) -> None:
    table = Table(title="PACER NextGen readiness", expand=False, show_lines=False)
    table.add_column("name", overflow="fold", max_width=22)
    table.add_column("username", overflow="fold", max_width=16)
    table.add_column("status", no_wrap=True)
    table.add_column("next step", overflow="fold", max_width=60)
    for result in sorted(results, key=lambda r: (not r.needs_action, r.status.value, r.name.lower())):
        style = STATUS_STYLE[result.status]
        first = result.next_steps[0] if result.next_steps else ""
        first = first.split(": ")[0] if result.status.signed_in else first  # the step's title; details in HTML
        if len(result.next_steps) > 1:
            first += f" (+{len(result.next_steps) - 1} more)"
        table.add_row(result.name, result.username, f"[{style}]{result.status.value}[/]", first)
    console.print(table)
    counts = summary_counts(results)
    ready = sum(1 for r in results if not r.needs_action)
    styles = {r.status.value: STATUS_STYLE[r.status] for r in results}
    console.print("  ".join(f"[{styles[status]}]{status}[/]: {n}" for status, n in counts.items()))
    console.print(f"[bold]{ready} of {len(results)} attorneys ready[/] on what was checked.")
    per_court = summarize_by_court(results)
    if per_court:
        console.print("Ready per court: " + ", ".join(
            f"{court} {s.ready}/{s.ready + s.not_ready + s.unknown}" for court, s in sorted(per_court.items())))
