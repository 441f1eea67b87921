"""Bulk orchestration: one browser, a bounded pool of contexts, a rate limit on sign-ins, retries
for transient faults only, and a durable checkpoint line per finished account.

Politeness rules that protect the attorneys' accounts:
- a login the site rejected (wrong password, locked, MFA) is final and never retried;
- after `stop_after_locked` `locked` results in a row, no new sign-in is started;
- a stop (a signal, the lockout rule, a switch to the form that did not work) ends every wait for a
  sign-in at once, and no sign-in is sent after it (verifier.run.signin_gate);
- roster rows with the same username and credentials are checked once, and the result is given to
  each; rows with the same username but another password or secret are checked on their own;
- every session a check opens on PACER is ended when the check is done, whatever its outcome, and within
  a few seconds once the run stops (verifier.check.logout);
- a sign-in the site may have processed is never sent again in the same run (verifier.run._retry),
  with one exception: when Manage My Account refuses the Authentication API's session (the API had
  accepted the password), that account signs in once more with the form, at most once per run, and
  the run uses the form from then on. A site without the API (404/405/501) did not process the
  password: the form is then that account's one sign-in, and every later account's.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from playwright.async_api import Browser, Page

from flows.errors import SignInProgress, SignInStopped
from verifier.browser.host import BrowserHost
from verifier.browser.launch import BrowserChoice
from verifier.check.logout import Sessions, end_sessions
from verifier.check.otp_ledger import OtpLedger
from verifier.check.outcome import AccountOutcome
from verifier.check.site import SiteMap
from verifier.check.verify import CourtLookup, verify_account
from verifier.config import Settings
from verifier.evidence.recorder import ArtifactRecorder
from verifier.evidence.secret_text import scrub_text
from verifier.models import Account, Result, Status
from verifier.readiness import ROSTER, Finalize, Where
from verifier.run import _retry as retry_policy
from verifier.run.results import Effort, InvalidRow, result_of, result_of_invalid_row
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


@dataclass(frozen=True)
class Checked:
    """One PACER account checked, with what its attempts took; every roster row that shares the
    sign-in gets its own `Result` from it (verifier.run.results)."""

    outcome: AccountOutcome
    effort: Effort


class _FallbackClaim:
    """Whether this account took the run's one form fallback after a refused API session."""

    def __init__(self, gate: SignInGate) -> None:
        self._gate = gate
        self.claimed = False

    def claim(self) -> bool:
        # Sticky: an account keeps its claim across its attempts, so the switch is always settled.
        self.claimed = self.claimed or self._gate.claim_fallback()
        return self.claimed


class AccountChecker:
    """One account, with retries for transient faults only (verifier.run._retry decides)."""

    def __init__(
        self,
        settings: Settings,
        host: BrowserHost,
        recorder: ArtifactRecorder,
        courts: CourtLookup | None,
        stopping: Callable[[], bool],
        gate: SignInGate,
        site: SiteMap,
    ) -> None:
        self.settings = settings
        self.site = site
        self.host = host
        self.recorder = recorder
        self.courts = courts
        self._stopping = stopping
        self._gate = gate
        self.sign_in = settings.sign_in
        self.ledger = OtpLedger()  # each one-time code spent once per account, across runs too

    async def check(self, account: Account) -> Checked:
        fallback = _FallbackClaim(self._gate)
        try:
            checked = await self._check(account, fallback)
        except BaseException:
            if fallback.claimed:  # this account's fallback never finished
                self._gate.settle_switch(form_works=False)
            raise
        if fallback.claimed:
            status = checked.outcome.status
            self._gate.settle_switch(form_works=status not in (Status.SITE_ERROR, Status.UNRECOGNIZED_PAGE))
        return checked

    async def _check(self, account: Account, fallback: _FallbackClaim) -> Checked:
        started = time.monotonic()
        attempts = 0
        failed_artifacts: list[str] = []  # what the failed attempts looked like
        while True:
            attempts += 1
            await self._gate.wait_turn()  # RunStopped once the run stops: nothing was sent for this account
            progress = SignInProgress(stopped=self._gate.stopped)
            try:
                outcome, kept = await asyncio.wait_for(
                    self._attempt(account, attempts, progress, failed_artifacts, fallback), self._deadline_s(account)
                )
                break
            except SignInStopped:
                raise RunStopped from None
            except Exception as exc:
                decision = retry_policy.decide(exc, progress.phase, timeout_s=self.settings.timeout_s)
                # An exception's text may quote the site (a sign-on alert): scrubbed like any site text.
                message = scrub_text(decision.message, account)
                if decision.internal:
                    trace = scrub_text("".join(traceback.format_exception(exc)).rstrip(), account)
                    log.warning("%s: %s\n%s", account.username, message, trace)
                if decision.retry:
                    await self.host.restart_if_gone()
                    if attempts <= self.settings.retries and not self._stopping():
                        await self._gate.pause(retry_policy.backoff_s(attempts, exc))
                        continue
                    message = f"{message} (after {attempts} attempts)"
                outcome, kept = AccountOutcome(Status.SITE_ERROR, message), []
                break
        if outcome.status is Status.SITE_ERROR:
            kept = [*failed_artifacts, *kept]
        return Checked(outcome, Effort(attempts, round(time.monotonic() - started, 3), tuple(kept)))

    def _deadline_s(self, account: Account) -> float:
        """A safety net for one whole attempt; each page and each answer has its own `timeout_s`."""
        return self.settings.timeout_s * (6 + 2 * len(account.courts))

    async def _attempt(
        self,
        account: Account,
        attempt: int,
        progress: SignInProgress,
        failed_artifacts: list[str],
        fallback: _FallbackClaim,
    ) -> tuple[AccountOutcome, list[str]]:
        """One try, and the artifacts it kept; a try that raises leaves its screenshot in `failed_artifacts`."""
        status: Status | None = None
        kept: list[str] = []
        sessions = Sessions()  # what this attempt opens on PACER, ended before its page goes back to the pool
        async with self.host.session() as page:
            context = page.context
            try:
                await self.recorder.start(context)
                timeout_ms = self.settings.timeout_s * 1000
                page.set_default_timeout(timeout_ms)
                try:
                    outcome = await verify_account(
                        page,
                        account,
                        self.site,
                        timeout_ms=timeout_ms,
                        courts=self.courts,
                        check_courts=self.settings.check_courts,
                        progress=progress,
                        sign_in=self.sign_in,
                        codes=self.ledger.source(self.site.login_origin, account.username),
                        may_fall_back=fallback.claim,
                        sessions=sessions,
                    )
                    self._note_sign_in(outcome)
                    if outcome.other_account:
                        _distrust_session(self.host, page, account)
                except BaseException:
                    failed_artifacts += await self.recorder.screenshot(page, account, attempt, Status.SITE_ERROR)
                    raise
                status = outcome.status
                kept += await self.recorder.screenshot(page, account, attempt, status)
            finally:
                try:
                    kept += await self.recorder.stop(context, account, attempt, status)
                finally:  # after the evidence, whatever the outcome (the screenshot shows what the check saw)
                    stopping, timeout_s = self._stopping(), self.settings.timeout_s
                    await end_sessions(
                        page, self.site, account.username, sessions, timeout_s=timeout_s, stopping=stopping
                    )
        return outcome, kept

    def _note_sign_in(self, outcome: AccountOutcome) -> None:
        """Once Manage My Account has refused an API session, or the site turned out to have no API, use
        the form for the rest of the run: each further API sign-in would cost its account a second one
        (or, with no API, be a wasted request). Said once in the log; the account's result says it too."""
        if self.sign_in != "api":
            return
        if outcome.api_session_refused:
            log.warning(
                "Manage My Account did not take the Authentication API's session; signing in with "
                "the sign-on form for the rest of this run"
            )
            self.sign_in = "browser"
        elif outcome.api_absent is not None:
            log.warning(
                "PACER's Authentication API is not there (HTTP %s: the password was not processed); signing in "
                "with the sign-on form for every account of this run",
                outcome.api_absent,
            )
            self.sign_in = "browser"


def _distrust_session(host: BrowserHost, page: Page, account: Account) -> None:
    log.error(
        "%s: Manage My Account showed ANOTHER ACCOUNT after signing in as %s; its browser context is "
        "thrown away, not reused (check this account by hand)",
        account.display_name,
        account.username,
    )
    host.discard(page)


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
    """Schedules accounts over a bounded set of workers. Give it a Browser to use (tests), or it launches
    its own (verifier.browser.host). `where`: where the accounts came from, for an unusable row's next step."""

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
    ) -> None:
        self.settings, self.where, self.out_dir = settings, where, out_dir
        self.finalize = finalize
        self.events = events or _SilentEvents()
        site = site or SiteMap.for_base_url(settings.base_url)  # the command's, built once; or the settings'
        self._host = BrowserHost(settings, browser, site)
        self._stop = asyncio.Event()
        self._gate = SignInGate(settings.rate_per_minute, self._stop, self.request_stop)
        self._checker = AccountChecker(
            settings, self._host, ArtifactRecorder(settings, out_dir), courts, self._stop.is_set, self._gate, site
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

    def session(self) -> contextlib.AbstractAsyncContextManager[Page]:
        """A clean page for one account, from a pool of reused contexts (see verifier.browser._pool)."""
        return self._host.session()

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
