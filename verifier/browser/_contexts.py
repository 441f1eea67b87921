"""A new browser context and tab for every account, closed when its check ends.

A context is Chromium's whole private profile: cookies, storage, cache, permissions, service workers.
Closing it after each account and opening a new one for the next is the strongest isolation between
attorneys there is, and it is also the cheaper way: wiping a reused context for the next account (the
design before issue 31: about:blank, DevTools' `Storage.clearDataForOrigin` for each origin touched,
`Network.clearBrowserCache`, cookies, permissions) cost more CPU per account than a new context and
tab (bench/floor.py's `api` probe: 0.121-0.128 CPU-s reused and wiped, 0.087-0.095 new; bench/README.md).
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
        self._ready: list[Page] = []
        self._warming = asyncio.Lock()

    async def warm(self) -> None:
        """Open one context and tab ahead of its account (while the command still reads its input)."""
        async with self._warming:
            if not self._ready:
                self._ready.append(await self._new_page())

    async def _take(self) -> Page:
        async with self._warming:  # a context being warmed is this session's: it waits for it, opens no other
            if self._ready:
                return self._ready.pop()
        return await self._new_page()

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
        pages, self._ready = self._ready, []
        for page in pages:
            with contextlib.suppress(PlaywrightError):
                await page.context.close()
