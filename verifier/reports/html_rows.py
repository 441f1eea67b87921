"""One attorney's row of report.html, as the template shows it: the checklist's marks, the next steps
(title, how-to and deadline, from the steps' fields), the artifacts linked where that is safe, and the
how-tos that several rows share, said once below the table.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from verifier.models import NextStep, Result, Step, StepKind, StepState
from verifier.readiness import advice_of, shared_title
from verifier.reports.common import todo_count
from verifier.reports.who import tags

STATE_ICON = {StepState.DONE: "✓", StepState.TODO: "!", StepState.UNKNOWN: "?", StepState.INFO: "i"}
STATE_LABEL = {StepState.DONE: "Done", StepState.TODO: "To do", StepState.UNKNOWN: "Unknown", StepState.INFO: "Note"}
# An artifact is linked only when it is a plain relative path: no scheme (javascript:, http:), no
# drive letter, no //host or \\host (on Windows a file:// link to a share leaks the user's login hash).
_UNSAFE_LINK = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*:|[/\\]{2})")


@dataclass
class StepView:
    step: Step
    icon: str
    label: str
    overdue: bool
    hover: str = ""  # the item's detail as hover text, where the page does not show it (`hover_texts`)


@dataclass
class NextView:
    """One next step as the row shows it: "Title (court): how to do it", and its deadline as a chip."""

    title: str
    detail: str
    deadline: str
    overdue: bool
    topic: str = ""
    """The title everyone's step of this kind shares (no court, no skips): its how-to's heading."""
    how_id: str = ""  # the anchor of this step's how-to in the report's "How to do each step"


@dataclass
class HowTo:
    """A step's how-to, once per report (it read about 170 pixels per attorney when repeated in each row)."""

    id: str
    title: str
    details: list[str]


def how_to(rows: Sequence[Row]) -> list[HowTo]:
    """The how-tos that more than one next step repeats, once each, in order of first appearance; each of
    those next steps is given its how-to's anchor. Steps named alike (one per court, or whatever the skips
    left) share one entry. A how-to said once stays in its row: it is that attorney's own (who else uses
    the username, say)."""
    repeated = Counter(step.detail for row in rows for step in row.next if step.detail)
    found: dict[str, HowTo] = {}
    for row in rows:
        for step in row.next:
            if repeated[step.detail] < 2:
                continue
            entry = found.setdefault(step.topic, HowTo(f"how-{len(found) + 1}", step.topic, []))
            if step.detail not in entry.details:
                entry.details.append(step.detail)
            step.how_id = entry.id
    return list(found.values())


def hover_texts(rows: Sequence[Row], guides: Sequence[HowTo]) -> None:
    """Give each checklist item its detail as hover text, unless the page shows it already (in "How to
    do each step" or the row's own next steps): a screen reader announces a title in every row."""
    said_below = {detail for guide in guides for detail in guide.details}
    for row in rows:
        shown = said_below | {step.detail for step in row.next}
        for view in row.steps:
            view.hover = "" if view.step.detail in shown else view.step.detail


@dataclass
class Artifact:
    label: str
    href: str | None


@dataclass
class Row:
    result: Result
    steps: list[StepView]
    next: list[NextView]
    artifacts: list[Artifact]
    todo: int
    next_due: str = field(default="")
    anchor: str = ""  # the row's id, where "Who must act" links to
    tags: list[str] = field(default_factory=list)  # what the "Show" filter and the cards select it by


def _artifact(path: str) -> Artifact:
    label = path.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1] or path
    if path.lower().endswith((".png", ".jpg", ".jpeg")):
        label = f"Screenshot: {label}"
    elif path.lower().endswith(".zip"):
        label = f"Trace: {label}"
    return Artifact(label, path.replace("\\", "/") if is_local_link(path) else None)


def is_local_link(path: str) -> bool:
    """True for a plain file path a report may link to (see _UNSAFE_LINK)."""
    return bool(path.strip()) and not _UNSAFE_LINK.match(path.strip())


def _next(step: NextStep, today: dt.date) -> NextView:
    if step.kind is StepKind.STATUS:
        if step.said:  # an earlier version's words, as stored
            return NextView(step.said, "", "", overdue=False, topic=step.said)
        advice = advice_of(step)
        # The upgrade's advice reads as a checklist item does ("Title: how"); other advice is a sentence.
        title, detail = (advice.do, advice.then) if advice.titled else (str(advice), "")
        return NextView(title, detail, "", overdue=False, topic=title)
    title = step.title + (f" ({step.court})" if step.court else "")
    deadline = step.deadline.isoformat() if step.deadline else ""
    overdue = step.deadline is not None and step.deadline < today
    return NextView(title, step.detail, deadline, overdue, topic=shared_title(step))


def attorney_row(result: Result, today: dt.date, number: int) -> Row:
    """The attorney's row (the `number`th in the table): their checklist's marks, their next steps, their
    artifacts, and the tags the filters select it by."""
    steps = [
        StepView(
            step,
            STATE_ICON[step.state],
            STATE_LABEL[step.state],
            overdue=step.state is StepState.TODO and step.deadline is not None and step.deadline < today,
        )
        for step in result.steps
    ]
    due = [s.deadline for s in result.steps if s.state is StepState.TODO and s.deadline]
    return Row(
        result,
        steps,
        [_next(step, today) for step in result.next],
        [_artifact(a) for a in result.artifacts],
        todo_count(result),
        next_due=min(due).isoformat() if due else "",
        anchor=f"attorney-{number}",
        tags=tags(result),
    )
