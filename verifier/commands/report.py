"""`pacer-verify report`: render the reports again, later, from results.jsonl files (shards merged)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path, PurePosixPath
from typing import Annotated

import typer
from rich.console import Console

from verifier import outputs, voice
from verifier.commands import options
from verifier.models import Result
from verifier.readiness.courts import load_courts
from verifier.reports import FILE_NAMES, FORMATS, ReportMeta, render, write_changes_csv, write_report
from verifier.reports.html_rows import is_local_link
from verifier.store import history
from verifier.store.history import RunPoint
from verifier.store.loading import Sourced, load_sourced
from verifier.system.paths import relative_path
from verifier.weekly.changes import Changes
from verifier.weekly.followup import changes_since

CHOICES = (*FORMATS, "table")


@options.with_settings("shared_outputs")
def report_command(
    results_files: Annotated[
        list[Path],
        typer.Argument(
            metavar="RESULTS",
            help="results.jsonl file(s) written by `bulk` (or their folders); shards are merged.",
            show_default=False,
        ),
    ],
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="html, csv, json, junit, or table (a summary on the terminal).",
            rich_help_panel=options.OUTPUTS,
        ),
    ] = "html",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="File (or folder) to write; '-' for standard output.",
            show_default="html: report.html beside the input; others: standard output",
            rich_help_panel=options.OUTPUTS,
            parser=options.output_path,
        ),
    ] = None,
    courts_file: options.CourtsFile = None,
    as_of: options.AsOf = None,
    since: Annotated[
        list[Path] | None,
        typer.Option(
            "--since",
            metavar="RUN",
            help="Compare with an earlier run: its results.jsonl or folder (repeat for shards).",
            show_default=False,
            rich_help_panel=options.WEEK_BY_WEEK,
        ),
    ] = None,
    flags: options.SettingsFlags = options.NONE_GIVEN,
    prefer: options.Prefer = None,
) -> None:
    """Render a report from results.jsonl file(s) without checking anything again.

    With --as-of, deadlines read for that day ("by" a date, or "overdue since" it); the checklist itself is
    the one recorded by the run. --courts names the courts in the per-court table from your file.
    With --since, the report also shows who moved since that earlier run; the HTML report of a `bulk`
    folder charts readiness over the runs kept in its history/.
    """
    flags.load()  # the output modes (and a bad setting is a usage error)
    day = options.as_of_date(as_of)
    courts = load_courts(courts_file) if courts_file is not None else None
    fmt = fmt.strip().lower()
    if fmt not in CHOICES:
        raise typer.BadParameter(
            f"{fmt!r} is not a format; choose one of: {', '.join(CHOICES)}", param_hint="'--format' / '-f'"
        )
    if fmt == "table" and output is not None and str(output) != "-":
        raise typer.BadParameter(
            "the table prints to the terminal; use -f csv, json, junit or html for a file",
            param_hint="'--output' / '-o'",
        )
    output = _stream_or_file(output, fmt)
    sourced = load_sourced(results_files, options.prefer_choice(prefer))
    changes = _changes(since or [], [item.result for item in sourced])
    if fmt == "table":
        from verifier.reports.changes_terminal import render_changes
        from verifier.reports.terminal import render_summary, unwrapped

        console = unwrapped(Console())
        render_summary([item.result for item in sourced], console, day)
        if changes is not None:
            render_changes(changes, console)
        return
    runs = history.points_near(results_files[0]) if fmt in ("html", "json") else []
    meta = _meta(results_files, as_of=day, changes=changes, runs=runs)
    if output is None and fmt == "html":
        first = results_files[0]
        output = (first if first.is_dir() else first.parent) / FILE_NAMES["html"]
    if output is None or str(output) == "-":
        # Artifact paths stay as recorded: relative to the folder of the results file.
        text = render(fmt, [item.result for item in sourced], meta, courts)
        sys.stdout.write(text)
        sys.stdout.flush()
        if changes is not None:  # standard output carries the report: the summary goes beside it
            _summary_line(changes, Console(stderr=True))
            if fmt == "csv":
                Console(stderr=True).print("(the per-attorney changes go to a changes.csv: use -o FILE)")
        return
    if output.is_dir():
        output = output / FILE_NAMES[fmt]
    results = [_rebased(item, output.parent) for item in sourced]
    write_report(fmt, results, output, meta=meta, courts=courts)
    typer.echo(str(output))
    if changes is not None:
        if fmt == "csv":
            beside = write_changes_csv(meta, output.parent)
            typer.echo(str(beside))
        _summary_line(changes, Console())


def _stream_or_file(output: Path | None, fmt: str) -> Path | None:
    """`-o` as given, or `-` when it names standard output (/dev/stdout); refused (exit 2, before
    anything is read) when it is another device, a FIFO or a link: a report is renamed into place,
    which would replace the device or the link."""
    if output is None or str(output) == "-":
        return output
    if outputs.is_standard_output(output):
        return Path("-")
    target = output / FILE_NAMES[fmt] if output.is_dir() and not output.is_symlink() else output
    outputs.check_output_file(target, f"--output {target}", " (use -o - for standard output)")
    return output


def _changes(since: list[Path], results: list[Result]) -> Changes | None:
    """The changes since the earlier run; a problem with it is a warning, and the report goes on."""
    if not since:
        return None
    changes, problem = changes_since(since, results)
    if problem:
        voice.warn(problem)
    return changes


def _summary_line(changes: Changes, console: Console) -> None:
    from verifier.reports.changes_terminal import print_summary_line

    print_summary_line(changes, console)


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
        target = run_dir.resolve() / artifact
        relative = relative_path(str(target), str(report_dir.resolve()))
        # No way between two drives (Windows): the file's own path, shown but not linked (reports/html.py).
        artifacts.append(Path(relative).as_posix() if relative is not None else target.as_posix())
    return item.result.model_copy(update={"artifacts": artifacts})


def _meta(
    results_files: list[Path], *, as_of: dt.date | None, changes: Changes | None, runs: list[RunPoint]
) -> ReportMeta:
    """The original run's title, roster and site, when its results.json is beside the first input; the
    day, the changes and the run history as this report has them."""
    first = results_files[0]
    beside = (first if first.is_dir() else first.parent) / FILE_NAMES["json"]
    labels: dict[str, str] = {}
    try:
        previous = json.loads(beside.read_text(encoding="utf-8")).get("meta", {})
        labels = {k: previous[k] for k in ("title", "roster", "site") if isinstance(previous.get(k), str)}
    except (OSError, ValueError, AttributeError):
        pass  # no earlier report: the defaults will do
    return ReportMeta(**labels, sources=[p.name for p in results_files], as_of=as_of, changes=changes, history=runs)
