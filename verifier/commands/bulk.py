"""`pacer-verify bulk`: check every attorney of a roster."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from verifier import outputs
from verifier.bulk import BulkOutcome, BulkPlan, run_bulk
from verifier.commands import options
from verifier.commands.common import reachable_site
from verifier.config import Settings, load_settings
from verifier.errors import UsageError
from verifier.progress import make_progress
from verifier.shard import Shard
from verifier.statuses import count_statuses
from verifier.text import shown


def bulk_command(
    roster: Annotated[
        Path,
        typer.Argument(
            help="Roster CSV or JSON: name, username, password (or env:VAR), "
            "optional otp_secret, courts, cmecf_username, cmecf_password."
        ),
    ],
    out: Annotated[
        Path,
        typer.Option("--out", "-o", help="Folder for results.jsonl (the checkpoint), reports and failure screenshots."),
    ] = Path("pacer-verify-out"),
    resume: Annotated[
        bool,
        typer.Option(
            "--resume",
            help="Skip accounts already in OUT/results.jsonl, except "
            "those whose latest result is site_error: those are checked again.",
        ),
    ] = False,
    concurrency: Annotated[
        int | None,
        typer.Option(
            "--concurrency",
            "-c",
            min=1,
            max=64,
            help="Accounts checked at once. [default: 2 per core, at most 8]",
            show_default=False,
        ),
    ] = None,
    rate: Annotated[
        float | None,
        typer.Option(
            "--rate",
            min=0,
            help="Most sign-ins per minute (0 = no limit, for the mock only). [default: 30]",
            show_default=False,
        ),
    ] = None,
    retries: Annotated[
        int | None,
        typer.Option(
            "--retries",
            min=0,
            max=10,
            help="Retries for transient faults (never for a rejected login). [default: 2]",
            show_default=False,
        ),
    ] = None,
    shard: Annotated[
        str | None,
        typer.Option(
            "--shard", help="Run only slice K of N of the roster, e.g. 2/4 (for several machines).", show_default=False
        ),
    ] = None,
    since: Annotated[
        list[Path] | None,
        typer.Option(
            "--since",
            help="An earlier run to compare with at the end: its results.jsonl or folder (e.g. "
            "OUT/history/2026-11-24T0930Z), or 'last' for the latest earlier run kept in OUT/history. Adds a "
            "Changes section to every report (and changes.csv) and prints a one-line summary.",
            show_default=False,
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress output.")] = False,
    shared_outputs: options.SharedOutputs = None,
    base_url: options.BaseUrl = None,
    browser_path: options.BrowserPath = None,
    connect: options.Connect = None,
    cdp: options.Cdp = None,
    headed: options.Headed = None,
    timeout: options.Timeout = None,
    trace: options.Trace = None,
    debug_playwright: options.DebugPlaywright = False,
    sign_in: options.SignIn = None,
    courts_file: options.CourtsFile = None,
    court_checks: options.CheckCourts = None,
    as_of: options.AsOf = None,
    json_output: options.Json = False,
) -> None:
    """Check every attorney in ROSTER and write results and reports to --out.

    results.jsonl is written as accounts finish (flushed to disk), so an interrupted run loses
    nothing: run again with --resume (it also checks again the accounts that ended in site_error).
    Each run is also kept under OUT/history/<start time>/ (--resume continues the same entry), and
    report.html charts readiness over those runs. Ctrl-C finishes the accounts in progress and writes
    the reports; a second Ctrl-C abandons them.

    Exit code: 0 all ready, 1 some need action, 2 bad roster or usage, 3 run incomplete,
    130/143 interrupted.
    """
    if trace is not None and trace not in ("off", "on", "retain-on-failure"):
        raise UsageError(f"--trace {trace!r}: expected off, on or retain-on-failure")
    settings = load_settings(
        base_url=base_url,
        browser_path=browser_path,
        connect=connect,
        cdp=cdp,
        headed=headed,
        timeout_s=timeout,
        concurrency=concurrency,
        rate_per_minute=rate,
        retries=retries,
        trace=trace,
        check_courts=court_checks,
        shared_outputs=shared_outputs,
        sign_in=sign_in,
        debug_playwright=debug_playwright or None,  # not given: the environment decides
    )
    if not roster.is_file():
        raise UsageError(f"roster not found: {roster}")
    plan = BulkPlan(
        roster=roster,
        out_dir=out,
        resume=resume,
        shard=Shard.parse(shard) if shard else None,
        courts_file=courts_file,
        as_of=options.as_of_date(as_of),
        since=tuple(since or ()),
    )
    outcome = execute(settings, plan, quiet=quiet or json_output)
    print_outcome(outcome, plan, json_output)
    raise typer.Exit(int(outcome.exit_code))


def execute(settings: Settings, plan: BulkPlan, *, quiet: bool) -> BulkOutcome:
    """Run a bulk plan with the progress display a person (or a log file) expects."""
    # Before the first sign-in: finding out at the end that nothing can be written would waste them.
    outputs.check_writable_dir(plan.out_dir)
    reachable_site(settings)
    if settings.trace != "off":
        outputs.ensure_dir(plan.out_dir / "artifacts")  # the traces' folders inside a private one
        Console(stderr=True).print(
            "[yellow]warning:[/] traces hold the pages seen (names, account details); keep "
            f"{plan.out_dir}/artifacts private and delete it when done."
        )
    progress = make_progress(quiet, None, Console(stderr=True))

    async def main() -> BulkOutcome:
        with progress:
            return await run_bulk(settings, plan, events=progress, on_total=progress.set_total)

    return asyncio.run(main())


def print_outcome(outcome: BulkOutcome, plan: BulkPlan, json_output: bool) -> None:
    summary = outcome.summary
    follow = outcome.followup
    for warning in follow.warnings if follow else []:
        typer.secho(f"pacer-verify: warning: {warning}", err=True, fg=typer.colors.YELLOW)
    changes = follow.changes if follow else None
    if json_output:
        typer.echo(
            json.dumps(
                {
                    "exit_code": int(outcome.exit_code),
                    "counts": _counts(outcome),
                    "skipped": summary.skipped,
                    "stopped_reason": summary.stopped_reason,
                    "reports": {k: str(v) for k, v in outcome.reports.items()},
                    "results": [r.model_dump(mode="json") for r in outcome.results],
                    **(
                        {"changes": {"summary_line": changes.summary_line(), **changes.model_dump(mode="json")}}
                        if changes
                        else {}
                    ),
                },
                indent=2,
            )
        )
        return
    from verifier.reports.terminal import render_summary

    console = Console()
    render_summary(outcome.results, console, plan.as_of)
    if summary.skipped:
        console.print(f"{summary.skipped} account(s) skipped: already in the checkpoint (--resume).")
    if summary.stopped_reason:
        console.print(f"[bold red]{summary.stopped_reason}[/]")
    for name, path in outcome.reports.items():
        console.print(Text(f"{name}: {shown(str(path))}"))
    if changes is not None:
        from verifier.reports.changes_terminal import print_summary_line

        print_summary_line(changes, console)


def _counts(outcome: BulkOutcome) -> dict[str, int]:
    counted = count_statuses(result.status for result in outcome.results)
    return {status.value: n for status, n in counted.items() if n}
