"""Whether a sign-in may start now: the run's rate limit, its stop, and the hold while an account makes
the run's switch from the Authentication API to the sign-on form (verifier.check.verify.SignInSwitch
decides the switch; this only waits for it).

A stop (a signal, the lockout rule, a switch whose form did not work) ends every wait here at once, and
no sign-in starts after it: a worker waiting for its turn gets `RunStopped`, and the flows ask
`SignInProgress.before_sending` (wired to `stopped`) right before the password leaves the browser.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from verifier.check.verify import SignInSwitch
from verifier.errors import RunStopped as RunStopped
from verifier.run._ratelimit import RateLimiter

log = logging.getLogger(__name__)


class SignInGate:
    def __init__(
        self,
        per_minute: float,
        stop: asyncio.Event,
        on_stop: Callable[[str], None],
        switch: SignInSwitch | None = None,
    ) -> None:
        self._limiter = RateLimiter(per_minute)
        self._stop = stop
        self._on_stop = on_stop
        self._switch = switch or SignInSwitch()

    def stopped(self) -> bool:
        return self._stop.is_set()

    def stop(self, reason: str) -> None:
        """Stop the run: every wait here ends, and no sign-in starts after this."""
        self._on_stop(reason)

    async def wait_turn(self) -> None:
        """Until this sign-in may start: no switch pending, and the rate limit's turn come. Raises
        `RunStopped` as soon as the run stops, wherever the wait is."""
        while True:
            await self._unless_stopped(self._switch.wait_settled())
            await self._unless_stopped(self._limiter.acquire())
            if self._switch.settled:  # a switch that began during the rate wait holds this one too
                break
        if self._stop.is_set():
            raise RunStopped

    async def pause(self, seconds: float) -> None:
        """A back-off between attempts, cut short (with `RunStopped`) by a stop."""
        await self._unless_stopped(asyncio.sleep(seconds))

    async def _unless_stopped(self, wait: Awaitable[object]) -> None:
        if self._stop.is_set():
            raise RunStopped
        waiting = asyncio.ensure_future(wait)
        stopping = asyncio.ensure_future(self._stop.wait())
        try:
            await asyncio.wait((waiting, stopping), return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (waiting, stopping):
                task.cancel()
            await asyncio.gather(waiting, stopping, return_exceptions=True)
        if self._stop.is_set():
            raise RunStopped
