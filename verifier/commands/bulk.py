"""`pacer-verify bulk`: check every attorney of a roster."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from verifier import inputs, outputs, voice
from verifier.check.site import SiteMap
from verifier.check.site_guard import announce_real_site, refuse_bundled_accounts
from verifier.commands import options
from verifier.commands.common import reachable_site, site_for
from verifier.commands.secret_options import KeePassFile, KeePassKeyfile, secret_sources
from verifier.config import Settings
from verifier.errors import UsageError
from verifier.models import Account, Status
from verifier.roster import iter_roster
from verifier.run.bulk import BulkOutcome, BulkPlan, run_bulk
from verifier.run.progress import make_progress
from verifier.run.shard import Shard
from verifier.statuses import ORDER, count_statuses
from verifier.text import shell_word, shown
from verifier.voice import plural


@options.with_settings(
    *("base_url", "sign_in", "court_checks", "yes"),
    *("browser_path", "browser_channel", "connect", "cdp", "headed", "debug_playwright"),
    *("concurrency", "rate", "retries", "timeout", "account_timeout"),
    *("shared_outputs", "trace"),
)
def bulk_command(
    roster: Annotated[
        Path,
        typer.Argument(
            metavar="ROSTER",
            help="Roster CSV or JSON: name, username, password (keyring:, keepass:, env:VAR, op://...), "
            "optional otp_secret, courts, cmecf_username, cmecf_password, email. "
            "`pacer-verify roster template` writes one.",
            show_default=False,
        ),
    ],
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            "-o",
            metavar="DIR",
            help="Folder for results.jsonl (the checkpoint) and the reports.",
            rich_help_panel=options.OUTPUTS,
            parser=options.output_path,
        ),
    ] = Path("pacer-verify-out"),
    resume: Annotated[
        bool,
        typer.Option(
            "--resume",
            help="Continue the run in DIR: skip accounts already in its results.jsonl (site_error ones, and "
            "rows fixed since they were invalid_input, are checked).",
            rich_help_panel=options.OUTPUTS,
        ),
    ] = False,
    recheck: Annotated[
        list[str] | None,
        typer.Option(
            "--recheck",
            metavar="USERNAME",
            help="With --resume: check this attorney again, keeping everyone else's result (repeatable).",
            show_default=False,
            rich_help_panel=options.OUTPUTS,
        ),
    ] = None,
    recheck_status: Annotated[
        list[str] | None,
        typer.Option(
            "--recheck-status",
            metavar="STATUS",
            help="With --resume: check again every attorney whose result has this status, e.g. "
            "invalid_credentials (repeatable).",
            show_default=False,
            rich_help_panel=options.OUTPUTS,
        ),
    ] = None,
    shard: Annotated[
        str | None,
        typer.Option(
            "--shard",
            metavar="K/N",
            help="Check only slice K of N of the roster, e.g. 2/4.",
            show_default=False,
            rich_help_panel=options.POLITENESS,
        ),
    ] = None,
    since: Annotated[
        list[Path] | None,
        typer.Option(
            "--since",
            metavar="RUN",
            help="Compare with an earlier run: its results.jsonl, its folder, or 'last'.",
            show_default=False,
            rich_help_panel=options.WEEK_BY_WEEK,
        ),
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress output.", rich_help_panel=options.OUTPUTS)
    ] = False,
    flags: options.SettingsFlags = options.NONE_GIVEN,
    courts_file: options.CourtsFile = None,
    as_of: options.AsOf = None,
    json_output: options.Json = False,
    keepass: KeePassFile = None,
    keepass_keyfile: KeePassKeyfile = None,
    ignore_column: Annotated[
        list[str] | None,
        typer.Option(
            "--ignore-column",
            metavar="NAME",
            help="Check without this roster column that may hold a secret (repeatable).",
            show_default=False,
            rich_help_panel=options.ROSTER,
        ),
    ] = None,
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
    trace = flags.get("trace")
    if trace is not None and trace not in ("off", "on", "retain-on-failure"):
        raise UsageError(f"--trace {trace!r}: expected off, on or retain-on-failure")
    settings = flags.load()
    try:
        inputs.require_regular(roster, "roster", inputs.MAX_ROSTER)  # a FIFO or device: refused, not read
    except FileNotFoundError:
        raise UsageError(f"roster not found: {roster}") from None
    rechecks, statuses = _rechecks(recheck or [], recheck_status or [], resume)
    chosen = {"--shard": shard, "--keepass": keepass, "--keepass-keyfile": keepass_keyfile}
    chosen |= {"--courts": courts_file, "--base-url": flags.get("base_url"), "--as-of": as_of}
    plan = BulkPlan(
        roster=roster,
        out_dir=out,
        resume=resume,
        recheck=rechecks,
        recheck_statuses=statuses,
        again=again_command(roster, out, chosen, ignore_column or []),
        shard=Shard.parse(shard) if shard else None,
        courts_file=courts_file,
        as_of=options.as_of_date(as_of),
        since=tuple(since or ()),
        secrets=secret_sources(keepass, keepass_keyfile),
        ignore_columns=tuple(ignore_column or ()),
    )
    outcome = execute(settings, plan, quiet=quiet or json_output)
    print_outcome(outcome, plan, json_output)
    raise typer.Exit(int(outcome.exit_code))


def _rechecks(usernames: list[str], statuses: list[str], resume: bool) -> tuple[tuple[str, ...], tuple[Status, ...]]:
    """`--recheck` and `--recheck-status`, checked: real statuses, and only with --resume."""
    if (usernames or statuses) and not resume:
        which = "--recheck" if usernames else "--recheck-status"
        raise UsageError(
            f"{which} checks some attorneys of an earlier run again, keeping everyone else's result: add --resume"
        )
    return tuple(usernames), tuple(_status(text) for text in statuses)


def _status(text: str) -> Status:
    try:
        return Status(text.strip().lower())
    except ValueError:
        known = ", ".join(status.value for status in ORDER)
        raise UsageError(f"--recheck-status {text!r}: not a status; one of {known}") from None


def again_command(roster: Path, out: Path, chosen: Mapping[str, object], ignore_columns: list[str]) -> str:
    """The command that continues this run, as the person typed its paths: the options that choose the
    accounts, their secrets and the site are kept (a re-check without --keepass could not read the
    password); speed, browser and output options are left to the person."""
    words = ["pacer-verify", "bulk", str(roster), "--out", str(out), "--resume"]
    for flag, value in chosen.items():  # `chosen`: each such option as given on the command line, or None
        if value is not None:
            words += [flag, str(value)]
    for column in ignore_columns:
        words += ["--ignore-column", column]
    return " ".join(shell_word(word) for word in words)


#: The files a run writes in --out, found before the first sign-in if one is a link, a device or a FIFO.
OUTPUT_FILES = ("results.jsonl", "results.json", "results.csv", "report.html", "junit.xml", "changes.csv")


def execute(settings: Settings, plan: BulkPlan, *, quiet: bool) -> BulkOutcome:
    """Run a bulk plan with the progress display a person (or a log file) expects."""
    # Before the first sign-in: finding out at the end that nothing can be written would waste them.
    outputs.check_writable_dir(plan.out_dir)
    site = site_for(settings)  # the one SiteMap of the run, passed down to the runner
    guard_roster(settings, plan, site)
    for name in OUTPUT_FILES:
        outputs.check_output_file(plan.out_dir / name, f"--out {plan.out_dir}: {name}")
    if plan.courts_file is not None:
        with contextlib.suppress(FileNotFoundError):  # said when it is loaded, in the courts file's words
            inputs.require_regular(plan.courts_file, "--courts", inputs.MAX_COURTS)
    reachable_site(site)
    if settings.trace != "off":
        outputs.ensure_dir(plan.out_dir / "artifacts")  # the traces' folders inside a private one
        voice.warn(
            "traces hold the pages seen (names, account details); keep "
            f"{plan.out_dir}/artifacts private and delete it when done"
        )
    progress = make_progress(quiet, None, Console(stderr=True))

    async def main() -> BulkOutcome:
        with progress:
            return await run_bulk(settings, plan, events=progress, on_total=progress.set_total, site=site)

    return asyncio.run(main())


def guard_roster(settings: Settings, plan: BulkPlan, site: SiteMap) -> None:
    """Before any network use: the bundled made-up accounts never go past loopback, and a run against the
    real PACER is announced (and, at a terminal, confirmed). Reads the roster once more, without its
    warnings: the run reads it again and gives them then."""
    roster_log = logging.getLogger("verifier.roster")
    was_disabled, roster_log.disabled = roster_log.disabled, True
    try:
        accounts = (
            item
            for item in iter_roster(plan.roster, env=os.environ, quiet=True, ignore_columns=plan.ignore_columns)
            if isinstance(item, Account) and (plan.shard is None or plan.shard.includes(item))
        )
        count = refuse_bundled_accounts(accounts, site, plan.roster.name)
    finally:
        roster_log.disabled = was_disabled
    announce_real_site(site, count, yes=settings.yes)


def print_outcome(outcome: BulkOutcome, plan: BulkPlan, json_output: bool) -> None:
    summary = outcome.summary
    follow = outcome.followup
    for warning in follow.warnings if follow else []:
        voice.warn(warning)
    changes = follow.changes if follow else None
    if json_output:
        typer.echo(
            json.dumps(
                {
                    "exit_code": int(outcome.exit_code),
                    "counts": _counts(outcome),
                    "skipped": summary.skipped,
                    "stopped_reason": summary.stopped_reason,
                    **({"stopped": outcome.stopped.line} if outcome.stopped else {}),
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
    from verifier.reports.terminal import render_again, render_stopped, render_summary, unwrapped

    console = unwrapped(Console())
    render_summary(outcome.results, console, plan.as_of)
    render_again(outcome.results, plan.again, console)
    if summary.skipped:
        console.print(Text(f"{plural(summary.skipped, 'account')} skipped: already in the checkpoint (--resume)."))
    if summary.stopped_reason and outcome.stopped is None:  # stopped, yet everyone has a result
        console.print(Text(shown(summary.stopped_reason)), style="bold red")
    for name, path in outcome.reports.items():
        console.print(Text(f"{name}: {shown(str(path))}"), soft_wrap=True)  # a path is never wrapped
    if changes is not None:
        from verifier.reports.changes_terminal import print_summary_line

        print_summary_line(changes, console)
    if outcome.stopped is not None:  # last: what a person reads before the prompt comes back
        render_stopped(outcome.stopped, plan.again, console)


def _counts(outcome: BulkOutcome) -> dict[str, int]:
    counted = count_statuses(result.status for result in outcome.results)
    return {status.value: n for status, n in counted.items() if n}
