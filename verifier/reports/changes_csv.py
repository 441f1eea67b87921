"""changes.csv: one row per attorney who moved since the earlier run, spreadsheet-safe like results.csv."""

from __future__ import annotations

import csv
import io

from verifier.reports.csv_report import neutralize
from verifier.weekly.changes import Changes, StepChange

CHANGES_FILE = "changes.csv"
COLUMNS = (
    "change",
    "name",
    "username",
    "row",
    "before",
    "now",
    "was_ready",
    "ready",
    "done",
    "newly_due",
    "previous_username",
    "note",
    "since",
)


def _steps(steps: list[StepChange]) -> str:
    return " | ".join(step.label for step in steps)


def render(changes: Changes) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for entry in changes.attorneys:
        cells = (
            entry.kind.value,
            entry.name,
            entry.username,
            entry.row,
            entry.before.value if entry.before else "",
            entry.now.value if entry.now else "",
            entry.was_ready,
            entry.ready,
            _steps(entry.done),
            _steps(entry.newly_due),
            entry.previous_username,
            entry.note,
            changes.since_label,
        )
        writer.writerow([neutralize(c) for c in cells])
    return buffer.getvalue()
