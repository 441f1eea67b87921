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
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

from verifier.browser.host import BrowserHost
from verifier.check.site import SiteMap
from verifier.config import Settings

T = TypeVar("T")

#: How long the main thread waits at a time: the longest a Ctrl-C waits to be noticed.
_SLICE_S = 0.2


class EarlyBrowser:
    """Starts the browser now; `run` a coroutine on its loop later; `close` always."""

    def __init__(self, settings: Settings, site: SiteMap) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="pacer-verify-browser", daemon=True)
        self._thread.start()
        # One account, then the browser closes: its context is closed after it, never wiped for another.
        self.host = BrowserHost(settings, site=site, reuse=False)
        self._warming = asyncio.run_coroutine_threadsafe(self.host.warm(), self._loop)
        self._closed = False

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
        """Close what was started (after a launch still under way has ended), and end the loop's thread."""
        if self._closed:
            return
        self._closed = True
        try:
            with contextlib.suppress(Exception):  # a failed launch left nothing to close but its driver
                _waited(self._warming)
            _waited(asyncio.run_coroutine_threadsafe(self.host.close(), self._loop))
            _waited(asyncio.run_coroutine_threadsafe(self._loop.shutdown_asyncgens(), self._loop))
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join()
            self._loop.close()


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
