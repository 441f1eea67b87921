"""Each one-time code spent once per account, within a run and across runs (RFC 6238 section 5.2).

A verifier must not accept the same code twice, and PACER counts a refused code as a failed sign-in.
So before a code is made, the ledger looks up the last 30-second step used for that account, waits for
the next step when it is the current one (at most 30 s, said in the log), and records the new step
*before* the code is sent: a code that may have reached the site is spent.

One exception, and only one: a step may be given back (`AccountCodes.give_back`) when the answer proves
that no verifier saw its code. The only such answer is the Authentication API's HTTP 404, 405 or 501 (no
such service, `flows.errors.ApiAbsent`): the request was never processed, so the code was never checked,
and RFC 6238's "once" is about what a verifier accepted. Then the sign-on form, which follows at once, may
use the same step instead of waiting for the next. Timeouts, dropped connections, other 5xx and every
readable answer keep the step spent: the site may have checked the code. The step goes back, under the
same file lock, only while the file still holds it: once anybody (a coroutine or another process) has
taken a later step, giving back would let a step be reused, so it does nothing.

The ledger is a folder of small files in the user's state directory (`platformdirs`; or
`PACER_VERIFY_STATE_DIR`): one per account, named by a hash of the site's origin and the username
(never the secret), mode 0600, holding only the step number. A lock file beside each (`filelock`)
makes two processes (`check` while `bulk` runs) take different steps.

Codes are made on the site's clock: the first code for a site reads its `Date` header
(verifier.check.site_clock) and warns when the clocks are more than 10 s apart.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import os
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import platformdirs
from filelock import FileLock
from pydantic import SecretStr

from flows.otp import PERIOD_S, CodeSource, code_at, step_at
from verifier.check.site_clock import ClockReading, clock_sentence, read_site_clock
from verifier.system import files

log = logging.getLogger(__name__)

STATE_DIR_ENV = "PACER_VERIFY_STATE_DIR"
LEDGER_FOLDER = "otp-steps"


def state_dir() -> Path:
    """Where pacer-verify keeps what must outlive a run: `PACER_VERIFY_STATE_DIR`, else the user's
    state directory (e.g. ~/.local/state/pacer-verify on Linux)."""
    given = os.environ.get(STATE_DIR_ENV, "").strip()
    return Path(given).expanduser() if given else platformdirs.user_state_path("pacer-verify")


def account_key(origin: str, username: str) -> str:
    """The file name for one PACER account on one site: a hash, so the folder names nobody."""
    return hashlib.sha256(f"{origin.lower()}\n{username.strip().lower()}".encode()).hexdigest()[:40]


Waiting = Callable[[str, float], None]
"""Told (username, seconds) before a wait for the next step."""


def _log_wait(username: str, seconds: float) -> None:
    log.warning(
        "%s: waiting %.0f s for a new one-time code (this step's code was already used for the account; "
        "the site refuses a code twice)",
        username,
        seconds,
    )


@dataclass(frozen=True)
class Taken:
    """A step recorded as used, and the step the account's file held before (None: no file), so that it
    can be given back (`OtpLedger.give_back`)."""

    step: int
    before: int | None


class OtpLedger:
    """The steps used per account; `source(origin, username)` is what the sign-in flows ask for codes."""

    def __init__(
        self,
        directory: Path | None = None,
        *,
        on_wait: Waiting = _log_wait,
        read_clock: Callable[[str], ClockReading | None] = read_site_clock,
        now: Callable[[], float] = time.time,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.directory = (directory or state_dir()) / LEDGER_FOLDER
        self.on_wait = on_wait
        self._read_clock = read_clock
        self._now = now  # this machine's clock; a test may fix it to know which step is taken
        self._sleep = sleep  # the wait for the next step; a test moves its clock instead of waiting
        self._clocks: dict[str, ClockReading | None] = {}
        self._clock_lock = asyncio.Lock()
        self._account_locks: dict[str, asyncio.Lock] = {}

    # --- the site's clock ---------------------------------------------------------------------------

    async def clock(self, origin: str) -> ClockReading | None:
        """The site's clock, read once per site and ledger (with the warning, once)."""
        async with self._clock_lock:
            if origin not in self._clocks:
                reading = await asyncio.to_thread(self._read_clock, origin)
                self._clocks[origin] = reading
                if reading is not None and reading.differs:
                    log.warning("%s", reading.warning())
        return self._clocks[origin]

    def offset_s(self, origin: str) -> float | None:
        """The offset applied to codes for `origin` (None before the first code or when it could not be read)."""
        reading = self._clocks.get(origin)
        return reading.offset_s if reading is not None else None

    # --- codes ----------------------------------------------------------------------------------------

    def source(self, origin: str, username: str) -> AccountCodes:
        """The code maker the flows are given for one account."""
        return AccountCodes(self, origin, username)

    async def spend(self, origin: str, username: str, secret: SecretStr) -> str:
        """A code of a step never used for this account, recorded as used before it is returned."""
        taken = await self.take(origin, username)
        return code_at(secret.get_secret_value(), taken.step * PERIOD_S)

    async def take(self, origin: str, username: str) -> Taken:
        """A step never used for this account, recorded as used, and what the ledger held before it."""
        reading = await self.clock(origin)
        offset = reading.offset_s if reading is not None else 0.0
        key = account_key(origin, username)
        # One coroutine at a time per account in this process; the file lock does it across processes.
        async with self._account_locks.setdefault(key, asyncio.Lock()):
            while True:
                site_now = self._now() + offset
                taken = await asyncio.to_thread(self._take_step, key, step_at(site_now))
                if taken is not None:
                    return taken
                wait = (step_at(site_now) + 1) * PERIOD_S - site_now + 0.05
                self.on_wait(username, wait)
                await self._sleep(wait)

    async def take_current(self, origin: str, username: str) -> Taken | None:
        """The step of now, recorded as used for the account; None when it (or a later one) was used
        already. For a code a person typed (`serve`): it is refused then, before it is sent, rather than
        sent a second time in its step or held back until the next."""
        reading = await self.clock(origin)
        offset = reading.offset_s if reading is not None else 0.0
        key = account_key(origin, username)
        async with self._account_locks.setdefault(key, asyncio.Lock()):
            return await asyncio.to_thread(self._take_step, key, step_at(self._now() + offset))

    async def give_back(self, origin: str, username: str, taken: Taken) -> bool:
        """Undo `take` for a step whose code provably reached no verifier (see the module's docstring):
        the file holds `taken.before` again, but only if it still holds `taken.step`. True if given back.

        Not under the per-account asyncio lock: a coroutine may hold that while it sleeps for the next
        step, and the file lock alone decides (it also excludes threads of this process)."""
        try:
            return await asyncio.to_thread(self._give_back_step, account_key(origin, username), taken)
        except OSError as exc:
            # Keeping the step spent is always safe: the next code just waits for a new step.
            log.debug("one-time code step %d not given back: %s", taken.step, exc)
            return False

    def last_step(self, origin: str, username: str) -> int | None:
        """The last step recorded for an account (tests, diagnostics)."""
        return self._read(self._path(account_key(origin, username)))

    def _take_step(self, key: str, step: int) -> Taken | None:
        """Record `step` as used and return it, unless it (or a later one) was used already: None."""
        self._ensure_directory()
        path = self._path(key)
        with self._file_lock(path):
            last = self._read(path)
            if last is not None and step <= last:
                return None
            self._write(path, step)
        return Taken(step, last)

    def _give_back_step(self, key: str, taken: Taken) -> bool:
        path = self._path(key)
        if not path.exists():
            return False  # nothing recorded (the folder was cleared): nothing to give back
        with self._file_lock(path):
            if self._read(path) != taken.step:
                return False  # a later step was taken since: giving back would let that one be reused
            if taken.before is None:
                path.unlink(missing_ok=True)  # no step was recorded before this one
            else:
                self._write(path, taken.before)
        log.debug("one-time code step %d given back: no verifier saw its code", taken.step)
        return True

    @staticmethod
    def _file_lock(path: Path) -> FileLock:
        return FileLock(str(path.with_suffix(".lock")), mode=0o600, thread_local=False)

    def _path(self, key: str) -> Path:
        return self.directory / f"{key}.step"

    def _ensure_directory(self) -> None:
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        with contextlib.suppress(OSError):
            self.directory.chmod(0o700)  # a folder made earlier by a looser umask

    @staticmethod
    def _read(path: Path) -> int | None:
        try:
            return int(path.read_text(encoding="ascii").strip())
        except (OSError, ValueError):
            return None  # none yet, or unreadable: the site's own check still refuses a replay

    def _write(self, path: Path, step: int) -> None:
        # A whole file or none: a crash mid-write must not leave a step that reads as "none used".
        handle, temporary = tempfile.mkstemp(dir=self.directory, prefix=".step-")
        try:
            files.make_private(handle)
            os.write(handle, f"{step}\n".encode("ascii"))
            os.fsync(handle)
        finally:
            os.close(handle)
        os.replace(temporary, path)


class AccountCodes:
    """One account's codes (a `flows.otp.CodeSource`), and what the clock was when they were made."""

    def __init__(self, ledger: OtpLedger, origin: str, username: str) -> None:
        self.ledger = ledger
        self.origin = origin
        self.username = username
        self._taken: Taken | None = None  # the step of the last code made, until given back

    async def __call__(self, secret: SecretStr) -> str:
        taken = await self.ledger.take(self.origin, self.username)
        self._taken = taken
        return code_at(secret.get_secret_value(), taken.step * PERIOD_S)

    async def give_back(self) -> bool:
        """Give back the step of the last code made here, which the caller knows no verifier saw (the
        Authentication API answered "no such service"). At most once per code; True if given back."""
        taken, self._taken = self._taken, None
        if taken is None:
            return False
        return await self.ledger.give_back(self.origin, self.username, taken)

    def clock_sentence(self) -> str:
        return clock_sentence(self.ledger.offset_s(self.origin))


def otp_clock_sentence(codes: CodeSource) -> str:
    """For a result whose one-time code the site refused (`otp_rejected`): whether this machine's clock and
    the site's differed when the code was made, so the reader knows to look at the clock or the secret."""
    sentence = getattr(codes, "clock_sentence", None)
    return sentence() if callable(sentence) else "the code was made on this machine's clock (the site's was not read)"


async def give_back_unseen(codes: CodeSource) -> bool:
    """Give back the last code's step when the code source can (an `AccountCodes`); a plain source (such as
    `flows.otp.code_now`) remembers nothing, so there is nothing to give back. Call only when the code's
    request provably reached no verifier (the module's docstring says which answer that is)."""
    give_back: Callable[[], Awaitable[bool]] | None = getattr(codes, "give_back", None)
    return await give_back() if callable(give_back) else False
