"""A run folder's history: each `bulk` run's results kept under OUT/history/<when>/results.jsonl.

A fresh run starts a new entry, named by its start time in UTC (2026-12-01T0930Z; a second run in the
same minute gets -2); `--resume` continues the entry of the run it resumes, named in OUT/.current-run.
Entries are never overwritten by another run, so the HTML report can chart readiness over the runs.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel, Field

from verifier import outputs
from verifier.errors import UsageError
from verifier.models import Result
from verifier.statuses import NOT_CHECKED
from verifier.store.checkpoint import RESULTS_FILE
from verifier.store.loading import ReportError, load_results

log = logging.getLogger(__name__)


class RunPoint(BaseModel):
    """One run of the history: how many attorneys were ready, had something to do, or were not checked."""

    label: str = Field(description="the run's folder name, e.g. 2026-12-01T0930Z")
    at: dt.datetime
    ready: int = 0
    todo: int = 0
    not_checked: int = 0

    @property
    def total(self) -> int:
        return self.ready + self.todo + self.not_checked


def run_point(label: str, results: Sequence[Result]) -> RunPoint:
    """A run's readiness: not checked when nothing was learned, ready when nothing is left, else to do."""
    not_checked = sum(1 for r in results if r.status in NOT_CHECKED)
    ready = sum(1 for r in results if not r.needs_action)
    at = max((r.checked_at for r in results), default=dt.datetime.now(dt.UTC))
    return RunPoint(
        label=label,
        at=at if at.tzinfo else at.replace(tzinfo=dt.UTC),
        ready=ready,
        todo=len(results) - ready - not_checked,
        not_checked=not_checked,
    )


HISTORY_DIR = "history"
CURRENT_FILE = ".current-run"
STAMP = "%Y-%m-%dT%H%MZ"
#: The chart shows the latest runs only: a weekly run for a quarter fits.
CHART_RUNS = 12
_ENTRY_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{4}Z(-\d+)?$")


def history_root(out_dir: Path) -> Path:
    return out_dir / HISTORY_DIR


def current_entry(out_dir: Path) -> Path | None:
    """The entry of the run last started in out_dir, if it still exists."""
    try:
        name = (out_dir / CURRENT_FILE).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    except UnicodeDecodeError:
        log.warning("%s is not UTF-8 text; a new history entry is started", out_dir / CURRENT_FILE)
        return None
    entry = history_root(out_dir) / name
    return entry if _ENTRY_NAME.match(name) and entry.is_dir() else None


def begin_entry(out_dir: Path, *, resume: bool, now: dt.datetime | None = None) -> Path:
    """The history entry this run writes to: the resumed run's, or a new one (never an existing one)."""
    root = history_root(out_dir)
    if root.is_symlink() or (root.exists() and not root.is_dir()):
        # Written through, a link would put this run's results wherever it points (another run's folder).
        raise UsageError(f"{root}: is a link or a file, not a folder; move it away, or choose another --out")
    if resume:
        entry = current_entry(out_dir)
        if entry is not None and not entry.is_symlink():
            return entry
    outputs.ensure_dir(root)
    base = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).strftime(STAMP)
    name, number = base, 2
    while True:
        try:
            (root / name).mkdir(mode=0o700)
            break
        except FileExistsError:
            name, number = f"{base}-{number}", number + 1
    outputs.write_text(out_dir / CURRENT_FILE, name + "\n")
    return root / name


def save_entry(entry: Path, checkpoint: Path) -> Path | None:
    """Copy the run's checkpoint into its entry (whole, 0600). Nothing to copy: nothing written."""
    if not checkpoint.is_file():
        return None
    return outputs.copy_file(checkpoint, entry / RESULTS_FILE)


def entries(root: Path) -> list[Path]:
    """The entries holding results, oldest first (the names sort by time)."""
    if not root.is_dir():
        return []
    found = [p for p in root.iterdir() if p.is_dir() and _ENTRY_NAME.match(p.name) and (p / RESULTS_FILE).is_file()]
    return sorted(found, key=lambda p: (p.name[:16], int(p.name[17:] or 1)))


def points_near(path: Path) -> list[RunPoint]:
    """The chart of the history a results file belongs to; for an entry's own file, up to that run."""
    folder = path if path.is_dir() else path.parent
    root = root_near(path)
    return points(root, until=folder.name if root == folder.parent else None)


def root_near(path: Path) -> Path | None:
    """The history a results file belongs to: its folder's history/, or the history/ it sits in."""
    folder = path if path.is_dir() else path.parent
    if (folder / HISTORY_DIR).is_dir():
        return folder / HISTORY_DIR
    if folder.parent.name == HISTORY_DIR and _ENTRY_NAME.match(folder.name):
        return folder.parent
    return None


def points(root: Path | None, limit: int = CHART_RUNS, *, until: str | None = None) -> list[RunPoint]:
    """Readiness per run, the latest `limit` runs (up to the entry named `until`, when given); an entry that
    cannot be read is left out (and logged)."""
    if root is None:
        return []
    found = []
    kept = entries(root)
    if until is not None and any(e.name == until for e in kept):
        kept = kept[: [e.name for e in kept].index(until) + 1]
    for entry in kept[-limit:]:
        try:
            found.append(run_point(entry.name, load_results([entry])))
        except ReportError as exc:
            log.warning("history entry %s left out of the chart: %s", entry.name, exc)
    return found
