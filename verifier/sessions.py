"""Browser contexts kept open and reused from one account to the next, wiped in between.

Opening a fresh context for every account costs the browser a new storage partition each time;
reusing a few long-lived ones is faster (see bench/README.md). Isolation is kept: each account gets
a new tab (so sessionStorage starts empty), and on the way out the context loses its cookies, and
every origin the account touched loses its storage (localStorage, IndexedDB, caches) through
Chromium's Storage domain. Where that is not available, the context is closed instead.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from urllib.parse import urlsplit

from playwright.async_api import BrowserContext, Page
from playwright.async_api import Error as PlaywrightError


class ContextPool:
    def __init__(self, open_context: Callable[[], Awaitable[BrowserContext]]) -> None:
        self._open_context = open_context
        self._idle: list[BrowserContext] = []

    @contextlib.asynccontextmanager
    async def session(self) -> AsyncIterator[Page]:
        """A fresh tab in a clean context, for one account."""
        context, page = await self._fresh_page()
        origins: set[str] = set()
        page.on("request", lambda request: origins.add(_origin(request.url)))
        clean = False
        try:
            yield page
            clean = True
        finally:
            if clean and await _wipe(context, page, origins):
                self._idle.append(context)
            else:
                # After a failure nothing about the context is trusted: throw it away.
                with contextlib.suppress(PlaywrightError):
                    await context.close()

    async def _fresh_page(self) -> tuple[BrowserContext, Page]:
        while self._idle:
            context = self._idle.pop()
            try:
                return context, await context.new_page()
            except PlaywrightError:  # its browser crashed or was restarted since
                continue
        context = await self._open_context()
        return context, await context.new_page()

    async def close(self) -> None:
        contexts, self._idle = self._idle, []
        for context in contexts:
            with contextlib.suppress(PlaywrightError):
                await context.close()


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") else ""


async def _wipe(context: BrowserContext, page: Page, origins: set[str]) -> bool:
    """Leave the context as a new one would be; False when that cannot be guaranteed."""
    try:
        cdp = await context.new_cdp_session(page)
        for origin in sorted(o for o in origins if o):
            await cdp.send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "all"})
        await cdp.send("Network.clearBrowserCache")
        await cdp.detach()
        await context.clear_cookies()
        await context.clear_permissions()
        await page.close()
        return True
    except (PlaywrightError, asyncio.CancelledError):
        return False
