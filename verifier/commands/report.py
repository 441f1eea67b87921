"""`pacer-verify report`: render the reports again, later, from results.jsonl files (shards merged)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path, PurePosixPath
from typing import Annotated

import typer
from rich.console import Console

from verifier.commands import options
from verifier.config import load_settings
from verifier.models import Result
from verifier.reports import FILE_NAMES, FORMATS, ReportMeta, render, write_report
from verifier.reports.html import is_local_link
from verifier.reports.loading import Sourced, load_sourced

CHOICES = (*FORMATS, "table")


def report_command(
    results_files: Annotated[list[Path], typer.Argument(
        help="results.jsonl file(s) written by `bulk` (or their folders); several, e.g. shards, are merged "
        "into one report.", show_default=False)],
    fmt: Annotated[str, typer.Option(
        "--format", "-f", help="html, csv, json, junit, or table (a summary on the terminal).")] = "html",
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="File (or folder) to write; '-' for standard output. By default, html writes "
        "report.html next to the first input and the other formats print to standard output.",
        show_default=False)] = None,
    shared_outputs: options.SharedOutputs = None,
) -> None:
    """Render a report from results.jsonl file(s) without checking anything again."""
    load_settings(shared_outputs=shared_outputs)  # the output modes (and a bad setting is a usage error)
    fmt = fmt.strip().lower()
    if fmt not in CHOICES:
        raise typer.BadParameter(f"{fmt!r} is not a format; choose one of: {', '.join(CHOICES)}",
                                 param_hint="'--format' / '-f'")
    if fmt == "table" and output is not None and str(output) != "-":
        raise typer.BadParameter("the table prints to the terminal; use -f csv, json, junit or html for a file",
                                 param_hint="'--output' / '-o'")
    sourced = load_sourced(results_files)
    if fmt == "table":
        from verifier.reports.terminal import render_summary

        render_summary([item.result for item in sourced], Console())
        return
    meta = _meta(results_files)
    if output is None and fmt == "html":
        first = results_files[0]
        output = (first if first.is_dir() else first.parent) / FILE_NAMES["html"]
    if output is None or str(output) == "-":
        # Artifact paths stay as recorded: relative to the folder of the results file.
        text = render(fmt, [item.result for item in sourced], meta)
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    if output.is_dir():
        output = output / FILE_NAMES[fmt]
    results = [_rebased(item, output.parent) for item in sourced]
    write_report(fmt, results, output, meta=meta)
    typer.echo(str(output))


def _rebased(item: Sourced, report_dir: Path) -> Result:
    """Artifact paths are relative to the run's folder; make them relative to the report's, so links work."""
    run_dir = item.path.parent
    if not item.result.artifacts or run_dir.resolve() == report_dir.resolve():
        return item.result
    artifacts = []
    for artifact in item.result.artifacts:
        if not is_local_link(artifact) or PurePosixPath(artifact).is_absolute():
            artifacts.append(artifact)
            continue
        relative = os.path.relpath(run_dir.resolve() / artifact, report_dir.resolve())
        artifacts.append(Path(relative).as_posix())
    return item.result.model_copy(update={"artifacts": artifacts})


def _meta(results_files: list[Path]) -> ReportMeta:
    """The original run's title, roster and site, when its results.json is beside the first input."""
    first = results_files[0]
    beside = (first if first.is_dir() else first.parent) / FILE_NAMES["json"]
    labels: dict[str, str] = {}
    try:
        previous = json.loads(beside.read_text(encoding="utf-8")).get("meta", {})
        labels = {k: previous[k] for k in ("title", "roster", "site") if isinstance(previous.get(k), str)}
    except (OSError, ValueError, AttributeError):
        pass  # no earlier report: the defaults will do
    return ReportMeta(**labels, sources=[p.name for p in results_files])
