"""Each one-time code spent once per account, within a run and across runs (RFC 6238 section 5.2).

A verifier must not accept the same code twice, and PACER counts a refused code as a failed sign-in.
So before a code is made, the ledger looks up the last 30-second step used for that account, waits for
the next step when it is the current one (at most 30 s, said in the log), and records the new step
*before* the code is sent: a code that may have reached the site is spent.

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
from collections.abc import Callable
from pathlib import Path

import platformdirs
from filelock import FileLock
from pydantic import SecretStr

from flows.otp import PERIOD_S, CodeSource, code_at, step_at
from verifier.check.site_clock import ClockReading, clock_sentence, read_site_clock

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


class OtpLedger:
    """The steps used per account; `source(origin, username)` is what the sign-in flows ask for codes."""

    def __init__(
        self,
        directory: Path | None = None,
        *,
        on_wait: Waiting = _log_wait,
        read_clock: Callable[[str], ClockReading | None] = read_site_clock,
    ) -> None:
        self.directory = (directory or state_dir()) / LEDGER_FOLDER
        self.on_wait = on_wait
        self._read_clock = read_clock
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
        reading = await self.clock(origin)
        offset = reading.offset_s if reading is not None else 0.0
        key = account_key(origin, username)
        # One coroutine at a time per account in this process; the file lock does it across processes.
        async with self._account_locks.setdefault(key, asyncio.Lock()):
            while True:
                site_now = time.time() + offset
                step = await asyncio.to_thread(self._take_step, key, step_at(site_now))
                if step is not None:
                    return code_at(secret.get_secret_value(), step * PERIOD_S)
                wait = (step_at(site_now) + 1) * PERIOD_S - site_now + 0.05
                self.on_wait(username, wait)
                await asyncio.sleep(wait)

    def last_step(self, origin: str, username: str) -> int | None:
        """The last step recorded for an account (tests, diagnostics)."""
        return self._read(self._path(account_key(origin, username)))

    def _take_step(self, key: str, step: int) -> int | None:
        """Record `step` as used and return it, unless it (or a later one) was used already: None."""
        self._ensure_directory()
        path = self._path(key)
        with FileLock(str(path.with_suffix(".lock")), mode=0o600, thread_local=False):
            last = self._read(path)
            if last is not None and step <= last:
                return None
            self._write(path, step)
        return step

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
            os.fchmod(handle, 0o600)
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

    async def __call__(self, secret: SecretStr) -> str:
        return await self.ledger.spend(self.origin, self.username, secret)

    def clock_sentence(self) -> str:
        return clock_sentence(self.ledger.offset_s(self.origin))


def otp_clock_sentence(codes: CodeSource) -> str:
    """For a result whose one-time code the site refused (`otp_rejected`): whether this machine's clock and
    the site's differed when the code was made, so the reader knows to look at the clock or the secret."""
    sentence = getattr(codes, "clock_sentence", None)
    return sentence() if callable(sentence) else "the code was made on this machine's clock (the site's was not read)"
