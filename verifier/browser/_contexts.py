"""A new browser context and tab for every account, closed when its check ends.

A context is Chromium's whole private profile: cookies, storage, cache, permissions, service workers.
Closing it after each account and opening a new one for the next is the strongest isolation between
attorneys there is, and it costs no more than wiping a reused context for the next account (the
design before issue 31: about:blank, DevTools' `Storage.clearDataForOrigin` for each origin touched,
`Network.clearBrowserCache`, cookies, permissions): bench/floor.py's `api` probe, which samples the
process tree, gave 0.121-0.128 CPU-s reused and wiped against 0.087-0.095 new; counted machine-wide
(`/proc/stat`, 150 accounts, three runs each) the two are the same (bench/README.md).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable

from playwright.async_api import BrowserContext, Page
from playwright.async_api import Error as PlaywrightError


class AccountContexts:
    """Opens a context and its tab per account session; `warm` opens the first one ahead of its account."""

    def __init__(self, open_context: Callable[[], Awaitable[BrowserContext]]) -> None:
        self._open_context = open_context
        self._ready: Page | None = None
        self._warming = asyncio.Lock()

    async def warm(self) -> None:
        """Open one context and tab ahead of its account (while the command still reads its input)."""
        async with self._warming:
            if self._ready is None:
                self._ready = await self._new_page()

    async def _take(self) -> Page:
        async with self._warming:  # a context being warmed is this session's: it waits for it, opens no other
            page, self._ready = self._ready, None
        return page if page is not None else await self._new_page()

    @contextlib.asynccontextmanager
    async def session(self) -> AsyncIterator[Page]:
        """A tab in a context no other account has used; the context is closed when the session ends."""
        page = await self._take()
        try:
            yield page
        finally:
            with contextlib.suppress(PlaywrightError):
                await page.context.close()

    async def _new_page(self) -> Page:
        context = await self._open_context()
        try:
            return await context.new_page()
        except BaseException:
            with contextlib.suppress(PlaywrightError):
                await context.close()
            raise

    async def close(self) -> None:
        page, self._ready = self._ready, None
        if page is not None:
            with contextlib.suppress(PlaywrightError):
                await page.context.close()
