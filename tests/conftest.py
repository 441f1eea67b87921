"""Suite-wide set-up: the browser to use, the loopback seal, and a home for pacer-verify's async core.

pytest-playwright's sync fixtures and a second Playwright in the same thread clash, so the core
(which is async) runs on its own event loop in a background thread, with a Browser injected into it.
Whole CLI commands run in a subprocess.
"""

from __future__ import annotations

import asyncio
import os
import sys
import threading
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from concurrent.futures import Future
from pathlib import Path
from typing import Any, TypeVar

import pytest
from playwright.async_api import Browser, async_playwright
from playwright.sync_api import BrowserContext as SyncBrowserContext
from playwright.sync_api import Route as SyncRoute

from verifier import netguard
from verifier.browser import launch_args, playwright_own_executable, resolve_browser

T = TypeVar("T")
REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures"


# --- the seal: every browser in the suite may reach loopback only --------------------------------


@pytest.fixture(scope="session", autouse=True)
def loopback_seal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Switch the guard on for this process and every pacer-verify subprocess the tests start."""
    log = tmp_path_factory.mktemp("guard") / "blocked.txt"
    log.touch()
    os.environ[netguard.LOOPBACK_ONLY_ENV] = "1"
    os.environ[netguard.GUARD_LOG_ENV] = str(log)
    yield log


@pytest.fixture(autouse=True)
def _fail_on_blocked_request(loopback_seal: Path) -> Iterator[None]:
    before = loopback_seal.read_text(encoding="utf-8")
    yield
    blocked = loopback_seal.read_text(encoding="utf-8")[len(before) :]
    if blocked.strip():
        pytest.fail(f"the browser tried to reach a non-loopback host:\n{blocked}", pytrace=False)


@pytest.fixture
def context(context: SyncBrowserContext) -> SyncBrowserContext:
    """pytest-playwright's context, sealed to loopback."""

    def guard(route: SyncRoute) -> None:
        if netguard.is_local_url(route.request.url):
            route.fallback()
        else:
            netguard.record_violation(route.request.url)
            route.abort("blockedbyclient")

    context.route("**/*", guard)
    return context


# --- which browser pytest-playwright launches ------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any], playwright: Any) -> dict[str, Any]:
    explicit = os.environ.get("PACER_VERIFY_BROWSER")
    choice = resolve_browser(Path(explicit) if explicit else None, playwright_own_executable(playwright))
    args = {**browser_type_launch_args, "args": launch_args()}
    if choice.executable:
        args["executable_path"] = str(choice.executable)
    return args


# --- the async core's own loop and browser ----------------------------------------------------------


class LoopThread:
    """An event loop in a daemon thread; `run()` blocks until a coroutine finishes there."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="pacer-verify-core", daemon=True)
        self.thread.start()

    def run(self, coro: Coroutine[Any, Any, T], timeout: float = 300) -> T:
        future: Future[T] = asyncio.run_coroutine_threadsafe(coro, self.loop)
        return future.result(timeout)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


@pytest.fixture(scope="session")
def core_loop() -> Iterator[LoopThread]:
    loop = LoopThread()
    yield loop
    loop.close()


@pytest.fixture(scope="session")
def core_browser(core_loop: LoopThread) -> Iterator[Browser]:
    """One async Browser for in-process tests of the core (flows, runner)."""

    async def start() -> tuple[Any, Browser]:
        manager = async_playwright()
        playwright = await manager.start()
        explicit = os.environ.get("PACER_VERIFY_BROWSER")
        choice = resolve_browser(Path(explicit) if explicit else None, playwright_own_executable(playwright))
        browser = await playwright.chromium.launch(
            executable_path=str(choice.executable) if choice.executable else None, args=launch_args()
        )
        return playwright, browser

    playwright, browser = core_loop.run(start())
    yield browser

    async def stop() -> None:
        await browser.close()
        await playwright.stop()

    core_loop.run(stop())


@pytest.fixture
def run_core(core_loop: LoopThread) -> Callable[..., T]:
    """Run a coroutine of the core on the core's loop: `run_core(verify(...))`."""

    def run(awaitable: Awaitable[T], timeout: float = 900) -> T:
        async def wrapper() -> T:
            return await awaitable

        return core_loop.run(wrapper(), timeout)

    return run


# --- running the real CLI ------------------------------------------------------------------------


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    """The environment for a pacer-verify subprocess: no user .env, no real credentials."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PACER_USERNAME", "PACER_PASSWORD"))}
    env.pop("PACER_OTP_SECRET", None)
    env["PYTHONUNBUFFERED"] = "1"
    env["HOME"] = str(tmp_path)
    return env


PYTHON = sys.executable
