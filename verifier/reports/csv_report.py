"""results.csv: one row per attorney, one column per checklist step, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence

from verifier.models import Result, Step
from verifier.readiness import deadline_phrase, said_all
from verifier.reports.common import ReportMeta
from verifier.text import shown

BASE_COLUMNS = (
    "name",
    "username",
    "row",
    "status",
    "account_type",
    "needs_upgrade",
    "mfa_enrolled",
    "firm_billing",
    "message",
    "next_steps",
    "checked_at",
    "duration_s",
    "attempts",
    "artifacts",
)
STEP_PREFIX = "step:"
# A cell starting with one of these is run as a formula by Excel, LibreOffice and Google Sheets
# ("CSV injection": OWASP, CWE-1236); names and messages come from rosters and web pages. NUL and
# line feed are in ASVS's list too.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")


def neutralize(value: object) -> str:
    """The cell as text, control characters escaped; a would-be formula gets a leading ' so it is
    shown, never evaluated."""
    if value is None:
        return ""
    text = shown(str(value).lower() if isinstance(value, bool) else str(value))
    return "'" + text if text.startswith(FORMULA_START) else text


def neutralize_letter(value: str) -> str:
    """A letter's body (the mail merge's body_text and body_html) as written, line breaks and all: a mail
    tool sends it as it is. Only a body that would start a formula gets the leading '; a letter never
    does (it starts "Dear" or "<!DOCTYPE"), and its control characters other than line breaks were
    already escaped when it was written (``text.shown_lines``)."""
    return "'" + value if value.startswith(FORMULA_START) else value


def step_cell(step: Step, day: dt.date) -> str:
    return step.state.value + (f" ({deadline_phrase(step.deadline, day)})" if step.deadline else "")


def step_columns(results: Sequence[Result]) -> list[str]:
    """The union of step ids, in the order they first appear (account-wide steps come first)."""
    ids: dict[str, None] = {}
    for result in results:
        for step in result.steps:
            ids.setdefault(step.id, None)
    return list(ids)


def _row(result: Result, step_ids: list[str], day: dt.date) -> list[str]:
    steps = {step.id: step for step in result.steps}
    base = [
        result.name,
        result.username,
        result.row,
        result.status.value,
        result.account_type,
        result.needs_upgrade,
        result.mfa_enrolled,
        result.firm_billing,
        result.message,
        " | ".join(said_all(result.next, day)),
        result.checked_at.isoformat(),
        result.duration_s,
        result.attempts,
        " | ".join(result.artifacts),
    ]
    cells = [neutralize(step_cell(steps[s], day)) if s in steps else "" for s in step_ids]
    return [neutralize(v) for v in base] + cells


def stopped_comment(meta: ReportMeta) -> str:
    """A stopped run's first line, `# stopped after 8 of 64 attorneys: 56 not checked; …`, or "".

    A comment line, as the roster's own CSV has them: a spreadsheet shows it above the header, in the
    first cell (no comma or quote in it, so it stays one cell); a program skips it as a comment
    (pandas' `comment="#"`; with Python's csv, drop the lines that start with "#" before the header).
    Only a stopped run's file has it: a complete run's starts with its header, as before."""
    if meta.stopped is None:
        return ""
    text = f"{meta.stopped.line}; {meta.stopped.reason}; run bulk again with --resume to check the rest"
    return "# " + shown(text).replace(",", ";").replace('"', "'") + "\r\n"


def render(results: Sequence[Result], meta: ReportMeta) -> str:
    step_ids = step_columns(results)
    buffer = io.StringIO(stopped_comment(meta))
    buffer.seek(0, io.SEEK_END)
    # Every cell quoted, as OWASP's guidance advises: no cell's content can be taken for a separator.
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow([*BASE_COLUMNS, *(STEP_PREFIX + s for s in step_ids)])
    for result in results:
        writer.writerow(_row(result, step_ids, meta.day))
    return buffer.getvalue()
