"""Whether a sign-in may start now: the run's rate limit, its stop, and the hold while the run switches
from the Authentication API to the sign-on form.

A stop (a signal, the lockout rule, a switch whose form did not work) ends every wait here at once, and
no sign-in starts after it: a worker waiting for its turn gets `RunStopped`, and the flows ask
`SignInProgress.before_sending` (wired to `stopped`) right before the password leaves the browser.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from verifier.errors import RunStopped as RunStopped
from verifier.run._ratelimit import RateLimiter

log = logging.getLogger(__name__)


class SignInGate:
    def __init__(self, per_minute: float, stop: asyncio.Event, on_stop: Callable[[str], None]) -> None:
        self._limiter = RateLimiter(per_minute)
        self._stop = stop
        self._on_stop = on_stop
        self._switch_settled = asyncio.Event()
        self._switch_settled.set()
        self._fallback_taken = False

    def stopped(self) -> bool:
        return self._stop.is_set()

    async def wait_turn(self) -> None:
        """Until this sign-in may start: no switch pending, and the rate limit's turn come. Raises
        `RunStopped` as soon as the run stops, wherever the wait is."""
        while True:
            await self._unless_stopped(self._switch_settled.wait())
            await self._unless_stopped(self._limiter.acquire())
            if self._switch_settled.is_set():  # a switch that began during the rate wait holds this one too
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

    # --- the API → form switch ------------------------------------------------------------------------

    def claim_fallback(self) -> bool:
        """Manage My Account refused an API session. The first account to see it may sign in with the
        form (the run's one extra sign-in), and new sign-ins wait until that shows whether the form
        works; every later refused account is not signed in again."""
        if self._fallback_taken:
            return False
        self._fallback_taken = True
        self._switch_settled.clear()
        return True

    def settle_switch(self, form_works: bool) -> None:
        """The fallback account's check ended: release the held sign-ins (on the form), or stop the run
        when the form did not work either."""
        if not form_works:
            self._on_stop(
                "stopped: Manage My Account did not take the Authentication API's session, and the "
                "sign-on form did not sign in either; check one account by hand before running again"
            )
        self._switch_settled.set()
