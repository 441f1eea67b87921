"""Week-by-week follow-up for `bulk` and `report`: the earlier run for --since, and the run history.

Thin glue over ``verifier.weekly.changes`` (the comparison) and ``verifier.store.history`` (the folders). A problem
with the earlier run is a warning, never a lost report: the report is written without its Changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from verifier.models import Result
from verifier.store import history
from verifier.store.history import RunPoint
from verifier.store.loading import ReportError, load_results
from verifier.weekly.changes import Changes, ChangesError, compare

#: `bulk --since last`: the latest earlier run in the output folder's history.
LAST = "last"
NO_SECTION = "; the report is written without the Changes section"


def source_label(path: Path) -> str:
    """A results file named so a reader can tell runs apart: its folder (a history entry's date) too."""
    if path.is_dir():
        return path.name or str(path)
    return f"{path.parent.name}/{path.name}" if path.parent.name else path.name


def load_earlier(paths: Sequence[Path]) -> tuple[list[Result], list[str]]:
    """The earlier run's results (shards merged as `report` merges them)."""
    try:
        results = load_results(paths)
    except ReportError as exc:
        raise ChangesError(f"--since: {exc}") from None
    return results, [source_label(p) for p in paths]


def changes_since(paths: Sequence[Path], current: Sequence[Result]) -> tuple[Changes | None, str | None]:
    """(changes, None), or (None, why not) when the earlier run cannot be read or compared."""
    try:
        earlier, sources = load_earlier(paths)
        return compare(earlier, current, sources), None
    except ChangesError as exc:
        return None, str(exc) + NO_SECTION


@dataclass
class FollowUp:
    """What a `bulk` run keeps for the follow-up: its history entry and the earlier run to compare with."""

    entry: Path
    earlier: list[Result] | None = None
    sources: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    changes: Changes | None = None


def _resolve(out_dir: Path, since: Sequence[Path], current: Path | None) -> list[Path]:
    if [str(p) for p in since] != [LAST] or Path(LAST).exists():
        return list(since)
    earlier = [e for e in history.entries(history.history_root(out_dir)) if e != current]
    if not earlier:
        raise ChangesError(f"--since last: no earlier run in {history.history_root(out_dir)}")
    return [earlier[-1]]


def begin(out_dir: Path, *, resume: bool, since: Sequence[Path] = ()) -> FollowUp:
    """Before the run: read the earlier results (the checkpoint may be the one --since names) and pick
    the history entry."""
    earlier: list[Result] | None = None
    sources: list[str] = []
    warnings: list[str] = []
    try:
        paths = _resolve(out_dir, since, history.current_entry(out_dir) if resume else None)
        if paths:
            earlier, sources = load_earlier(paths)
    except ChangesError as exc:
        warnings.append(str(exc) + NO_SECTION)
    return FollowUp(history.begin_entry(out_dir, resume=resume), earlier, sources, warnings)


def finish(follow: FollowUp, checkpoint: Path, results: Sequence[Result]) -> list[RunPoint]:
    """After the run, before the reports: keep the run in the history, compare it with the earlier one
    (`follow.changes`), and return the history's points, for the report's meta to be made with both."""
    history.save_entry(follow.entry, checkpoint)
    if follow.earlier is not None:
        try:
            follow.changes = compare(follow.earlier, results, follow.sources)
        except ChangesError as exc:
            follow.warnings.append(str(exc) + NO_SECTION)
    return history.points(follow.entry.parent)
