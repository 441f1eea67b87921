"""An attorney's next steps, as data and as text, and the firm-wide summary per court.

The next steps are `NextStep`s (verifier.models): the checklist's to-dos in the one order
(``models.ordered_todo``), after what the status asks first when the sign-in did not get through. Each
output says them in its own form from their fields: ``said`` (one sentence: the CSV, JUnit, `check`,
results.jsonl's `next_steps`) and ``said_short`` (a few words: the terminal's table); the HTML report and
the notices read the fields themselves. Nothing reads a sentence back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from verifier.models import NextStep, Result, Status, Step, StepKind, StepState, ordered_todo
from verifier.readiness._mfa import ENROLL_NOW
from verifier.readiness._where import ROSTER, advice_of

#: The steps that count for every court: an attorney is ready in a court when these and the court's are done.
ACCOUNT_WIDE = (StepKind.OWN_ACCOUNT, StepKind.UPGRADED, StepKind.MFA)


def deadline_phrase(deadline: dt.date, today: dt.date) -> str:
    """ "by 2026-03-01" for a deadline still ahead (or today), "overdue since 2025-12-31" once it passed."""
    return f"overdue since {deadline.isoformat()}" if today > deadline else f"by {deadline.isoformat()}"


class Signed(Protocol):
    """What the next steps read of a checked account: its status."""

    @property
    def status(self) -> Status: ...


def next_steps_from(steps: Iterable[Step]) -> list[NextStep]:
    """The checklist's to-dos as next steps, in the one order (``ordered_todo``). Information and unknown
    items are not next steps; the checklist shows them."""
    return [NextStep.of(step) for step in ordered_todo(steps)]


def next_steps_for(result: Signed, steps: Iterable[Step], status_step: NextStep | None = None) -> list[NextStep]:
    """The result's next steps: what its status asks first when the sign-in did not get through (nothing
    else can be checked until that is sorted), then the checklist's; the status's advice when there is
    no step to do. `status_step`: that advice for where the account came from (``Where.status_step``)."""
    first = status_step or ROSTER.status_step(result.status)
    todo = next_steps_from(steps)
    if not result.status.signed_in:
        return [first, *todo]
    return todo or [first]


def said(step: NextStep, day: dt.date | None = None) -> str:
    """The step as one sentence: "Title (court): how — by 2026-03-01" ("— overdue since …" once `day` is
    past the deadline); a status's advice as its words say it, with the command that checks again. `day`
    is needed for a step with a deadline only."""
    if step.kind is StepKind.STATUS:
        return step.said or str(advice_of(step))
    text = step.title + (f" ({step.court})" if step.court else "")
    if step.detail:
        text += f": {step.detail}"
    if step.deadline:
        if day is None:
            raise ValueError("a step with a deadline is said for a day")
        text += f" — {deadline_phrase(step.deadline, day)}"
    return text


def said_short(step: NextStep, day: dt.date) -> str:
    """The step in a few words, for a terminal: a checklist item's title, its court and its deadline
    ("Link your CM/ECF account (cod) (by 2026-03-01)"), not its how-to; a status's advice, what to do."""
    if step.kind is StepKind.STATUS:
        return step.said or advice_of(step).do
    text = step.title + (f" ({step.court})" if step.court else "")
    return text + (f" ({deadline_phrase(step.deadline, day)})" if step.deadline else "")


def shared_title(step: NextStep) -> str:
    """The title a checklist item to do shares with everyone's of its kind, for a how-to said once: its
    own (the court is a field apart); for MFA, "Enroll … now", whatever skips PACER left this attorney."""
    return ENROLL_NOW if step.kind is StepKind.MFA else step.title


def said_all(steps: Sequence[NextStep], day: dt.date) -> list[str]:
    """Each step as its sentence (``said``)."""
    return [said(step, day) for step in steps]


@dataclass
class CourtSummary:
    ready: int = 0
    not_ready: int = 0
    unknown: int = 0


def summarize_by_court(results: Iterable[Result]) -> dict[str, CourtSummary]:
    """Attorneys per court: ready when the court's steps and the account-wide ones (own account, upgraded,
    MFA) are all done (information steps aside: MFA not asked for yet is one), not ready when any of them
    is to do, unknown otherwise."""
    summary: dict[str, CourtSummary] = {}
    for result in results:
        account_wide = [s for s in result.steps if s.kind in ACCOUNT_WIDE and s.state is not StepState.INFO]
        for court in sorted({s.court for s in result.steps if s.court}):
            relevant = account_wide + [s for s in result.steps if s.court == court and s.state is not StepState.INFO]
            entry = summary.setdefault(court, CourtSummary())
            if any(s.state is StepState.TODO for s in relevant):
                entry.not_ready += 1
            elif relevant and all(s.state is StepState.DONE for s in relevant):
                entry.ready += 1
            else:
                entry.unknown += 1
    return summary
