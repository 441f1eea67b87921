"""results.csv: one row per attorney, one column per checklist step, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from verifier.models import Result, Step
from verifier.reports import ReportMeta

BASE_COLUMNS = ("name", "username", "row", "status", "account_type", "needs_upgrade", "mfa_enrolled",
                "firm_billing", "message", "next_steps", "checked_at", "duration_s", "attempts", "artifacts")
# A cell starting with these runs as a formula in Excel/LibreOffice (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def step_cell(step: Step) -> str:
    return step.state.value + (f" (by {step.deadline.isoformat()})" if step.deadline else "")


def render(results: Sequence[Result], meta: ReportMeta) -> str:
    step_ids: list[str] = []
    for result in results:
        for step in result.steps:
            if step.id not in step_ids:
                step_ids.append(step.id)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([*BASE_COLUMNS, *(f"step:{s}" for s in step_ids)])
    for result in results:
        steps = {s.id: s for s in result.steps}
        base = [result.name, result.username, result.row, result.status.value, result.account_type,
                result.needs_upgrade, result.mfa_enrolled, result.firm_billing, result.message,
                " | ".join(result.next_steps), result.checked_at.isoformat(), result.duration_s, result.attempts,
                " ".join(result.artifacts)]
        writer.writerow([neutralize(v) for v in base]
                        + [step_cell(steps[s]) if s in steps else "" for s in step_ids])
    return buffer.getvalue()
