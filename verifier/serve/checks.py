"""The check queue: each attorney's check runs on the same code path as `bulk` (verifier.run.account's
AccountChecker in one long-lived browser, the checklist of verifier.readiness, a line appended to
results.jsonl by verifier.store.checkpoint), with bulk's politeness: one rate limit for every sign-in of
the server's life, at most `concurrency` checks at once, a capped line of checks waiting, one check
per username at a time, the password sent at most once and a rejected login never retried. On top,
what a page anyone may reach needs: each sign-in counted against its username before it is sent
(verifier.serve.failures), a typed code refused when a code was already used for the account in its
30-second step (the one-time-code ledger), and a failed sign-in recorded as an attempt that does not
replace the account's last reading (`Result.attempt_only`).

The password and code live only in the `Account` handed to the check; the job keeps the result."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from verifier.browser.host import BrowserHost
from verifier.check.site import SiteMap
from verifier.check.verify import SignInSwitch
from verifier.config import Settings
from verifier.errors import AlreadyChecking as AlreadyChecking
from verifier.errors import QueueFull as QueueFull
from verifier.errors import RunStopped
from verifier.evidence.recorder import ArtifactRecorder
from verifier.models import Account, Result
from verifier.readiness import RosterFindings, Where, finalizer
from verifier.readiness.courts import CourtRegistry
from verifier.run.account import AccountChecker, RunParts
from verifier.run.results import result_of
from verifier.run.signin_gate import SignInGate
from verifier.serve.failures import SignInFailures, counts_as_failure
from verifier.statuses import FAILED_SIGN_INS, Source
from verifier.store.checkpoint import RESULTS_FILE, CheckpointWriter

log = logging.getLogger(__name__)

#: How long a finished check's page can be opened again (its address is unguessable).
KEEP_JOBS_S = 3600.0


class Stage(StrEnum):
    WAITING = "waiting"
    CHECKING = "checking"
    DONE = "done"


@dataclass
class Job:
    id: str
    username: str
    name: str
    stage: Stage = Stage.WAITING
    result: Result | None = None
    error: str = ""
    back: str = "/"
    """Where "Check again" leads: the attorney's own link, or the page without one."""
    created: float = field(default_factory=time.monotonic)
    started: float | None = None


class CheckService:
    def __init__(
        self,
        settings: Settings,
        out_dir: Path,
        courts: CourtRegistry,
        findings: RosterFindings,
        failures: SignInFailures,
        *,
        max_waiting: int = 20,
        as_of: dt.date | None = None,
        on_result: Callable[[Result], None] | None = None,
        site: SiteMap | None = None,
    ) -> None:
        self.settings = settings
        self.out_dir = out_dir
        self.courts = courts
        self.findings = findings
        self.failures = failures
        self.max_waiting = max_waiting
        self.as_of = as_of
        self.on_result = on_result
        self.checkpoint = out_dir / RESULTS_FILE
        site = site if site is not None else SiteMap.for_base_url(settings.base_url)  # one for the server's life
        self.site = site
        self._host = BrowserHost(settings, site=site)
        self._stop = asyncio.Event()
        # One gate for every sign-in of the server's life: its rate limit, and a stop that ends every wait;
        # one switch: how the server signs in, and its one switch from the API to the form.
        switch = SignInSwitch(settings.sign_in)
        gate = SignInGate(settings.rate_per_minute, self._stop, self._stop_checks, switch)
        recorder = ArtifactRecorder(settings, out_dir)
        self._checker = AccountChecker(
            RunParts(settings, site, self._host, recorder, courts, gate, switch, stopping=self._stop.is_set)
        )
        self._slots = asyncio.Semaphore(settings.concurrency)
        self._writer: CheckpointWriter | None = None
        self._jobs: dict[str, Job] = {}
        self._running: set[str] = set()  # usernames being checked
        self._tasks: set[asyncio.Task[None]] = set()
        self.checks_done = 0

    async def start(self) -> None:
        """Open results.jsonl and start the browser once, for the server's life."""
        self._writer = CheckpointWriter(self.checkpoint)
        await self._host.ensure()

    @property
    def _stopping(self) -> bool:
        return self._stop.is_set()

    def _stop_checks(self, reason: str) -> None:
        log.warning("no more checks start: %s", reason)
        self._stop.set()

    async def close(self) -> None:
        """Stop: no new check starts; those in flight are abandoned (nothing half-done is recorded)."""
        self._stop.set()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._writer:
            self._writer.close()
        await self._host.close()

    def browser(self) -> str:
        return self._host.choice.describe() if self._host.choice else ""

    def waiting(self) -> int:
        return sum(1 for job in self._jobs.values() if job.stage is Stage.WAITING)

    def position(self, job: Job) -> int:
        """How many checks are ahead of this one in the line."""
        return sum(1 for j in self._jobs.values() if j.stage is Stage.WAITING and j.created < job.created)

    def job(self, job_id: str) -> Job | None:
        self._forget_old()
        return self._jobs.get(job_id)

    async def spend_typed_code(self, username: str) -> bool:
        """Record that a typed code is about to be sent for this account in this 30-second step; False
        when one was already (the site would refuse it and count a failed sign-in): refuse it then."""
        return await self._checker.ledger.take_current(self.site.login_origin, username) is not None

    def submit(self, account: Account) -> Job:
        """Queue one check; raises QueueFull or AlreadyChecking (nothing is sent then)."""
        if self._stopping:
            raise QueueFull("the server is stopping")
        key = account.username.strip().lower()
        if key in self._running:
            raise AlreadyChecking(account.username)
        if self.waiting() >= self.max_waiting:
            raise QueueFull(f"{self.max_waiting} checks are waiting")
        job = Job(secrets.token_urlsafe(18), account.username, account.display_name)
        self._jobs[job.id] = job
        self._running.add(key)
        task = asyncio.create_task(self._run(job, account))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return job

    async def _run(self, job: Job, account: Account) -> None:
        try:
            async with self._slots:
                if self._stopping:
                    return
                job.stage, job.started = Stage.CHECKING, time.monotonic()
                ticket = self.failures.begin(account.username)  # counted before it can reach PACER
                try:
                    checked = await self._checker.check(account)
                except RunStopped:
                    self.failures.settle(ticket, failed=False)
                    return  # stopped before anything was sent: nothing to record
                status = checked.outcome.status
                self.failures.settle(ticket, failed=counts_as_failure(status, account.otp_code is not None))

                today = self.as_of or dt.date.today()
                finalize = finalizer(self.findings, self.courts, today, Where(Source.TYPED))  # /admin's words
                readiness = finalize(checked.outcome, account, checked.outcome.page)
                attempt = status in FAILED_SIGN_INS
                result = result_of(account, checked.outcome, readiness, checked.effort, attempt_only=attempt)
                if self._writer is None:
                    raise RuntimeError("the check service was not started")
                self._writer.write(result)  # exactly as bulk writes it: the checkpoint's own writer
                job.result, job.stage = result, Stage.DONE
                self.checks_done += 1
                if self.on_result:
                    self.on_result(result)
                log.info("checked %s: %s", result.username, result.status.value)
        except Exception as exc:  # an internal error: said on the page, the attorney may try again later
            log.warning("the check of %s failed: %s", job.username, type(exc).__name__)
            job.error, job.stage = "the check could not finish (an internal error); please try again later", Stage.DONE
        finally:
            del account  # the password and code go with the check
            self._running.discard(job.username.strip().lower())

    def _forget_old(self) -> None:
        now = time.monotonic()
        for job_id in [i for i, j in self._jobs.items() if j.stage is Stage.DONE and now - j.created > KEEP_JOBS_S]:
            del self._jobs[job_id]
