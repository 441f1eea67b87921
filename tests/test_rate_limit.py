"""--rate: sign-ins spaced out to the rate per minute; 0 is unlimited.

The limiter is driven on a clock of the test's own (its waits are recorded, not slept), so what is
asserted is the spacing the limiter asks for, whatever the machine's load.
"""

from __future__ import annotations

import asyncio
import types
from collections.abc import Callable

import pytest

from verifier.run import _ratelimit
from verifier.run._ratelimit import RateLimiter


class _Clock:
    """Stands in for `time.monotonic` and `asyncio.sleep` inside the limiter: sleeping moves the clock."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.waits: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.waits.append(round(seconds, 6))


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> _Clock:
    fake = _Clock()
    monkeypatch.setattr(_ratelimit, "time", types.SimpleNamespace(monotonic=fake.monotonic))
    monkeypatch.setattr(_ratelimit, "asyncio", types.SimpleNamespace(sleep=fake.sleep, Lock=asyncio.Lock))
    return fake


def test_rate_limit_spaces_sign_ins(clock: _Clock, run_core: Callable[..., object]) -> None:
    async def three() -> None:
        limiter = RateLimiter(per_minute=600)  # one per 0.1 s
        await asyncio.gather(*(limiter.acquire() for _ in range(3)))

    run_core(three())
    assert clock.waits == [0.1, 0.2]  # the first starts at once, the next two 0.1 s apart


def test_rate_zero_is_unlimited(clock: _Clock, run_core: Callable[..., object]) -> None:
    async def many() -> None:
        limiter = RateLimiter(per_minute=0)
        await asyncio.gather(*(limiter.acquire() for _ in range(100)))

    run_core(many())
    assert clock.waits == []
