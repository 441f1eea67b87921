"""Loaded by the pacer_mock plugin for `--pacer-loopback-only` / `pacer_loopback_only = true` only:
every test gets the loopback guard, and every context pytest-playwright makes is sealed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from verifier.mock.pytest_plugin import seal_context

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext


@pytest.fixture(autouse=True)
def _pacer_loopback_every_test(pacer_loopback_guard: Path) -> Path:
    return pacer_loopback_guard


@pytest.fixture
def new_context(new_context: Callable[..., BrowserContext], pacer_loopback_seal: Path) -> Callable[..., BrowserContext]:
    """pytest-playwright's `new_context` (and so `context` and `page`), sealed to loopback."""

    def sealed(**kwargs: Any) -> BrowserContext:
        context = new_context(**kwargs)
        seal_context(context)
        return context

    return sealed
