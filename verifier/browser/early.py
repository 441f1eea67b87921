"""A browser started before `check` has read its input, and the check then run in it.

`check` spends about as long getting ready (importing what a check needs, reading the courts, resolving
the account's references, finding the site reachable) as Playwright's driver and Chromium take to start.
So the browser, and the account's first context, start first, on an event loop of their own thread,
while the command reads its input on the main thread; the check then runs on that same loop (Playwright's
objects belong to the loop that made them). The browser is the one a run would launch
(verifier.browser.host), with the origin guard's switches.

What stays as it was without the early start:
- every browser started here is closed: `close()` (the caller's `finally`) waits for a launch still
  under way to end, then closes what it made, so a usage error found while reading the input leaves no
  browser behind;
- Ctrl-C (and Windows' Ctrl-Break, verifier.system.signals) while the check runs cancels it on its loop,
  as `asyncio.run` does on the main thread: the check's own cleanup runs (its logout, the browser's
  close), then KeyboardInterrupt goes on to the command (exit 130). A second Ctrl-C stops waiting.
  The main thread waits in short slices: a wait without a timeout is not interrupted on Windows.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import functools
import os
import threading
from collections.abc import Coroutine, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from verifier.browser._driver_env import DEBUG_VARIABLES

if TYPE_CHECKING:
    from playwright.async_api import Playwright

    from verifier.browser.host import BrowserHost
    from verifier.check.site import SiteMap
    from verifier.config import Settings

T = TypeVar("T")

#: How long the main thread waits at a time: the longest a Ctrl-C waits to be noticed.
_SLICE_S = 0.2


class EarlyBrowser:
    """Starts Playwright's driver now, on a loop of its own thread; `launch` the browser (and its first
    context) when the settings are known; `run` the check on that loop; `close` always."""

    def __init__(self, debug_playwright: bool = False) -> None:
        # Playwright is imported here, before the thread starts: importing it there, side by side with
        # the main thread's imports, would hold the driver's start back by as long again.
        import playwright.async_api  # noqa: F401

        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="pacer-verify-browser", daemon=True)
        self._thread.start()
        self._debug = debug_playwright
        self._driver = asyncio.run_coroutine_threadsafe(_start_driver(debug_playwright), self._loop)
        self._host: BrowserHost | None = None
        self._warming: concurrent.futures.Future[None] | None = None
        self._closed = False

    def launch(self, settings: Settings, site: SiteMap) -> BrowserHost:
        """The run's browser host, its browser starting now (with the origin guard's switches)."""
        from verifier.browser.host import BrowserHost

        self._host = BrowserHost(settings, site=site)
        self._warming = asyncio.run_coroutine_threadsafe(self._warm(self._host, settings), self._loop)
        return self._host

    async def _warm(self, host: BrowserHost, settings: Settings) -> None:
        try:
            driver = await asyncio.wrap_future(self._driver)
        except Exception:  # the host starts its own, and says what went wrong
            driver = None
        if driver is not None:
            if settings.debug_playwright != self._debug:  # the host starts one with the switches asked for
                await driver.stop()
            else:
                host.adopt(driver)
        await host.warm()

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run `coro` on the browser's loop and return what it returns (or raise what it raises)."""
        done: concurrent.futures.Future[T] = concurrent.futures.Future()
        task = _waited(asyncio.run_coroutine_threadsafe(_started(coro, done), self._loop))
        try:
            return _waited(done)
        except KeyboardInterrupt:
            # As asyncio.run does: cancel the check, let its cleanup run, then stop with the interrupt.
            self._loop.call_soon_threadsafe(task.cancel)
            with contextlib.suppress(Exception, concurrent.futures.CancelledError):
                _waited(done)
            raise

    def close(self) -> None:
        """Close what was started (after a start still under way has ended), and end the loop's thread."""
        if self._closed:
            return
        self._closed = True
        try:
            started: list[concurrent.futures.Future[Any]] = [self._driver, *([self._warming] if self._warming else [])]
            for start in started:
                with contextlib.suppress(Exception):  # a failed start left nothing to close but a driver
                    _waited(start)
            _waited(asyncio.run_coroutine_threadsafe(self._stop(), self._loop))
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join()
            self._loop.close()

    async def _stop(self) -> None:
        if self._host is not None:
            await self._host.close()  # the driver too, once adopted
        if self._driver.done() and self._driver.exception() is None and self._host is None:
            await self._driver.result().stop()  # never launched (a usage error): the driver alone
        await self._loop.shutdown_asyncgens()


async def _start_driver(debug_playwright: bool) -> Playwright:
    from playwright.async_api import async_playwright  # imported already (EarlyBrowser)

    from verifier.browser._driver_env import driver_environment

    with driver_environment(debug_playwright):
        return await async_playwright().start()


# --- the one started before the command line is read (verifier.cli), for the command to take ---------

_begun: EarlyBrowser | None = None

#: Commands whose driver starts before the command line is read: Node boots it while Python imports
#: typer, pydantic and the settings.
COMMANDS = frozenset({"check"})


def wanted(argv: list[str], environ: Mapping[str, str] = os.environ) -> bool:
    """The command named is one of COMMANDS, and not asked for its help. Not when the driver's debug
    switches are in the environment: whether they may reach it is the settings' to say
    (--debug-playwright, verifier.browser._driver_env), so the command starts the driver itself."""
    named = next((arg for arg in argv if not arg.startswith("-")), None)
    debugging = any(name in environ for name in DEBUG_VARIABLES)
    return named in COMMANDS and not {"--help", "--version"} & set(argv) and not debugging


def begin() -> None:
    """Start the driver now, before the command line is parsed: the command `take`s it, or `discard`
    closes it (a usage error, Ctrl-C, --help)."""
    global _begun
    if _begun is None:
        _begun = EarlyBrowser()


def take(debug_playwright: bool = False) -> EarlyBrowser:
    """The driver `begin` started (the caller closes it), or a new one (the command run another way, or
    the driver's debug switches in the environment)."""
    global _begun
    taken, _begun = _begun, None
    return taken if taken is not None else EarlyBrowser(debug_playwright)


def discard() -> None:
    global _begun
    begun, _begun = _begun, None
    if begun is not None:
        begun.close()


async def _started(coro: Coroutine[Any, Any, T], done: concurrent.futures.Future[T]) -> asyncio.Task[T]:
    task = asyncio.ensure_future(coro)
    task.add_done_callback(functools.partial(_settle, done))
    return task


def _settle(done: concurrent.futures.Future[T], task: asyncio.Task[T]) -> None:
    if task.cancelled():
        done.cancel()
    elif (exc := task.exception()) is not None:
        done.set_exception(exc)
    else:
        done.set_result(task.result())


def _waited(future: concurrent.futures.Future[T]) -> T:
    """`future.result()`, waited for in slices so that Ctrl-C reaches the main thread on every platform."""
    while not future.done():
        concurrent.futures.wait([future], timeout=_SLICE_S)
    return future.result()
