"""The summary a person reads at the end of a run, sized to the terminal (80 columns and up).

Every value from a roster or a web page goes in as ``Text``, never as markup: a name such as
"[bold]" or "[/]" must print as itself, not restyle the table or raise a markup error; and through
``verifier.text.shown``, so an escape sequence or carriage return shows as ``\x1b`` / ``\r``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from verifier.models import Result
from verifier.readiness import MfaAdvice, mfa_advice, summarize_by_court
from verifier.reports.common import display_order, ready_count, short_next_step, summary_counts
from verifier.statuses import FACTS, ORDER
from verifier.text import shown
from verifier.voice import plural

#: Below this width the name and username share a column, as do status and account type.
WIDE = 110


def _next(result: Result, day: dt.date | None) -> Text:
    if not result.needs_action:
        return Text("Nothing to do", style="dim")
    text = Text(shown(short_next_step(result, day)) or "—")
    if len(result.next_steps) > 1:
        text.append(f" (+{len(result.next_steps) - 1} more)", style="dim")
    return text


def _account_type(result: Result) -> str:
    # "Upgraded PACER Account" says no more than "Upgraded" in a column headed "Account type".
    return (result.account_type or "").removesuffix(" PACER Account")


def _table(results: Sequence[Result], width: int, day: dt.date | None) -> Table:
    wide = width >= WIDE
    table = Table(
        box=box.SIMPLE_HEAD,
        title="PACER NextGen readiness",
        title_justify="left",
        title_style="bold",
        pad_edge=False,
        expand=True,
        header_style="bold",
    )
    if wide:
        table.add_column("Name", overflow="fold", max_width=28)
        table.add_column("Username", overflow="fold", max_width=20)
    else:
        table.add_column("Attorney", overflow="fold", max_width=24)
    table.add_column("Status", no_wrap=True)
    if wide:
        table.add_column("Account type", overflow="fold", max_width=20)
    table.add_column("Next step", overflow="fold", ratio=1, min_width=24)
    for result in display_order(results):
        status = Text(result.status.value, style=FACTS[result.status].style)
        if wide:
            table.add_row(
                Text(shown(result.name)),
                Text(shown(result.username)),
                status,
                Text(shown(_account_type(result))),
                _next(result, day),
            )
            continue
        who = Text(shown(result.name or result.username))
        if result.name and result.username:
            who.append("\n" + shown(result.username), style="dim")
        kind = shown(_account_type(result))
        if kind and kind.lower() != result.status.value:  # "legacy / Legacy" would say it twice
            status.append("\n" + kind, style="dim")
        table.add_row(who, status, _next(result, day))
    return table


def _per_court(results: Sequence[Result]) -> Table | None:
    per_court = summarize_by_court(results)
    if not per_court:
        return None
    table = Table(
        box=box.SIMPLE_HEAD,
        title="Ready per court",
        title_justify="left",
        title_style="bold",
        pad_edge=False,
        header_style="bold",
    )
    for column in ("Court", "Ready", "To do", "Unknown"):
        table.add_column(column, justify="left" if column == "Court" else "right")
    for court, summary in sorted(per_court.items()):
        total = summary.ready + summary.not_ready + summary.unknown
        table.add_row(Text(shown(court)), f"{summary.ready}/{total}", str(summary.not_ready), str(summary.unknown))
    return table


def _status_lines(counts: dict[str, int], width: int) -> list[Text]:
    """'By status: locked 2 · legacy 16 · …', wrapped between two statuses, never inside one."""
    lines = [Text("By status: ", style="bold")]
    parts = [(status, counts[status.value]) for status in ORDER if counts[status.value]]
    for index, (status, count) in enumerate(parts):
        item = f"{status.value} {count}" + (" ·" if index < len(parts) - 1 else "")
        if lines[-1].cell_len + len(item) > width and lines[-1].plain.strip():
            lines.append(Text("  "))
        lines[-1].append(item[: len(item) - 2] if item.endswith(" ·") else item, style=FACTS[status].style)
        lines[-1].append(" · " if item.endswith(" ·") else "")
    for line in lines:
        line.rstrip()
    return lines


def _mfa_line(results: Sequence[Result]) -> Text | None:
    """MFA as PACER asks for it: who must enroll now (asked at sign-in) apart from who was not asked yet
    (a heads-up, counted among the ready)."""
    advice = Counter(mfa_advice(r.steps) for r in results)
    now, later = advice[MfaAdvice.NOW], advice[MfaAdvice.NOT_ASKED]
    if not now and not later:
        return None
    line = Text("MFA: ", style="bold")
    line.append(f"{now} to enroll now (PACER asked at sign-in)", style="magenta" if now else "")
    line.append(f"; {later} not asked yet (a heads-up).")
    return line


def render_summary(results: Sequence[Result], console: Console, day: dt.date | None = None) -> None:
    """A table of attorneys (who needs a person first), the counts per status, and per court. Deadlines
    read against `day` (`--as-of`; today when None)."""
    if not results:
        console.print("No results to show.")
        return
    console.print(_table(results, console.width, day))
    counts = summary_counts(results)
    for line in _status_lines(counts, console.width):
        console.print(line)
    ready = ready_count(results)
    console.print(
        Text.assemble(
            (f"{ready} of {plural(len(results), 'attorney')} ready", "bold"),
            " (nothing left to do on what was checked).",
        )
    )
    mfa = _mfa_line(results)
    if mfa is not None:
        console.print(mfa)
    courts = _per_court(results)
    if courts is not None:
        console.print(courts)
