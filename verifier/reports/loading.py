"""Read results back from ``results.jsonl`` checkpoints, one file or several shards merged."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from verifier.checkpoint import RESULTS_FILE, key_of
from verifier.errors import UsageError
from verifier.models import Result, Status

log = logging.getLogger(__name__)


class ReportError(UsageError):
    """Results that cannot be read, or cannot be put in one report."""


@dataclass(frozen=True)
class Sourced:
    """A result and the file it came from: artifact paths in it are relative to that file's folder."""

    result: Result
    path: Path


def load_results(paths: Sequence[Path]) -> list[Result]:
    """One result per account from one or more ``results.jsonl`` files.

    Within a file a later line replaces an earlier one (a resumed run re-checks what failed). Across
    files (shards of one roster) an account must not have two different outcomes: that means two runs
    were mixed up, and the report would silently pick one, so it is an error naming both files.
    """
    return [item.result for item in load_sourced(paths)]


def load_sourced(paths: Sequence[Path]) -> list[Sourced]:
    if not paths:
        raise ReportError("no results file given")
    merged: dict[str, Sourced] = {}
    for path in _unique(paths):
        for key, result in _read_file(path).items():
            seen = merged.get(key)
            if seen is None:
                merged[key] = Sourced(result, path)
            elif seen.result.status is not result.status:
                who = result.username or result.name or key
                raise ReportError(
                    f"{who} is {seen.result.status.value} in {seen.path} but {result.status.value} in {path}; "
                    "these files overlap and disagree: pass the shards of one run only")
            elif result.checked_at > seen.result.checked_at:
                merged[key] = Sourced(result, path)  # same outcome twice: keep the newer check
    return list(merged.values())


def _unique(paths: Sequence[Path]) -> list[Path]:
    """The files to read: a run folder means its results.jsonl; the same file twice is read once."""
    seen: set[Path] = set()
    files = []
    for path in paths:
        file = path / RESULTS_FILE if path.is_dir() else path
        if not file.is_file():
            raise ReportError(f"results file not found: {file}")
        if file.resolve() not in seen:
            seen.add(file.resolve())
            files.append(file)
    return files


def _read_file(path: Path) -> dict[str, Result]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ReportError(f"{path}: cannot read it as a results file ({exc})") from None
    latest: dict[str, Result] = {}
    bad: list[int] = []
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            result = Result.model_validate_json(line)
        except (ValidationError, json.JSONDecodeError):
            bad.append(number)
            continue
        if result.status is not Status.INVALID_INPUT and result.row is not None:
            # The row was unreadable earlier, then fixed and checked on resume: the old "row:N" entry
            # goes (the rule of checkpoint.latest_results, which `bulk` uses for its own reports).
            latest.pop(f"row:{result.row}", None)
        key = key_of(result)
        latest.pop(key, None)  # re-insert so the file's order follows the latest line
        latest[key] = result
    if bad and not latest:
        return _read_report_json(path, text)
    last = max((n for n, line in enumerate(lines, start=1) if line.strip()), default=0)
    for number in bad:
        if number == last:
            log.warning("%s: the last line is incomplete (the run was probably stopped while writing it); "
                        "ignored", path)
        else:
            # A resumed run appends after a torn line, so a bad line can sit mid-file too.
            log.warning("%s: line %d is not a complete result; ignored", path, number)
    return latest


def _read_report_json(path: Path, text: str) -> dict[str, Result]:
    """A results.json report passed by mistake (or on purpose) is read too; anything else is an error."""
    try:
        data = json.loads(text)
        items = data["results"] if isinstance(data, dict) else None
        results = [Result.model_validate(item) for item in items] if isinstance(items, list) else None
    except (json.JSONDecodeError, ValidationError, KeyError):
        results = None
    if results is None:
        raise ReportError(f"{path}: no results in it; expected the {RESULTS_FILE} that `pacer-verify bulk` writes")
    return {key_of(r): r for r in results}
