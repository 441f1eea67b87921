"""Bulk orchestration: one browser, at most --concurrency contexts at once (a new one per account), a
rate limit on sign-ins, and a durable checkpoint line per finished account. One account's attempts
are verifier.run.account's; how the run signs in, and its one switch from the API to the form, is
verifier.check.verify.SignInSwitch's.

What the runner itself keeps, to protect the attorneys' accounts:
- at most `concurrency` accounts at once, and sign-ins started at most `rate_per_minute` a minute;
- after `stop_after_locked` `locked` results in a row, no new sign-in is started (the lockout rule);
- a stop (a signal, the lockout rule, a switch to the form that did not work) ends every wait for a
  sign-in at once, and no sign-in is sent after it (verifier.run.signin_gate);
- roster rows with the same username and credentials are checked once, and the result is given to
  each; rows with the same username but another password or secret are checked on their own.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from playwright.async_api import Browser

from verifier.browser.host import BrowserHost
from verifier.browser.launch import BrowserChoice
from verifier.check.court_visits import CourtLookup
from verifier.check.site import SiteMap
from verifier.check.verify import SignInSwitch
from verifier.config import Settings
from verifier.evidence.recorder import ArtifactRecorder
from verifier.models import Account, Result, Status
from verifier.readiness import ROSTER, Finalize, Where
from verifier.run.account import AccountChecker, Checked, RunParts
from verifier.run.results import InvalidRow, result_of, result_of_invalid_row
from verifier.run.signin_gate import RunStopped, SignInGate
from verifier.statuses import count_statuses
from verifier.store.checkpoint import CheckpointWriter, account_key, key_of

log = logging.getLogger(__name__)


@dataclass
class RunSummary:
    results: list[Result] = field(default_factory=list)
    skipped: int = 0
    stopped_reason: str | None = None
    interrupted_by: int | None = None
    browser: str = ""
    blocked_requests: int = 0
    """Requests the browser refused because they went to an origin other than PACER's."""

    @property
    def counts(self) -> dict[str, int]:
        counted = count_statuses(result.status for result in self.results)
        return {status.value: n for status, n in counted.items() if n}


class RunEvents(Protocol):
    def started(self, account: Account) -> None: ...
    def finished(self, result: Result) -> None: ...


class _SilentEvents:
    def started(self, account: Account) -> None:
        pass

    def finished(self, result: Result) -> None:
        pass


def _credentials_key(account: Account) -> tuple[str, str]:
    """The PACER account and a digest of the credentials the row gives for it (held in memory only)."""
    digest = hashlib.sha256()
    for secret in (account.password, account.otp_secret):
        digest.update(b"\0" + (secret.get_secret_value().encode() if secret else b"-"))
    return account.username.strip().lower(), digest.hexdigest()


class LockoutWatch:
    """Counts `locked` results in a row (each PACER account once); says when the run should stop."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.in_a_row = 0
        self._accounts: set[str] = set()

    def stop_reason(self, result: Result) -> str | None:
        if result.status is Status.LOCKED:
            account_key = result.username.strip().lower()
            if account_key in self._accounts:
                return None  # another row of the same PACER account: one account, counted once
            self._accounts.add(account_key)
            self.in_a_row += 1
            if self.limit and self.in_a_row >= self.limit:
                return (
                    f"stopped after {self.in_a_row} locked accounts in a row: the site may be "
                    "locking accounts; check one by hand before running again"
                )
        elif result.status is not Status.INVALID_INPUT:
            self.in_a_row = 0
        return None


class Runner:
    """Schedules accounts over a bounded set of workers. Give it a Browser to use (tests), or a BrowserHost
    already starting one (`check`: verifier.browser.early), or it launches its own (verifier.browser.host).
    The run closes the host either way. `where`: where the accounts came from, for an unusable row's next step."""

    def __init__(
        self,
        settings: Settings,
        *,
        browser: Browser | None = None,
        courts: CourtLookup | None = None,
        out_dir: Path | None = None,
        finalize: Finalize | None = None,
        events: RunEvents | None = None,
        site: SiteMap | None = None,
        where: Where = ROSTER,
        host: BrowserHost | None = None,
    ) -> None:
        self.settings, self.where, self.out_dir = settings, where, out_dir
        self.finalize = finalize
        self.events = events or _SilentEvents()
        site = site or SiteMap.for_base_url(settings.base_url)  # the command's, built once; or the settings'
        self._host = host if host is not None else BrowserHost(settings, browser, site)
        self._stop = asyncio.Event()
        switch = SignInSwitch(settings.sign_in)  # the run's one: how it signs in, and its switch to the form
        gate = SignInGate(settings.rate_per_minute, self._stop, self.request_stop, switch)
        recorder = ArtifactRecorder(settings, out_dir)
        self._checker = AccountChecker(
            RunParts(settings, site, self._host, recorder, courts, gate, switch, stopping=self._stop.is_set)
        )
        self._lockout = LockoutWatch(settings.stop_after_locked)
        self._summary = RunSummary()
        self._writer: CheckpointWriter | None = None
        self._shared: dict[tuple[str, str], asyncio.Future[Checked]] = {}

    # --- public --------------------------------------------------------------------------------------

    @property
    def summary(self) -> RunSummary:
        return self._summary

    @property
    def choice(self) -> BrowserChoice | None:
        return self._host.choice

    def request_stop(self, reason: str, signal_number: int | None = None) -> None:
        """Start no new account; in-flight ones finish or are abandoned by the caller's cancel."""
        if not self._stop.is_set():
            self._summary.stopped_reason = reason
            self._summary.interrupted_by = signal_number
            self._stop.set()

    async def run(
        self,
        items: Iterable[Account | InvalidRow],
        *,
        skip_keys: frozenset[str] | set[str] = frozenset(),
        checkpoint: Path | None = None,
    ) -> RunSummary:
        self._writer = CheckpointWriter(checkpoint) if checkpoint else None
        queue: asyncio.Queue[Account | None] = asyncio.Queue(maxsize=self.settings.concurrency * 2)
        try:
            await self._host.ensure()
            self._summary.browser = self.choice.describe() if self.choice else ""
            workers = [asyncio.create_task(self._worker(queue)) for _ in range(self.settings.concurrency)]

            async def feed() -> None:
                await self._feed(items, queue, skip_keys)
                for _ in workers:
                    await queue.put(None)

            await _all_or_none([asyncio.create_task(feed()), *workers])
        finally:
            if self._writer:
                self._writer.close()
            await self.close()
            self._summary.blocked_requests = self._host.report_blocked()
        return self._summary

    async def close(self) -> None:
        await self._host.close()

    # --- feeding and working -------------------------------------------------------------------------

    async def _feed(
        self,
        items: Iterable[Account | InvalidRow],
        queue: asyncio.Queue[Account | None],
        skip: set[str] | frozenset[str],
    ) -> None:
        for item in items:
            if self._stop.is_set():
                return
            if not isinstance(item, Account):
                invalid = result_of_invalid_row(item, self.where)
                if key_of(invalid) in skip:
                    self._summary.skipped += 1
                else:
                    self._record(invalid)
                continue
            if account_key(item.username, item.display_name, item.row) in skip:
                self._summary.skipped += 1
                continue
            await queue.put(item)
            await asyncio.sleep(0)

    async def _worker(self, queue: asyncio.Queue[Account | None]) -> None:
        while True:
            account = await queue.get()
            if account is None:
                return
            if self._stop.is_set():
                continue
            try:
                checked = await self._check_once_per_username(account)
            except RunStopped:
                continue  # stopped before its sign-in was sent: not recorded, --resume checks it
            readiness = self.finalize(checked.outcome, account, checked.outcome.page) if self.finalize else None
            self._record(result_of(account, checked.outcome, readiness, checked.effort))

    async def _check_once_per_username(self, account: Account) -> Checked:
        """Rows with the same username and the same credentials share one sign-in and its result;
        a row with another password or secret is checked on its own (it must never inherit a
        result obtained with other credentials)."""
        key = _credentials_key(account)
        shared = self._shared.get(key)
        if shared is not None:
            return await shared
        future: asyncio.Future[Checked] = asyncio.get_running_loop().create_future()
        self._shared[key] = future
        try:
            self.events.started(account)
            checked = await self._checker.check(account)
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # mark retrieved; waiters re-raise it
            del self._shared[key]
            raise
        future.set_result(checked)
        return checked

    def _record(self, result: Result) -> None:
        if self._writer:
            self._writer.write(result)
        self._summary.results.append(result)
        self.events.finished(result)
        reason = self._lockout.stop_reason(result)
        if reason:
            self.request_stop(reason)


async def _all_or_none(tasks: list[asyncio.Task[None]]) -> None:
    """Wait for every task; the first exception anywhere (a full disk under the checkpoint) ends them
    all now: the feeder would otherwise wait for ever on a queue no worker empties."""
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
        failed = next((t.exception() for t in done if t.exception() is not None), None)
        if failed is not None:
            raise failed
    except BaseException:
        # Cancelled (a second Ctrl-C, or SIGTERM's grace ran out) or failed: abandon what is in
        # flight; nothing half-done is recorded, so --resume checks those accounts again.
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise
