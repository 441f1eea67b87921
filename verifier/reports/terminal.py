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

from verifier.models import Result, Status
from verifier.readiness import MfaAdvice, mfa_advice, summarize_by_court
from verifier.reports.common import StoppedRun, display_order, ready_count, short_next_step, summary_counts
from verifier.statuses import FACTS, ORDER, SIGN_IN_PROBLEMS
from verifier.text import shell_word, shown
from verifier.voice import plural

#: Below this width the name and username share a column, as do status and account type.
WIDE = 110
#: The width of a console whose lines go to a file or a pipe (`unwrapped`): no line is wrapped.
UNWRAPPED = 100_000


def unwrapped(console: Console) -> Console:
    """The console as is at a terminal (lines fit its width); sent to a file or a pipe, its lines are not
    wrapped at all: a path, a command or a sentence stays on its line, and a table takes its own width
    rather than 80 columns. Returns the console, changed in place."""
    if not console.is_terminal:
        console.soft_wrap = True
        console.width = UNWRAPPED
    return console


def fits_a_terminal(console: Console) -> bool:
    """Whether lines are laid out for a width (a terminal, or a test's fixed width), or left unwrapped."""
    return console.width < UNWRAPPED


def show(console: Console, renderable: Table) -> None:
    """A table: laid out for the terminal's width, or, unwrapped, at its own width without the spaces that
    pad its lines (a file keeps no trailing blanks)."""
    if fits_a_terminal(console):
        console.print(renderable)
        return
    with console.capture() as captured:
        console.print(renderable)
    for line in captured.get().splitlines():
        text = Text.from_ansi(line)
        text.rstrip()
        console.print(text, soft_wrap=True)


def print_bullets(console: Console, items: Sequence[str], bullet: str = "•", indent: int = 2) -> None:
    """A bulleted list whose long items wrap under their own text (a hanging indent), never back to column 0;
    unwrapped (a file, a pipe), one line each."""
    lead = " " * indent + bullet + " "
    if not fits_a_terminal(console):
        for item in items:
            console.print(Text(lead + shown(item)), soft_wrap=True)
        return
    for item in items:
        grid = Table.grid(padding=0)
        grid.add_column(width=len(lead), no_wrap=True)
        grid.add_column(ratio=1, overflow="fold")
        grid.add_row(lead, Text(shown(item)))
        console.print(grid)


def _next(result: Result, day: dt.date | None) -> Text:
    if not result.needs_action:
        return Text("Nothing to do", style="dim")
    text = Text(shown(short_next_step(result, day)) or "—")
    if len(result.next) > 1:
        text.append(f" (+{len(result.next) - 1} more)", style="dim")
    return text


def _account_type(result: Result) -> str:
    # "Upgraded PACER Account" says no more than "Upgraded" in a column headed "Account type".
    return (result.account_type or "").removesuffix(" PACER Account")


def _table(results: Sequence[Result], width: int, day: dt.date | None) -> Table:
    wide = width >= WIDE
    fit = width < UNWRAPPED  # unwrapped (a file): each column as wide as its longest cell
    table = Table(
        box=box.SIMPLE_HEAD,
        title="PACER NextGen readiness",
        title_justify="left",
        title_style="bold",
        pad_edge=False,
        expand=fit,
        header_style="bold",
    )
    if wide:
        table.add_column("Name", overflow="fold", max_width=28 if fit else None)
        table.add_column("Username", overflow="fold", max_width=20 if fit else None)
    else:
        table.add_column("Attorney", overflow="fold", max_width=24)
    table.add_column("Status", no_wrap=True)
    if wide:
        table.add_column("Account type", overflow="fold", max_width=20 if fit else None)
    table.add_column("Next step", overflow="fold", ratio=1 if fit else None, min_width=24)
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
    show(console, _table(results, console.width, day))
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
        show(console, courts)


def _command(console: Console, command: str) -> None:
    """A command to paste: indented, never wrapped (a terminal folds a long line itself; a file keeps it)."""
    console.print(Text("    " + command), soft_wrap=True)


def render_again(results: Sequence[Result], again: str, console: Console) -> None:
    """After the table: the command that checks again, for each kind of result that needs one once the firm
    has fixed it; one attorney by username, several by status. Everyone else's result is kept."""
    by_status: dict[Status, list[Result]] = {}
    for result in results:
        if result.status in SIGN_IN_PROBLEMS or result.status in (Status.SITE_ERROR, Status.INVALID_INPUT):
            by_status.setdefault(result.status, []).append(result)
    if not again or not by_status:
        return
    console.print(Text("Once fixed, check again (everyone else's result is kept):", style="bold"))
    for status in ORDER:
        found = by_status.get(status, [])
        if not found:
            continue
        label = Text(f"  {status.value}", style=FACTS[status].style)
        if len(found) == 1:
            label.append(f": {shown(found[0].name or found[0].username)}")
        else:
            label.append(f": {plural(len(found), 'attorney')}")
        console.print(label)
        if status is Status.SITE_ERROR:
            _command(console, again)  # --resume checks site_error accounts again by itself
        elif status is Status.INVALID_INPUT:
            console.print(Text("    fix the rows named in their messages, then:"))
            _command(console, again)
        elif len(found) == 1 and found[0].username:
            _command(console, f"{again} --recheck {shell_word(found[0].username)}")
        else:
            _command(console, f"{again} --recheck-status {status.value}")


def render_stopped(stopped: StoppedRun, again: str, console: Console) -> None:
    """A stopped run's last lines: how many were not checked, and the command that checks them."""
    console.print(Text(f"{stopped.line[0].upper()}{stopped.line[1:]} ({stopped.reason}).", style="bold red"))
    if again:
        console.print(Text("To check the rest (everyone checked is kept):"))
        _command(console, again)
    else:
        # No command to name (the demo, whose mock lives only as long as it runs): run it again.
        console.print(Text("Run it again to check them (a `pacer-verify bulk` run: again with --resume)."))
