"""`pacer-verify report`: render the reports again, later, from results.jsonl files."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from verifier.reports import FILE_NAMES, FORMATS, ReportMeta, load_results, write_report


def report_command(
    results_files: Annotated[list[Path], typer.Argument(
        help="results.jsonl file(s) written by `bulk`; several (e.g. shards) are merged into one report.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="html, csv, json, junit, or table (terminal).")] = "html",
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Where to write; '-' for standard output. [default: html next to the first "
        "input; other formats to standard output]", show_default=False)] = None,
) -> None:
    """Render a report from results.jsonl file(s) without checking anything again."""
    if fmt not in (*FORMATS, "table"):
        raise typer.BadParameter(f"{fmt!r}; choose one of {', '.join((*FORMATS, 'table'))}", param_hint="--format")
    results = load_results(results_files)
    if fmt == "table":
        from verifier.reports.terminal import render_summary

        render_summary(results, Console())
        return
    meta = ReportMeta(roster=", ".join(p.name for p in results_files))
    if output is None and fmt == "html":
        output = results_files[0].parent / FILE_NAMES["html"]
    if output is None or str(output) == "-":
        scratch = Path(sys.prefix) / ".pacer-verify-report.tmp"
        try:
            write_report(fmt, results, scratch, meta)
            sys.stdout.write(scratch.read_text(encoding="utf-8-sig"))
        finally:
            scratch.unlink(missing_ok=True)
        return
    write_report(fmt, results, output, meta)
    typer.echo(str(output))
