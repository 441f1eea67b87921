"""Reports: one module per format, all from the same list of results.

    write_all(results, out_dir, meta)  ->  results.json, results.csv, report.html, junit.xml
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel, Field

from verifier.checkpoint import key_of, latest_results
from verifier.errors import UsageError
from verifier.models import Result

FORMATS = ("html", "csv", "json", "junit")
FILE_NAMES = {"json": "results.json", "csv": "results.csv", "html": "report.html", "junit": "junit.xml"}


class ReportError(UsageError):
    """Results that cannot be put in one report."""


class ReportMeta(BaseModel):
    title: str = "PACER NextGen readiness"
    generated_at: dt.datetime = Field(default_factory=lambda: dt.datetime.now(dt.UTC))
    roster: str = ""
    site: str = ""


def summary_counts(results: Sequence[Result]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for result in results:
        counts[result.status.value] = counts.get(result.status.value, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: -kv[1]))


def write_report(fmt: str, results: Sequence[Result], path: Path, meta: ReportMeta | None = None) -> Path:
    from verifier.reports import csv_report, html, json_report, junit  # one module per format

    meta = meta or ReportMeta()
    renderers = {"json": json_report.render, "csv": csv_report.render, "html": html.render, "junit": junit.render}
    if fmt not in renderers:
        raise ReportError(f"unknown report format {fmt!r}; choose one of {', '.join(FORMATS)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    content = renderers[fmt](results, meta)
    # Excel needs the BOM to read the CSV as UTF-8 (accents in names).
    path.write_text(content, encoding="utf-8-sig" if fmt == "csv" else "utf-8", newline="")
    return path


def write_all(results: Sequence[Result], out_dir: Path, meta: ReportMeta | None = None) -> dict[str, Path]:
    return {fmt: write_report(fmt, results, out_dir / FILE_NAMES[fmt], meta) for fmt in FORMATS}


def load_results(paths: Sequence[Path]) -> list[Result]:
    """Results from one or more results.jsonl files (shards): one per account, later lines winning
    within a file; the same account with different outcomes in two files is an error."""
    merged: dict[str, tuple[Result, Path]] = {}
    for path in paths:
        if not path.exists():
            raise ReportError(f"results file not found: {path}")
        for result in latest_results(path):
            key = key_of(result)
            if key in merged and merged[key][0].status is not result.status:
                other = merged[key][1]
                raise ReportError(f"{result.username or key} is {merged[key][0].status.value} in {other} but "
                                  f"{result.status.value} in {path}: overlapping shards disagree")
            merged.setdefault(key, (result, path))
    return [result for result, _ in merged.values()]
