"""Browser contexts and tabs kept open and reused from one account to the next, wiped in between.

A new tab costs Chromium a renderer process and a new context a storage partition; reusing a few
long-lived ones is what makes bulk runs fast (see bench/README.md). Isolation is kept: after each
account the context loses its cookies and permissions, every origin the account touched loses its
storage (cookies, localStorage, IndexedDB, caches, service workers, and the tab's sessionStorage)
through Chromium's DevTools protocol, the HTTP cache is emptied, and the tab goes back to
about:blank. Where any of that fails, the context is closed instead and a new one is made.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from playwright.async_api import BrowserContext, CDPSession, Page, Request
from playwright.async_api import Error as PlaywrightError


@dataclass
class _Slot:
    context: BrowserContext
    page: Page
    cdp: CDPSession | None
    """None when the pool does not reuse its contexts: only the wipe needs it."""
    origins: set[str] = field(default_factory=set)

    def note(self, request: Request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https"):
            self.origins.add(f"{parts.scheme}://{parts.netloc}")


class ContextPool:
    """`reuse` False (one account, then the browser closes: `check`): each context is closed after its
    account instead of wiped, and no DevTools session is opened for a wipe that would never come."""

    def __init__(self, open_context: Callable[[], Awaitable[BrowserContext]], *, reuse: bool = True) -> None:
        self._open_context = open_context
        self._reuse = reuse
        self._idle: list[_Slot] = []
        self._distrusted: set[Page] = set()
        self._warming = asyncio.Lock()

    async def warm(self) -> None:
        """Open one clean slot ahead of its account (while the command still reads its input)."""
        async with self._warming:
            if not self._idle:
                self._idle.append(await self._new_slot())

    async def _take(self) -> _Slot:
        async with self._warming:  # a slot being warmed is this session's: it waits for it, opens no other
            if self._idle:
                return self._idle.pop()
        return await self._new_slot()

    def discard(self, page: Page) -> None:
        """Close this page's context when its session ends instead of reusing it: it showed another
        account's session, and no wipe is trusted to have removed everything of it."""
        self._distrusted.add(page)

    @contextlib.asynccontextmanager
    async def session(self) -> AsyncIterator[Page]:
        """A clean tab in a clean context, for one account."""
        slot = await self._take()
        slot.page.on("request", slot.note)
        clean = False
        try:
            yield slot.page
            clean = True
        finally:
            slot.page.remove_listener("request", slot.note)
            if slot.page in self._distrusted:
                self._distrusted.discard(slot.page)
                clean = False
            if clean and self._reuse and await _wipe(slot):
                self._idle.append(slot)
            else:
                # After a failure nothing about the context is trusted: throw it away.
                with contextlib.suppress(PlaywrightError):
                    await slot.context.close()

    async def _new_slot(self) -> _Slot:
        context = await self._open_context()
        page = await context.new_page()
        return _Slot(context, page, await context.new_cdp_session(page) if self._reuse else None)

    async def close(self) -> None:
        slots, self._idle = self._idle, []
        for slot in slots:
            with contextlib.suppress(PlaywrightError):
                await slot.context.close()


async def _wipe(slot: _Slot) -> bool:
    """Leave the slot as a new one would be; False when that cannot be guaranteed."""
    if slot.cdp is None:
        return False
    try:
        await slot.page.goto("about:blank")
        for origin in sorted(slot.origins):
            await slot.cdp.send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "all"})
            # sessionStorage belongs to the tab, not the origin's storage: clear it for this tab too.
            await slot.cdp.send("DOMStorage.clear", {"storageId": {"securityOrigin": origin, "isLocalStorage": False}})
        slot.origins.clear()
        await slot.cdp.send("Network.clearBrowserCache")
        await slot.context.clear_cookies()
        await slot.context.clear_permissions()
        return True
    except (PlaywrightError, asyncio.CancelledError):
        return False
