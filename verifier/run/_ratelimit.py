"""A run-wide limit on how often a sign-in may start, so a large roster never hammers PACER."""

from __future__ import annotations

import asyncio
import time


class RateLimiter:
    """Spaces events at least 60/rate seconds apart (no bursts); rate 0 means no limit."""

    def __init__(self, per_minute: float) -> None:
        self.interval = 60.0 / per_minute if per_minute > 0 else 0.0
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        if not self.interval:
            return
        async with self._lock:
            now = time.monotonic()
            wait = self._next - now
            self._next = max(now, self._next) + self.interval
        if wait > 0:
            await asyncio.sleep(wait)
