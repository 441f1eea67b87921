"""Read results back from ``results.jsonl`` checkpoints, one file or several shards merged."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from verifier import inputs
from verifier.errors import ReportError as ReportError
from verifier.models import Result
from verifier.store.checkpoint import RESULTS_FILE, iter_checkpoint, keep, key_of


@dataclass(frozen=True)
class Sourced:
    """A result and the file it came from: artifact paths in it are relative to that file's folder."""

    result: Result
    path: Path


#: `--prefer`'s choices: which of two disagreeing results to keep.
PREFER = ("newer",)


def load_results(paths: Sequence[Path], prefer: str | None = None) -> list[Result]:
    """One result per account from one or more ``results.jsonl`` files.

    Within a file a later line replaces an earlier one (a resumed run re-checks what failed). Across
    files (shards of one roster) an account must not have two different outcomes: that means two runs
    were mixed up, and the report would silently pick one, so it is an error naming both files, unless
    `prefer` says which to keep ("newer": the later check, e.g. an attorney checked again elsewhere).
    """
    return [item.result for item in load_sourced(paths, prefer)]


def load_sourced(paths: Sequence[Path], prefer: str | None = None) -> list[Sourced]:
    if not paths:
        raise ReportError("no results file given")
    merged: dict[str, Sourced] = {}
    for path in _unique(paths):
        for key, result in _read_file(path).items():
            seen = merged.get(key)
            if seen is None:
                merged[key] = Sourced(result, path)
            elif seen.result.status is not result.status and prefer is None:
                raise ReportError(_disagree(key, seen, Sourced(result, path)))
            elif result.checked_at > seen.result.checked_at:
                merged[key] = Sourced(result, path)  # the newer check (same outcome, or --prefer newer)
    return list(merged.values())


def _disagree(key: str, first: Sourced, second: Sourced) -> str:
    """Two files with two outcomes for one attorney: which is which, and the two ways out."""
    older, newer = sorted((first, second), key=lambda item: item.result.checked_at)
    who = newer.result.username or newer.result.name or key

    def said(item: Sourced) -> str:
        when = item.result.checked_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        return f"{item.result.status.value} in {item.path} (checked {when})"

    return (
        f"{who} is {said(older)} but {said(newer)}; these files overlap and disagree: to keep the newer check, "
        "pass --prefer newer (to check one attorney again within a run, use bulk --resume --recheck USERNAME "
        "in the run's own folder); otherwise pass the shards of one run only"
    )


def _unique(paths: Sequence[Path]) -> list[Path]:
    """The files to read: a run folder means its results.jsonl; the same file twice is read once."""
    seen: set[Path] = set()
    files = []
    for path in paths:
        file = path / RESULTS_FILE if path.is_dir() else path
        try:
            inputs.require_regular(file, "results file", inputs.MAX_RESULTS)
        except FileNotFoundError:
            raise ReportError(f"results file not found: {file}") from None
        if file.resolve() not in seen:
            seen.add(file.resolve())
            files.append(file)
    return files


def _read_file(path: Path) -> dict[str, Result]:
    """One result per key; lines are read by ``checkpoint.iter_checkpoint``, which skips (and logs) a torn
    line: the last one when a run was killed mid-write, or one mid-file when that run was resumed."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ReportError(f"{path}: cannot read it as a results file ({exc})") from None
    report = _read_report_json(text)
    if report is not None:
        return report
    if text.strip() and not text.lstrip().startswith("{"):
        raise ReportError(f"{path}: no results in it; expected the {RESULTS_FILE} that `pacer-verify bulk` writes")
    latest: dict[str, Result] = {}
    try:
        for result in iter_checkpoint(path):
            # bulk's own rule (checkpoint.keep): the latest line wins, except that serve's failed sign-in
            # does not replace a reading; a row unreadable earlier, then fixed, loses its "row:N" entry.
            keep(latest, result)
    except (OSError, UnicodeDecodeError) as exc:
        raise ReportError(f"{path}: cannot read it as a results file ({exc})") from None
    if text.strip() and not latest:
        raise ReportError(f"{path}: no results in it; expected the {RESULTS_FILE} that `pacer-verify bulk` writes")
    return latest


def _read_report_json(text: str) -> dict[str, Result] | None:
    """A results.json report passed by mistake (or on purpose) reads back too; None when it is not one.

    A results.jsonl of several lines is not one JSON document, and a single result has no "results" key."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return None
    items = data.get("results") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return None
    try:
        results = [Result.model_validate(item) for item in items]
    except ValidationError:
        return None
    return {key_of(r): r for r in results}
