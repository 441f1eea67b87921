"""What a person sees while a run goes on: a live bar on a terminal, one plain line per account
in a log file or CI, nothing with --quiet."""

from __future__ import annotations

import sys
from typing import TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from verifier.models import Account, Result, Status
from verifier.statuses import FACTS, count_statuses
from verifier.text import shown


class QuietProgress:
    def __enter__(self) -> QuietProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def started(self, account: Account) -> None:
        pass

    def finished(self, result: Result) -> None:
        pass

    def set_total(self, total: int) -> None:
        pass


class LineProgress(QuietProgress):
    """One line per finished account: greppable, and fine in CI logs."""

    def __init__(self, stream: TextIO = sys.stderr) -> None:
        self.stream = stream
        self.done = 0

    def finished(self, result: Result) -> None:
        self.done += 1
        row = f" row {result.row}" if result.row else ""
        print(
            f"[{self.done}] {result.status.value:<24} {shown(result.username) or '-'}{row}: {shown(result.message)}",
            file=self.stream,
            flush=True,
        )


class BarProgress(QuietProgress):
    """A live bar with counts per status and an ETA, for a person at a terminal."""

    def __init__(self, total: int | None, console: Console) -> None:
        self.counts: dict[Status, int] = count_statuses(())
        self.progress = Progress(
            TextColumn("[bold]Checking"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            TextColumn("{task.fields[counts]}"),
            console=console,
            transient=False,
        )
        self.task = self.progress.add_task("accounts", total=total, counts="")

    def set_total(self, total: int) -> None:
        self.progress.update(self.task, total=total)

    def __enter__(self) -> BarProgress:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def finished(self, result: Result) -> None:
        self.counts[result.status] += 1
        seen = [(s, n) for s, n in self.counts.items() if n]
        # Alphabetical, as the bar always showed them.
        counts = "  ".join(f"[{FACTS[s].style}]{s.value} {n}[/]" for s, n in sorted(seen, key=lambda sn: sn[0].value))
        self.progress.update(self.task, advance=1, counts=counts)


def make_progress(quiet: bool, total: int | None, console: Console) -> QuietProgress:
    if quiet:
        return QuietProgress()
    if console.is_terminal:
        return BarProgress(total, console)
    return LineProgress()
