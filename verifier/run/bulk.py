"""`pacer-verify bulk`: a roster in, results.jsonl and the reports out. Thin over the runner."""

from __future__ import annotations

import asyncio
import datetime as dt
import filecmp
import os
import signal
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from playwright.async_api import Browser

from verifier.check.site import SiteMap
from verifier.config import Settings
from verifier.errors import ExitCode, UsageError
from verifier.models import Account, Result, Status
from verifier.readiness import Where, finalizer, roster_findings
from verifier.readiness.courts import CourtRegistry, load_courts
from verifier.roster import RowError, iter_roster
from verifier.roster.secret_refs import SecretSources
from verifier.run.runner import RunEvents, Runner, RunSummary
from verifier.run.shard import Shard
from verifier.store import run_lock
from verifier.store.checkpoint import RESULTS_FILE, account_key, done_keys, key_of, latest_results, row_key
from verifier.store.history import current_entry
from verifier.system import signals
from verifier.weekly.followup import FollowUp
from verifier.weekly.followup import begin as begin_followup
from verifier.weekly.followup import finish as finish_followup

if TYPE_CHECKING:
    from verifier.reports.common import StoppedRun

# How long in-flight accounts may finish after SIGTERM before they are abandoned (not recorded).
TERM_GRACE_S = 10.0


@dataclass
class BulkPlan:
    """What `run_bulk` does: the `pacer-verify bulk` job, field by field its options."""

    roster: Path
    """The roster, CSV or JSON."""
    out_dir: Path
    """The `--out` folder: results.jsonl (the checkpoint), the reports, history/."""
    resume: bool = False
    """`--resume`: skip the accounts already in the checkpoint (site_error ones are checked again)."""
    shard: Shard | None = None
    """`--shard K/N`: only this slice of the roster (`Shard.parse("2/4")`)."""
    courts_file: Path | None = None
    """`--courts`: a courts file adding to or overriding the bundled registry."""
    as_of: dt.date | None = None
    """The day the checklist is for (`--as-of`); today when None."""
    courts: CourtRegistry | None = None
    """A registry to use instead of loading one (the demo adds the mock's own courts)."""
    since: tuple[Path, ...] = ()
    """`--since`: earlier runs' results.jsonl files or folders to compare with (see verifier.weekly.followup)."""
    secrets: SecretSources | None = None
    """Where the roster's references are resolved (a KeePass database opened once); None: environment,
    system keyring and 1Password only."""
    ignore_columns: tuple[str, ...] = ()
    """Roster columns that may hold a secret, to read without (`--ignore-column`)."""
    recheck: tuple[str, ...] = ()
    """`--recheck USERNAME`: check these attorneys again although the checkpoint has them (implies resume)."""
    recheck_statuses: tuple[Status, ...] = ()
    """`--recheck-status STATUS`: check again every attorney whose latest result has one of these."""
    again: str = ""
    """The command that resumes this run, as typed (see `readiness.Where`); named in next steps."""

    def __post_init__(self) -> None:
        if self.recheck or self.recheck_statuses:
            self.resume = True  # checking some again keeps everyone else's result: the same run, resumed


@dataclass
class BulkOutcome:
    """What `run_bulk` returns."""

    summary: RunSummary
    """The run: accounts skipped (--resume), why it stopped early (if it did), the counts."""
    results: list[Result]
    """A result per attorney of the roster (this shard's), as the reports show them."""
    reports: dict[str, Path]
    """Format (json, csv, html, junit, ...) → the file written."""
    exit_code: ExitCode
    """As the command exits: 0 all ready, 1 some need action, 3 incomplete, ..."""
    followup: FollowUp | None = None
    """The Changes since an earlier run and the history entry, when asked for."""
    stopped: StoppedRun | None = None
    """Set when the run stopped before every attorney of the roster had a result: how many, and who not."""


def read_items(plan: BulkPlan, courts: CourtRegistry) -> deque[Account | RowError]:
    """The roster (this shard's rows), read and decoded once per run; row warnings are logged once."""
    return deque(
        item
        for item in iter_roster(
            plan.roster,
            env=os.environ,
            known_courts=courts,
            secrets=plan.secrets,
            ignore_columns=plan.ignore_columns,
        )
        if plan.shard is None or plan.shard.includes(item)
    )


def drain(items: deque[Account | RowError]) -> Iterator[Account | RowError]:
    """Hand the rows over one by one, letting go of each as it goes (a long roster is not kept whole
    for the whole run)."""
    while items:
        yield items.popleft()


def exit_code_for(summary: RunSummary, results: list[Result]) -> ExitCode:
    if summary.interrupted_by == signal.SIGINT:
        return ExitCode.INTERRUPTED
    if summary.interrupted_by == signal.SIGTERM:
        return ExitCode.TERMINATED
    if summary.stopped_reason:
        return ExitCode.INCOMPLETE
    return ExitCode.NEEDS_ACTION if any(r.needs_action for r in results) else ExitCode.READY


#: The checkpoint of an earlier run that its history entry does not hold whole (one, replaced each time).
PREVIOUS_FILE = "results.previous.jsonl"


def previous_run_kept(out_dir: Path, checkpoint: Path) -> bool:
    """Whether the last run's history entry holds this checkpoint, byte for byte."""
    entry = current_entry(out_dir)
    kept = entry / RESULTS_FILE if entry is not None else None
    return kept is not None and kept.is_file() and checkpoint.is_file() and filecmp.cmp(kept, checkpoint, shallow=False)


async def run_bulk(
    settings: Settings,
    plan: BulkPlan,
    *,
    events: RunEvents | None = None,
    browser: Browser | None = None,
    today: dt.date | None = None,
    on_total: Callable[[int], None] | None = None,
    site: SiteMap | None = None,
) -> BulkOutcome:
    """`site`: the command's, built once per run; without it, the settings' (a library caller)."""
    # One run per folder, held from before the roster is read until the reports are written.
    with run_lock.hold(plan.out_dir):
        return await _run_bulk(
            settings, plan, events=events, browser=browser, today=today, on_total=on_total, site=site
        )


def _start_checkpoint(plan: BulkPlan, checkpoint: Path) -> FollowUp:
    """Begin the run's history entry and its comparison, and clear the checkpoint for a new run."""
    kept = previous_run_kept(plan.out_dir, checkpoint)  # asked before a new history entry becomes the current
    follow = begin_followup(plan.out_dir, resume=plan.resume, since=plan.since)  # before the checkpoint moves
    if not plan.resume and checkpoint.exists() and checkpoint.stat().st_size:
        # Starting over must not mix two runs in one checkpoint. The history holds the earlier run; only
        # one it does not hold whole (a run that crashed) is kept, as the one results.previous.jsonl.
        if kept:
            checkpoint.unlink()
        else:
            checkpoint.replace(checkpoint.with_name(PREVIOUS_FILE))
    return follow


async def _run_bulk(
    settings: Settings,
    plan: BulkPlan,
    *,
    events: RunEvents | None,
    browser: Browser | None,
    today: dt.date | None,
    on_total: Callable[[int], None] | None,
    site: SiteMap | None,
) -> BulkOutcome:
    from verifier.reports import ReportMeta, write_all  # the reports pull in Jinja2; only needed at the end

    courts = plan.courts if plan.courts is not None else load_courts(plan.courts_file)
    items = read_items(plan, courts)
    findings = roster_findings(item for item in items if isinstance(item, Account))
    if on_total:
        on_total(len(items))

    recheck = _recheck_names(plan, items)
    on_roster = {_roster_key(item): item for item in items}  # whom a stop leaves unchecked (keys, not secrets)
    checkpoint = plan.out_dir / RESULTS_FILE
    follow = _start_checkpoint(plan, checkpoint)
    skip = done_keys(checkpoint, recheck, frozenset(plan.recheck_statuses)) if plan.resume else set()

    as_of = plan.as_of or today or dt.date.today()
    where = Where(again=plan.again)
    runner = Runner(
        settings,
        browser=browser,
        courts=courts,
        out_dir=plan.out_dir,
        finalize=finalizer(findings, courts, as_of, where),
        events=events,
        site=site,
        where=where,
    )
    task = asyncio.ensure_future(runner.run(drain(items), skip_keys=skip, checkpoint=checkpoint))
    remove_handlers = _install_signal_handlers(runner, task)
    try:
        summary = await task
    except asyncio.CancelledError:
        summary = runner.summary
    finally:
        remove_handlers()

    results = latest_results(checkpoint)
    runs = finish_followup(follow, checkpoint, results)
    stopped = stopped_run(summary, on_roster, results)
    meta = ReportMeta(
        title="PACER NextGen readiness",
        roster=plan.roster.name,
        site=settings.base_url or "PACER (pacer.uscourts.gov)",
        as_of=as_of,
        changes=follow.changes,
        history=runs,
        stopped=stopped,
    )
    reports = write_all(results, plan.out_dir, meta, courts=courts)
    return BulkOutcome(summary, results, reports, exit_code_for(summary, results), follow, stopped)


def _roster_key(item: Account | RowError) -> str:
    """The checkpoint's key of what this roster row's result will be (verifier.store.checkpoint.key_of)."""
    if isinstance(item, Account):
        return account_key(item.username, item.display_name, item.row)
    return row_key(item.row)


def stop_reason(summary: RunSummary) -> str:
    """Why the run stopped, in the words a report says it after the run: a signal, or the run's own reason."""
    if summary.interrupted_by == signal.SIGINT:
        return "interrupted by Ctrl-C"
    if summary.interrupted_by == signal.SIGTERM:
        return "stopped by SIGTERM"
    return summary.stopped_reason or "stopped"


def stopped_run(
    summary: RunSummary, on_roster: dict[str, Account | RowError], results: list[Result]
) -> StoppedRun | None:
    """How far a stopped run got, counted on the roster (this shard's), the earlier part of a resumed run
    included; None when it did not stop, or stopped with everyone checked."""
    from verifier.reports.common import Pending, StoppedRun

    if not summary.stopped_reason:
        return None
    done = {key_of(result) for result in results}
    pending = [
        Pending(name=item.name, username=item.username, row=item.row)
        for key, item in on_roster.items()
        if key not in done
    ]
    if not pending:
        return None
    total = len(on_roster)
    return StoppedRun(checked=total - len(pending), total=total, reason=stop_reason(summary), not_checked=pending)


def _recheck_names(plan: BulkPlan, items: deque[Account | RowError]) -> frozenset[str]:
    """`--recheck`'s usernames, lower-cased; one that is not on the roster (this shard's rows) is a usage
    error before any sign-in: a misspelt name would otherwise check nobody and say nothing."""
    wanted = {name.strip().lower(): name for name in plan.recheck}
    on_roster = {item.username.strip().lower() for item in items if item.username}
    missing = [given for key, given in wanted.items() if key not in on_roster]
    if missing:
        where = f"{plan.roster.name} (shard {plan.shard.index}/{plan.shard.count})" if plan.shard else plan.roster.name
        raise UsageError(f"--recheck {missing[0]}: no attorney with that username in {where}")
    return frozenset(wanted)


def _install_signal_handlers(runner: Runner, task: asyncio.Future[RunSummary]) -> Callable[[], None]:
    """Ctrl-C (Ctrl-Break on Windows) finishes the accounts in progress and starts no other; a second
    one abandons them. SIGTERM gives them TERM_GRACE_S. Returns what takes the handlers away."""
    loop = asyncio.get_running_loop()
    presses = {"count": 0}

    def on_signal(signum: int) -> None:
        presses["count"] += 1
        runner.request_stop("interrupted: finishing the accounts in progress", signum)
        if signum == signal.SIGINT and presses["count"] > 1:
            task.cancel()
        elif signum == signal.SIGTERM:
            loop.call_later(TERM_GRACE_S, task.cancel)

    return signals.install_stop_handlers(loop, on_signal)
