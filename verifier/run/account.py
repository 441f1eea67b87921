"""One account of a run: its attempts, each in a page of a new browser context, with retries for faults
of the site only (verifier.run._retry says when), under the run's sign-in gate and its API-to-form
switch (verifier.check.verify.SignInSwitch, whose rule is said there once).

Two limits bound an account: `--timeout` bounds each wait for the site (a page, an answer), and an
attempt as a whole gets that many seconds x (6 + 2 x courts) as a safety net; `--account-timeout`
bounds the account's whole check, its attempts and the pauses between them. An account that reaches it
ends safely: the attempt in flight is cancelled (its screenshot is still taken and its sessions ended,
which may take some seconds more), the password is not sent again, and the result is site_error, saying so.
"""

from __future__ import annotations

import asyncio
import logging
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass

from flows.errors import Phase, SignInProgress, SignInStopped
from verifier.browser.host import BrowserHost
from verifier.check.court_visits import CourtLookup
from verifier.check.logout import Sessions, being_cancelled, end_sessions
from verifier.check.otp_ledger import OtpLedger
from verifier.check.outcome import AccountOutcome
from verifier.check.site import SiteMap
from verifier.check.verify import SignInSwitch, verify_account
from verifier.config import Settings
from verifier.evidence.recorder import ArtifactRecorder
from verifier.evidence.secret_text import scrub_text
from verifier.models import Account, Status
from verifier.run import _retry as retry_policy
from verifier.run.results import Effort
from verifier.run.signin_gate import RunStopped, SignInGate

log = logging.getLogger(__name__)

ACCOUNT_TIMED_OUT = (
    "the check of this account took longer than --account-timeout ({limit:g} s) and was ended; the password "
    f"is not sent again in this run ({retry_policy.RESUME_HINT})"
)


@dataclass(frozen=True)
class Checked:
    """One PACER account checked, with what its attempts took; every roster row that shares the
    sign-in gets its own `Result` from it (verifier.run.results)."""

    outcome: AccountOutcome
    effort: Effort


@dataclass(frozen=True)
class RunParts:
    """What every account of a run shares: the settings, the site, the browser, the evidence kept, the
    court registry, the sign-in gate and the switch, and whether the run is stopping."""

    settings: Settings
    site: SiteMap
    host: BrowserHost
    recorder: ArtifactRecorder
    courts: CourtLookup | None
    gate: SignInGate
    switch: SignInSwitch
    stopping: Callable[[], bool]


class AccountChecker:
    """One account, with retries for transient faults only (verifier.run._retry decides)."""

    def __init__(self, run: RunParts) -> None:
        self.run = run
        self.ledger = OtpLedger()  # each one-time code spent once per account, across runs too

    async def check(self, account: Account) -> Checked:
        status: Status | None = None
        try:
            checked = await self._check(account)
            status = checked.outcome.status
            return checked
        finally:
            # The switch learns how this account ended; if it was making the run's extra sign-in and the
            # form failed too, the run stops here, before any held sign-in is let go.
            reason = self.run.switch.check_ended(account, status)
            if reason:
                self.run.gate.stop(reason)

    async def _check(self, account: Account) -> Checked:
        started = time.monotonic()
        limit_s = self.run.settings.account_timeout_s
        ends_at: float | None = None  # from its first turn: the wait for it is the rate limit's, not the site's
        attempts = 0
        failed_artifacts: list[str] = []  # what the failed attempts looked like
        while True:
            attempts += 1
            await self.run.gate.wait_turn()  # RunStopped once the run stops: nothing was sent for this account
            ends_at = ends_at if ends_at is not None else time.monotonic() + limit_s
            progress = SignInProgress(stopped=self.run.gate.stopped)
            try:
                left_s = ends_at - time.monotonic()
                if left_s <= 0:
                    raise TimeoutError  # its time ran out before this attempt could start
                attempt = self._attempt(account, attempts, progress, failed_artifacts)
                outcome, kept = await asyncio.wait_for(attempt, min(left_s, self._attempt_limit_s(account)))
                break
            except SignInStopped:
                raise RunStopped from None
            except Exception as exc:
                kept = []
                if isinstance(exc, TimeoutError) and time.monotonic() >= ends_at:
                    outcome = AccountOutcome(Status.SITE_ERROR, ACCOUNT_TIMED_OUT.format(limit=limit_s))
                    break
                failed = await self._after_failure(exc, progress.phase, attempts, account)
                if failed is None:
                    continue  # tried again: the password cannot have reached the site
                outcome = failed
                break
        if outcome.status is Status.SITE_ERROR:
            kept = [*failed_artifacts, *kept]
        return Checked(outcome, Effort(attempts, round(time.monotonic() - started, 3), tuple(kept)))

    async def _after_failure(
        self, exc: Exception, phase: Phase, attempts: int, account: Account
    ) -> AccountOutcome | None:
        """The account's result after a failed attempt, or None once a pause before the next is over
        (verifier.run._retry decides which)."""
        decision = retry_policy.decide(exc, phase, timeout_s=self.run.settings.timeout_s)
        # An exception's text may quote the site (a sign-on alert): scrubbed like any site text.
        message = scrub_text(decision.message, account)
        if decision.internal:
            trace = scrub_text("".join(traceback.format_exception(exc)).rstrip(), account)
            log.warning("%s: %s\n%s", account.username, message, trace)
        if decision.retry:
            await self.run.host.restart_if_gone()
            if attempts <= self.run.settings.retries and not self.run.stopping():
                await self.run.gate.pause(retry_policy.backoff_s(attempts, exc))
                return None
            message = f"{message} (after {attempts} attempts)"
        return AccountOutcome(Status.SITE_ERROR, message)

    def _attempt_limit_s(self, account: Account) -> float:
        """A safety net for one whole attempt: each page and each answer has its own `timeout_s`, and an
        attempt waits for at most 6 of them besides two per court."""
        return self.run.settings.timeout_s * (6 + 2 * len(account.courts))

    async def _attempt(
        self, account: Account, attempt: int, progress: SignInProgress, failed_artifacts: list[str]
    ) -> tuple[AccountOutcome, list[str]]:
        """One try, and the artifacts it kept; a try that raises leaves its screenshot in `failed_artifacts`."""
        run, settings = self.run, self.run.settings
        status: Status | None = None
        kept: list[str] = []
        sessions = Sessions()  # what this attempt opens on PACER, ended before its context closes
        async with run.host.session() as page:
            context = page.context
            try:
                await run.recorder.start(context)
                timeout_ms = settings.timeout_s * 1000
                page.set_default_timeout(timeout_ms)
                try:
                    outcome = await verify_account(
                        page,
                        account,
                        run.site,
                        timeout_ms=timeout_ms,
                        courts=run.courts,
                        check_courts=settings.check_courts,
                        progress=progress,
                        sign_in=run.switch,
                        codes=self.ledger.source(run.site.login_origin, account.username),
                        sessions=sessions,
                    )
                    if outcome.other_account:
                        _say_other_account(account)
                except BaseException:
                    # Not while the run stops or this check is cancelled: a page still loading holds a
                    # screenshot up to its 10 s, and the logout, then the exit, must not wait for it.
                    if not (run.stopping() or being_cancelled()):
                        failed_artifacts += await run.recorder.screenshot(page, account, attempt, Status.SITE_ERROR)
                    raise
                status = outcome.status
                kept += await run.recorder.screenshot(page, account, attempt, status)
            finally:
                try:
                    kept += await run.recorder.stop(context, account, attempt, status)
                finally:  # after the evidence, whatever the outcome (the screenshot shows what the check saw)
                    await end_sessions(
                        page,
                        run.site,
                        account.username,
                        sessions,
                        timeout_s=settings.timeout_s,
                        stopping=run.stopping(),
                    )
        return outcome, kept


def _say_other_account(account: Account) -> None:
    log.error(
        "%s: Manage My Account showed ANOTHER ACCOUNT after signing in as %s; nothing was read from it "
        "(check this account by hand)",
        account.display_name,
        account.username,
    )
