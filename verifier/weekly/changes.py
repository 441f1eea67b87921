"""What changed between an earlier run and this one, per attorney. Pure: results in, a comparison out.

Attorneys are matched by the checkpoint's key (``checkpoint.key_of``: username and name; an unreadable
row by its row number). What is left is matched again, with a note, by name and roster row (an upgrade
may give the attorney a new username; a fixed roster row gets its username back), then by username and
row (the name was edited). Anyone still unmatched is new to, or gone from, the roster.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from enum import StrEnum

from pydantic import BaseModel, Field

from verifier.errors import ChangesError as ChangesError
from verifier.models import Result, Status, Step, StepState
from verifier.readiness import person_key
from verifier.statuses import SIGN_IN_PROBLEMS
from verifier.store.checkpoint import key_of
from verifier.voice import plural


class ChangeKind(StrEnum):
    NEW = "new"
    GONE = "gone"
    CHANGED = "changed"
    SAME = "same"


class StepChange(BaseModel):
    id: str
    title: str
    court: str | None = None
    deadline: dt.date | None = None

    @property
    def label(self) -> str:
        text = self.title + (f" ({self.court})" if self.court else "")
        return text + (f" by {self.deadline.isoformat()}" if self.deadline else "")


class AttorneyChange(BaseModel):
    """One attorney, before and now. ``before`` is None for someone new, ``now`` for someone gone."""

    kind: ChangeKind
    name: str
    username: str
    row: int | None = None
    before: Status | None = None
    now: Status | None = None
    was_ready: bool | None = None
    ready: bool | None = None
    done: list[StepChange] = Field(default_factory=list, description="to do before, done now")
    newly_due: list[StepChange] = Field(default_factory=list, description="to do now, not to do before")
    previous_username: str | None = None
    note: str = ""

    @property
    def transition(self) -> str:
        before = self.before.value if self.before else "—"
        now = self.now.value if self.now else "—"
        return f"{before} → {now}"


#: The counts, in the order the one-line summary names them, with their wording (one, several).
COUNT_WORDS: tuple[tuple[str, str, str], ...] = (
    ("upgraded", "upgraded", "upgraded"),
    ("newly_ready", "newly ready", "newly ready"),
    ("sign_in_fixed", "sign-in fixed", "sign-in fixed"),
    ("newly_failing_sign_in", "newly failing sign-in", "newly failing sign-in"),
    ("no_longer_ready", "no longer ready", "no longer ready"),
    ("steps_done", "checklist item done", "checklist items done"),
    ("newly_due", "item newly due", "items newly due"),
    ("new", "new to the roster", "new to the roster"),
    ("gone", "gone from the roster", "gone from the roster"),
    ("username_changed", "username changed", "usernames changed"),
)


def count_words(key: str, count: int) -> str:
    """The wording of one count, e.g. "3 checklist items done"."""
    for name, one, several in COUNT_WORDS:
        if name == key:
            return f"{count} {one if count == 1 else several}"
    raise KeyError(key)


class Changes(BaseModel):
    """The comparison of two runs: counts for the top of a report, then one entry per attorney who moved."""

    since: dt.datetime = Field(description="the earlier run's latest check")
    until: dt.datetime = Field(description="this run's latest check")
    sources: list[str] = Field(default_factory=list, description="the earlier results files' names")
    compared: int = 0
    unchanged: int = 0
    counts: dict[str, int] = Field(default_factory=dict)
    attorneys: list[AttorneyChange] = Field(default_factory=list)

    @property
    def since_label(self) -> str:
        """The earlier run's day; with its time too when this run is on the same day ("2026-12-02 09:30 UTC")."""
        since, until = self.since.astimezone(dt.UTC), self.until.astimezone(dt.UTC)
        if since.date() == until.date():
            return since.strftime("%Y-%m-%d %H:%M UTC")
        return since.date().isoformat()

    def summary_line(self) -> str:
        """E.g. "7 upgraded since 2026-11-24, 2 newly failing sign-in, 1 new to the roster"."""
        parts = [count_words(key, self.counts[key]) for key, _, _ in COUNT_WORDS if self.counts.get(key)]
        if not parts:
            return f"No changes since {self.since_label} ({plural(self.compared, 'attorney')} in both runs)"
        parts[0] += f" since {self.since_label}"
        return ", ".join(parts)

    @property
    def gone_hint(self) -> str:
        """Someone "gone" may only be in a shard that was not passed: said where the gone are listed."""
        if not self.counts.get("gone"):
            return ""
        return (
            "Gone: in the earlier run only. Either no longer in the roster, or in a shard of this run "
            "that was not given to the report."
        )


def _latest(results: Sequence[Result]) -> dt.datetime:
    return max(_aware(r.checked_at) for r in results)


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _step(step: Step, *, deadline: bool = True) -> StepChange:
    return StepChange(id=step.id, title=step.title, court=step.court, deadline=step.deadline if deadline else None)


def _step_changes(old: Result, new: Result) -> tuple[list[StepChange], list[StepChange]]:
    before = {s.id: s.state for s in old.steps}
    # A done item's deadline no longer matters: it is left out.
    done = [
        _step(s, deadline=False) for s in new.steps if s.state is StepState.DONE and before.get(s.id) is StepState.TODO
    ]
    due = [_step(s) for s in new.steps if s.state is StepState.TODO and before.get(s.id) is not StepState.TODO]
    return done, due


def _pair(old: Result, new: Result, note: str = "") -> AttorneyChange:
    done, due = _step_changes(old, new)
    moved = old.status is not new.status or bool(done or due or note)
    renamed = bool(old.username and new.username and old.username.lower() != new.username.lower())
    return AttorneyChange(
        kind=ChangeKind.CHANGED if moved else ChangeKind.SAME,
        name=new.name,
        username=new.username,
        row=new.row,
        before=old.status,
        now=new.status,
        was_ready=not old.needs_action,
        ready=not new.needs_action,
        done=done,
        newly_due=due,
        previous_username=old.username if renamed else None,
        note=note,
    )


def _new(result: Result) -> AttorneyChange:
    due = [_step(s) for s in result.steps if s.state is StepState.TODO]
    return AttorneyChange(
        kind=ChangeKind.NEW,
        name=result.name,
        username=result.username,
        row=result.row,
        now=result.status,
        ready=not result.needs_action,
        newly_due=due,
    )


def _gone(result: Result) -> AttorneyChange:
    return AttorneyChange(
        kind=ChangeKind.GONE,
        name=result.name,
        username=result.username,
        row=result.row,
        before=result.status,
        was_ready=not result.needs_action,
    )


def _unique_index(
    results: dict[str, Result], key: Callable[[Result], tuple[str, int] | None]
) -> dict[tuple[str, int], str]:
    """Second-pass match keys that name exactly one result (an ambiguous key matches nobody)."""
    index: dict[tuple[str, int], str] = {}
    twice: set[tuple[str, int]] = set()
    for checkpoint_key, result in results.items():
        match = key(result)
        if match is None:
            continue
        if match in index:
            twice.add(match)
        index[match] = checkpoint_key
    return {k: v for k, v in index.items() if k not in twice}


def _by_name_and_row(result: Result) -> tuple[str, int] | None:
    name = person_key(result.name)
    if not name or result.row is None or name == f"row {result.row}":  # "row 4" is no one's name
        return None
    return (name, result.row)


def _by_username_and_row(result: Result) -> tuple[str, int] | None:
    if not result.username.strip() or result.row is None or result.status is Status.INVALID_INPUT:
        return None
    return (result.username.strip().lower(), result.row)


def _rematch_note(old: Result, new: Result, how: str) -> str:
    if old.status is Status.INVALID_INPUT and new.status is not Status.INVALID_INPUT:
        return f"roster row {new.row} fixed since (matched by name and row)"
    if how == "name":
        return (
            f"username changed from {old.username or '(none)'} to {new.username or '(none)'}: "
            f"matched by name and roster row {new.row}"
        )
    return f"name changed from {old.name!r} to {new.name!r}: matched by username and roster row {new.row}"


def _match(old: dict[str, Result], new: dict[str, Result]) -> list[AttorneyChange]:
    entries: list[AttorneyChange] = []
    unmatched_new: dict[str, Result] = {}
    for key, result in new.items():
        if key in old:
            entries.append(_pair(old.pop(key), result))
        else:
            unmatched_new[key] = result
    for how, by in (("name", _by_name_and_row), ("username", _by_username_and_row)):
        old_index = _unique_index(old, by)
        new_index = _unique_index(unmatched_new, by)
        for match, new_key in new_index.items():
            old_key = old_index.get(match)
            if old_key is None:
                continue
            before, now = old.pop(old_key), unmatched_new.pop(new_key)
            entries.append(_pair(before, now, _rematch_note(before, now, how)))
    entries += [_new(r) for r in unmatched_new.values()]
    entries += [_gone(r) for r in old.values()]
    return entries


def _counts(entries: Sequence[AttorneyChange]) -> dict[str, int]:
    def count(test: Callable[[AttorneyChange], bool]) -> int:
        return sum(1 for e in entries if test(e))

    paired = [e for e in entries if e.before is not None and e.now is not None]
    return {
        "upgraded": sum(1 for e in paired if e.before is Status.LEGACY and e.now is Status.UPGRADED),
        "newly_ready": sum(1 for e in paired if e.ready and not e.was_ready),
        "sign_in_fixed": sum(1 for e in paired if e.before in SIGN_IN_PROBLEMS and e.now not in SIGN_IN_PROBLEMS),
        "newly_failing_sign_in": sum(
            1 for e in paired if e.now in SIGN_IN_PROBLEMS and e.before not in SIGN_IN_PROBLEMS
        ),
        "no_longer_ready": sum(1 for e in paired if e.was_ready and not e.ready),
        "steps_done": sum(len(e.done) for e in paired),
        "newly_due": sum(len(e.newly_due) for e in paired),
        "new": count(lambda e: e.kind is ChangeKind.NEW),
        "gone": count(lambda e: e.kind is ChangeKind.GONE),
        "username_changed": sum(1 for e in paired if e.previous_username),
        "status_changed": sum(1 for e in paired if e.before is not e.now),
    }


#: Entries in reading order: who moved (worst news first), then new, then gone.
_KIND_ORDER = {ChangeKind.CHANGED: 0, ChangeKind.NEW: 1, ChangeKind.GONE: 2, ChangeKind.SAME: 3}


def _order(entry: AttorneyChange) -> tuple[int, int, str, str]:
    worse = 0 if entry.was_ready and entry.ready is False else 1
    return (_KIND_ORDER[entry.kind], worse, entry.name.casefold(), entry.username.casefold())


def check_comparable(earlier: Sequence[Result], current: Sequence[Result], sources: Sequence[str] = ()) -> None:
    """Refuse a comparison that would mislead: nothing to compare, or the runs given the wrong way round."""
    where = ", ".join(sources) or "the earlier results"
    if not earlier:
        raise ChangesError(f"--since {where}: no results in it")
    if not current:
        raise ChangesError("no current results to compare with the earlier run")
    then, now = _latest(earlier), _latest(current)
    if then > now:
        raise ChangesError(
            f"--since {where} is newer (checked up to {then:%Y-%m-%d %H:%M} UTC) than the results "
            f"it is compared with (up to {now:%Y-%m-%d %H:%M} UTC): give the earlier run to --since"
        )


def compare(earlier: Sequence[Result], current: Sequence[Result], sources: Sequence[str] = ()) -> Changes:
    """The changes from ``earlier`` to ``current``; raises ChangesError when they cannot be compared,
    including when no attorney is in both (another roster's results, most likely)."""
    check_comparable(earlier, current, sources)
    entries = _match({key_of(r): r for r in earlier}, {key_of(r): r for r in current})
    paired = sum(1 for e in entries if e.kind in (ChangeKind.CHANGED, ChangeKind.SAME))
    if not paired:
        where = ", ".join(sources) or "the earlier results"
        raise ChangesError(f"--since {where}: no attorney in it is in these results; is it another roster's run?")
    moved = sorted((e for e in entries if e.kind is not ChangeKind.SAME), key=_order)
    return Changes(
        since=_latest(earlier),
        until=_latest(current),
        sources=list(sources),
        compared=paired,
        unchanged=sum(1 for e in entries if e.kind is ChangeKind.SAME),
        counts=_counts(entries),
        attorneys=moved,
    )
