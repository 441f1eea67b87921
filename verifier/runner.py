"""Bulk orchestration: one browser, a bounded pool of contexts, a rate limit on sign-ins, retries
for transient faults only, and a durable checkpoint line per finished account.

Politeness rules that protect the attorneys' accounts:
- a login the site rejected (wrong password, locked, MFA) is final and never retried;
- after `stop_after_locked` `locked` results in a row, no new sign-in is started;
- roster rows with the same username and credentials are checked once, and the result is given to
  each; rows with the same username but another password or secret are checked on their own;
- a sign-in the site may have processed is never sent again in the same run (verifier.retry_policy).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from playwright.async_api import Browser, BrowserContext, Page, Playwright, async_playwright
from playwright.async_api import Error as PlaywrightError

from flows.errors import SignInProgress, TransientSiteError
from verifier import netguard, retry_policy
from verifier.artifacts import masked_screenshot, scrub_trace
from verifier.browser import BrowserChoice, open_browser
from verifier.checkpoint import CheckpointWriter, key_of, result_key
from verifier.config import Settings
from verifier.models import Account, AccountPage, Result, Status
from verifier.ratelimit import RateLimiter
from verifier.sessions import ContextPool
from verifier.site import SiteMap
from verifier.verify import CourtLookup, Verification, result_for, verify_account

log = logging.getLogger(__name__)

MAX_BACKOFF_S = 30.0
STATUSES_WITH_SCREENSHOT = frozenset({Status.UNRECOGNIZED_PAGE, Status.SITE_ERROR})


class InvalidRow(Protocol):
    """A roster row that could not be used (see verifier.roster.RowError)."""

    def to_result(self) -> Result: ...


Finalize = Callable[[Result, Account | None, AccountPage | None], Result]
"""Turns a bare result into the reported one (readiness checklist, next steps)."""


@dataclass
class RunSummary:
    results: list[Result] = field(default_factory=list)
    skipped: int = 0
    stopped_reason: str | None = None
    interrupted_by: int | None = None
    browser: str = ""

    @property
    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for result in self.results:
            counts[result.status.value] = counts.get(result.status.value, 0) + 1
        return counts


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


class Runner:
    """Checks accounts concurrently. Give it a Browser to use (tests), or it launches its own."""

    def __init__(
        self,
        settings: Settings,
        *,
        browser: Browser | None = None,
        courts: CourtLookup | None = None,
        out_dir: Path | None = None,
        finalize: Finalize | None = None,
        events: RunEvents | None = None,
    ) -> None:
        self.settings = settings
        self.site = SiteMap.for_base_url(settings.base_url)
        self.courts = courts
        self.out_dir = out_dir
        self.finalize = finalize or (lambda result, _account, _page: result)
        self.events = events or _SilentEvents()
        self._browser = browser
        self._owns_browser = browser is None
        self._playwright: Playwright | None = None
        self._browser_lock = asyncio.Lock()
        self._limiter = RateLimiter(settings.rate_per_minute)
        self._stop = asyncio.Event()
        self._locked_in_a_row = 0
        self._locked_accounts: set[str] = set()
        self._summary = RunSummary()
        self._writer: CheckpointWriter | None = None
        self._shared: dict[tuple[str, str], asyncio.Future[Verification]] = {}
        self.choice: BrowserChoice | None = None
        self._contexts = ContextPool(self._new_context)
        self._sign_in = settings.sign_in

    # --- public --------------------------------------------------------------------------------------

    @property
    def summary(self) -> RunSummary:
        return self._summary

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
            await self._ensure_browser()
            workers = [asyncio.create_task(self._worker(queue)) for _ in range(self.settings.concurrency)]

            async def feed() -> None:
                await self._feed(items, queue, skip_keys)
                for _ in workers:
                    await queue.put(None)

            tasks = [asyncio.create_task(feed()), *workers]
            try:
                # The first exception anywhere (a full disk under the checkpoint) ends the run now: the
                # feeder would otherwise wait for ever on a queue no worker empties.
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
        finally:
            if self._writer:
                self._writer.close()
            await self.close()
        return self._summary

    async def close(self) -> None:
        await self._contexts.close()
        if self._owns_browser and self._browser is not None:
            with contextlib.suppress(PlaywrightError):
                await self._browser.close()
            self._browser = None
        if self._playwright is not None:
            await self._playwright.stop()
            self._playwright = None

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
                invalid = item.to_result()
                if key_of(invalid) in skip:
                    self._summary.skipped += 1
                else:
                    self._record(self.finalize(invalid, None, None))
                continue
            if result_key(item.username, item.display_name, item.row, Status.UPGRADED) in skip:
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
            verification = await self._check_once_per_username(account)
            if verification is None:  # stopped before this account was started
                continue
            result = verification.result.model_copy(
                update={"name": account.display_name, "row": account.row}
            )
            self._record(self.finalize(result, account, verification.page))

    async def _check_once_per_username(self, account: Account) -> Verification | None:
        """Rows with the same username and the same credentials share one sign-in and its result;
        a row with another password or secret is checked on its own (it must never inherit a
        result obtained with other credentials)."""
        key = _credentials_key(account)
        shared = self._shared.get(key)
        if shared is not None:
            return await shared
        future: asyncio.Future[Verification] = asyncio.get_running_loop().create_future()
        self._shared[key] = future
        try:
            verification = await self._check(account)
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # mark retrieved; waiters re-raise it
            del self._shared[key]
            raise
        future.set_result(verification)
        return verification

    def _record(self, result: Result) -> None:
        if self._writer:
            self._writer.write(result)
        self._summary.results.append(result)
        self.events.finished(result)
        if result.status is Status.LOCKED:
            account_key = result.username.strip().lower()
            if account_key in self._locked_accounts:
                return  # another row of the same PACER account: one account, counted once
            self._locked_accounts.add(account_key)
            self._locked_in_a_row += 1
            limit = self.settings.stop_after_locked
            if limit and self._locked_in_a_row >= limit:
                self.request_stop(
                    f"stopped after {self._locked_in_a_row} locked accounts in a row: the site may be "
                    "locking accounts; check one by hand before running again"
                )
        elif result.status is not Status.INVALID_INPUT:
            self._locked_in_a_row = 0

    # --- one account, with retries -------------------------------------------------------------------

    async def _check(self, account: Account) -> Verification:
        self.events.started(account)
        started = time.monotonic()
        attempts = 0
        failed_artifacts: list[str] = []
        while True:
            attempts += 1
            await self._limiter.acquire()
            progress = SignInProgress()
            try:
                verification = await asyncio.wait_for(
                    self._attempt(account, attempts, progress, failed_artifacts), self._deadline_s(account))
                break
            except Exception as exc:
                decision = retry_policy.decide(exc, progress.phase, timeout_s=self.settings.timeout_s)
                if decision.internal:
                    log.warning("%s: %s", account.username, decision.message, exc_info=exc)
                if not decision.retry:
                    verification = Verification(result_for(account, Status.SITE_ERROR, decision.message))
                    break
                await self._restart_browser_if_gone()
                if attempts > self.settings.retries or self._stop.is_set():
                    verification = Verification(result_for(
                        account, Status.SITE_ERROR, f"{decision.message} (after {attempts} attempts)"))
                    break
                await asyncio.sleep(self._backoff(attempts, exc))
        artifacts = verification.result.artifacts
        if verification.result.status is Status.SITE_ERROR:
            artifacts = [*failed_artifacts, *artifacts]  # what the failed attempts looked like
        verification.result = verification.result.model_copy(update={
            "attempts": attempts, "duration_s": round(time.monotonic() - started, 3), "artifacts": artifacts})
        return verification

    def _deadline_s(self, account: Account) -> float:
        """A safety net for one whole attempt; each page and each answer has its own `timeout_s`."""
        return self.settings.timeout_s * (6 + 2 * len(account.courts))

    def _backoff(self, attempt: int, exc: BaseException) -> float:
        retry_after = getattr(exc, "retry_after_s", None)
        if retry_after is not None:
            return min(float(retry_after), MAX_BACKOFF_S)
        return min(MAX_BACKOFF_S, 0.5 * 2 ** (attempt - 1)) * random.uniform(0.8, 1.2)

    async def _attempt(self, account: Account, attempt: int, progress: SignInProgress,
                       failed_artifacts: list[str]) -> Verification:
        tracing = self.settings.trace != "off" and self.out_dir is not None
        verification: Verification | None = None
        async with self.session() as page:
            context = page.context
            try:
                if tracing:
                    await context.tracing.start(screenshots=True, snapshots=True)
                timeout_ms = self.settings.timeout_s * 1000
                page.set_default_timeout(timeout_ms)
                try:
                    verification = await verify_account(
                        page, account, self.site, timeout_ms=timeout_ms, courts=self.courts,
                        check_courts=self.settings.check_courts, progress=progress, sign_in=self._sign_in)
                    self._note_sign_in(verification)
                except BaseException:
                    shot = await self._keep_screenshot(page, account, attempt, None)
                    if shot:
                        failed_artifacts.append(shot)
                    raise
                await self._keep_screenshot(page, account, attempt, verification)
                return verification
            finally:
                if tracing:
                    await self._stop_tracing(context, account, attempt, verification)

    def _note_sign_in(self, verification: Verification) -> None:
        """Once Manage My Account has refused an API session, use the form for the rest of the run: each
        further API sign-in would cost its account a second one."""
        if verification.api_session_refused and self._sign_in == "api":
            log.warning("Manage My Account did not take the Authentication API's session; signing in with "
                        "the sign-on form for the rest of this run")
            self._sign_in = "browser"

    def session(self) -> contextlib.AbstractAsyncContextManager[Page]:
        """A clean page for one account, from a pool of reused contexts (see verifier.sessions)."""
        return self._contexts.session()

    async def _new_context(self) -> BrowserContext:
        browser = await self._ensure_browser()
        context = await browser.new_context(
            viewport={"width": 1280, "height": 900},
            service_workers="block",
            accept_downloads=False,
        )
        if netguard.loopback_only_requested():
            await netguard.install_loopback_guard(context)
        return context

    def _artifact_dir(self, account: Account) -> Path | None:
        return self.out_dir / "artifacts" / account.slug if self.out_dir else None

    async def _keep_screenshot(self, page: Page, account: Account, attempt: int,
                               verification: Verification | None) -> str | None:
        """A masked screenshot of an attempt that ended badly; its path relative to the output folder."""
        folder = self._artifact_dir(account)
        status = verification.result.status if verification else Status.SITE_ERROR
        if not folder or not self.settings.screenshots or status not in STATUSES_WITH_SCREENSHOT:
            return None
        try:
            shot = await masked_screenshot(page, folder / f"attempt-{attempt}.png")
        except PlaywrightError:
            return None  # the page is gone (a crash): nothing to show
        if not shot:
            return None
        relative = str(shot.relative_to(self.out_dir))  # type: ignore[arg-type]
        if verification:
            verification.result.artifacts.append(relative)
        return relative

    async def _stop_tracing(self, context: BrowserContext, account: Account, attempt: int,
                            verification: Verification | None) -> None:
        folder = self._artifact_dir(account)
        failed = verification is None or verification.result.status in STATUSES_WITH_SCREENSHOT
        keep = folder is not None and (self.settings.trace == "on" or failed)
        try:
            if not keep:
                await context.tracing.stop()
                return
            assert folder is not None
            folder.mkdir(parents=True, exist_ok=True)
            trace = folder / f"trace-attempt-{attempt}.zip"
            await context.tracing.stop(path=str(trace))
            scrub_trace(trace, [account.password, account.otp_secret, account.cmecf_password])
            if verification:
                verification.result.artifacts.append(str(trace.relative_to(self.out_dir)))  # type: ignore[arg-type]
        except PlaywrightError:
            pass

    # --- the browser -----------------------------------------------------------------------------------

    async def _ensure_browser(self) -> Browser:
        async with self._browser_lock:
            if self._browser is not None and self._browser.is_connected():
                return self._browser
            if not self._owns_browser:
                raise TransientSiteError("the injected browser is gone")
            if self._playwright is None:
                self._playwright = await async_playwright().start()
            self._browser, self.choice = await open_browser(self._playwright, self.settings)
            self._summary.browser = self.choice.describe()
            return self._browser

    async def _restart_browser_if_gone(self) -> None:
        if self._browser is not None and not self._browser.is_connected() and self._owns_browser:
            log.warning("the browser went away; starting a new one")
            await self._ensure_browser()

