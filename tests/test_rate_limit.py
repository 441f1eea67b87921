"""--rate: sign-ins spaced out to the rate per minute; 0 is unlimited."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from verifier.run._ratelimit import RateLimiter


def test_rate_limit_spaces_sign_ins(run_core: Callable[..., float]) -> None:
    async def three() -> float:
        limiter = RateLimiter(per_minute=600)  # one per 0.1 s
        start = time.monotonic()
        await asyncio.gather(*(limiter.acquire() for _ in range(3)))
        return time.monotonic() - start

    assert run_core(three()) >= 0.19


def test_rate_zero_is_unlimited(run_core: Callable[..., float]) -> None:
    async def many() -> float:
        limiter = RateLimiter(per_minute=0)
        start = time.monotonic()
        await asyncio.gather(*(limiter.acquire() for _ in range(100)))
        return time.monotonic() - start

    assert run_core(many()) < 1.0
