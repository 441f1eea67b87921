"""Reports: one module per format, all rendered from the same list of results.

    write_all(results, out_dir, meta)   ->  results.json, results.csv, report.html, junit.xml
                                            (and changes.csv when meta.changes is set)
    write_report(fmt, results, path)    ->  one of them
    render(fmt, results, meta)          ->  the text, e.g. for standard output
    load_results([results.jsonl, ...])  ->  results back from checkpoints (shards merged)

The terminal summary is ``verifier.reports.terminal.render_summary``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from verifier import outputs
from verifier.models import Result
from verifier.reports.common import ReportMeta, summary_counts
from verifier.store.loading import ReportError, load_results

if TYPE_CHECKING:
    from verifier.readiness.courts import CourtRegistry

__all__ = [
    "FILE_NAMES",
    "FORMATS",
    "ReportError",
    "ReportMeta",
    "load_results",
    "render",
    "summary_counts",
    "write_all",
    "write_changes_csv",
    "write_report",
]

FORMATS = ("html", "csv", "json", "junit")
FILE_NAMES = {"json": "results.json", "csv": "results.csv", "html": "report.html", "junit": "junit.xml"}

Renderer = Callable[[Sequence[Result], ReportMeta], str]


def _renderer(fmt: str, courts: CourtRegistry | None = None) -> Renderer:
    # Imported on demand: the HTML report pulls in Jinja2, which a CSV-only caller never needs.
    if fmt == "html":
        from verifier.reports.html import render as html

        return partial(html, courts=courts)
    if fmt == "csv":
        from verifier.reports.csv_report import render as csv

        return csv
    if fmt == "json":
        from verifier.reports.json_report import render as json

        return json
    if fmt == "junit":
        from verifier.reports.junit import render as junit

        return junit
    raise ReportError(f"unknown report format {fmt!r}; choose one of {', '.join(FORMATS)}")


def render(
    fmt: str, results: Sequence[Result], meta: ReportMeta | None = None, courts: CourtRegistry | None = None
) -> str:
    """The report as text (for CSV without the byte-order mark, which only a file needs). `courts` names
    the courts in the HTML report's per-court table: the registry the run used (with the user's
    `--courts` file); the bundled one when not given."""
    return _renderer(fmt, courts)(results, meta or ReportMeta())


def write_report(
    fmt: str, results: Sequence[Result], path: Path, meta: ReportMeta | None = None, courts: CourtRegistry | None = None
) -> Path:
    """Write one report: whole or not at all, private unless outputs are shared (see verifier.outputs)."""
    text = render(fmt, results, meta, courts)
    # Excel reads a CSV as the machine's legacy code page unless it starts with a UTF-8 byte-order
    # mark; with the mark, accented names (e.g. "José Núñez") open correctly.
    outputs.write_text(path, text, encoding="utf-8-sig" if fmt == "csv" else "utf-8")
    return path


def write_all(
    results: Sequence[Result], out_dir: Path, meta: ReportMeta | None = None, courts: CourtRegistry | None = None
) -> dict[str, Path]:
    """Every file format into out_dir: {"html": .../report.html, "csv": ..., "json": ..., "junit": ...},
    and "changes" (changes.csv) when the meta carries changes since an earlier run."""
    meta = meta or ReportMeta()  # one timestamp for all four files
    written = {fmt: write_report(fmt, results, out_dir / FILE_NAMES[fmt], meta=meta, courts=courts) for fmt in FORMATS}
    changes = write_changes_csv(meta, out_dir)
    if changes is not None:
        written["changes"] = changes
    return written


def write_changes_csv(meta: ReportMeta, out_dir: Path) -> Path | None:
    """changes.csv beside the other reports; an older one goes when this report has no changes, so a
    folder never shows last week's changes next to this week's results."""
    from verifier import outputs
    from verifier.reports.changes_csv import CHANGES_FILE
    from verifier.reports.changes_csv import render as render_changes

    path = out_dir / CHANGES_FILE
    if meta.changes is None:
        path.unlink(missing_ok=True)
        return None
    # utf-8-sig for Excel, as results.csv (see write_report).
    return outputs.write_text(path, render_changes(meta.changes), encoding="utf-8-sig")
