"""What a person sees while a run goes on: a live bar on a terminal, one plain line per account
in a log file or CI, nothing with --quiet."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TextIO

from rich.console import Console, RenderableType
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

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


class AccountsPerMinute(ProgressColumn):
    """`12.5/min`: the pace a person compares with `--rate` (a second-based speed says little here)."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("--/min" if speed is None else f"{speed * 60:.1f}/min", style="progress.data.speed")


class _TwoLineProgress(Progress):
    """The bar on one line, the status counts on the next: the counts grow with the run and would
    otherwise squeeze the bar and the ETA off an 80-column terminal."""

    counts_line = Text("")

    def get_renderables(self) -> Iterable[RenderableType]:
        yield self.make_tasks_table(self.tasks)
        if self.counts_line:
            yield self.counts_line


class BarProgress(QuietProgress):
    """A live bar with the count, accounts per minute and an ETA, and the counts per status below it,
    for a person at a terminal. Fits 80 columns; the counts wrap between statuses, never mid-word."""

    def __init__(self, total: int | None, console: Console) -> None:
        self.counts: dict[Status, int] = count_statuses(())
        self.progress = _TwoLineProgress(
            TextColumn("[bold]Checking"),
            BarColumn(bar_width=20),
            MofNCompleteColumn(),
            AccountsPerMinute(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=console,
            transient=False,
        )
        self.task = self.progress.add_task("accounts", total=total)

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
        line = Text(overflow="fold")
        # Alphabetical, as the bar always showed them; two spaces between, so a wrap falls between two.
        for index, (status, n) in enumerate(sorted(seen, key=lambda sn: sn[0].value)):
            line.append(("  " if index else "") + f"{status.value} {n}", style=FACTS[status].style)
        self.progress.counts_line = line
        self.progress.update(self.task, advance=1)

    def renderables(self) -> list[RenderableType]:
        """What the display shows now (for tests: the same the live display draws)."""
        return list(self.progress.get_renderables())


def make_progress(quiet: bool, total: int | None, console: Console) -> QuietProgress:
    if quiet:
        return QuietProgress()
    if console.is_terminal:
        return BarProgress(total, console)
    return LineProgress()
