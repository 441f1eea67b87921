"""The browser a run checks accounts in: launched or connected once, started again after a crash,
with a new context for each account (verifier.browser._contexts), each reaching PACER's origins only
(verifier.browser._origin_guard) and guarded to loopback when tests ask."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from playwright.async_api import Browser, BrowserContext, Page, Playwright, async_playwright
from playwright.async_api import Error as PlaywrightError

from flows.errors import TransientSiteError
from verifier.browser import netguard
from verifier.browser._contexts import AccountContexts
from verifier.browser._driver_env import driver_environment
from verifier.browser._origin_guard import PacerOrigins
from verifier.browser.launch import BrowserChoice, open_browser
from verifier.check.site import SiteMap, loopback_only_requested
from verifier.config import Settings

log = logging.getLogger(__name__)


class BrowserHost:
    """Owns the browser unless one is given (tests): then a lost browser is an error, not restarted."""

    def __init__(self, settings: Settings, browser: Browser | None = None, site: SiteMap | None = None) -> None:
        self.settings = settings
        self.choice: BrowserChoice | None = None
        self._browser = browser
        self._owns_browser = browser is None
        self._playwright: Playwright | None = None
        self._lock = asyncio.Lock()
        self._contexts = AccountContexts(self._new_context)
        # The run's one SiteMap when given: the pages visited and the origins allowed are the same site.
        site = site if site is not None else SiteMap.for_base_url(settings.base_url)
        self.origins = PacerOrigins(site.base_url)
        self._remote = bool(settings.connect or settings.cdp)

    async def ensure(self) -> Browser:
        async with self._lock:
            if self._browser is not None and self._browser.is_connected():
                return self._browser
            if not self._owns_browser:
                raise TransientSiteError("the injected browser is gone")
            if self._playwright is None:
                with driver_environment(self.settings.debug_playwright):
                    self._playwright = await async_playwright().start()
            self._browser, self.choice = await open_browser(self._playwright, self.settings, self.origins.launch_args())
            return self._browser

    def adopt(self, playwright: Playwright) -> None:
        """Use a driver already started (verifier.browser.early); the host stops it when it closes."""
        if self._playwright is None:
            self._playwright = playwright

    async def warm(self) -> None:
        """Start the browser and open the first account's context now, ahead of the account: `check`
        does it while it still reads its input (verifier.browser.early)."""
        await self._contexts.warm()

    async def restart_if_gone(self) -> None:
        if self._browser is not None and not self._browser.is_connected() and self._owns_browser:
            log.warning("the browser went away; starting a new one")
            await self.ensure()

    def report_blocked(self) -> int:
        """How many requests to other origins were refused; said once in the log when any were."""
        if self.origins.blocked:
            log.warning("%s", self.origins.summary_line())
        return self.origins.blocked_total

    def session(self) -> contextlib.AbstractAsyncContextManager[Page]:
        """A page in a new context for one account, closed with its session (verifier.browser._contexts)."""
        return self._contexts.session()

    async def _new_context(self) -> BrowserContext:
        browser = await self.ensure()
        # A browser launched here refuses other origins by its switches; any other gets the same
        # rule per context (and a route where it runs elsewhere): see verifier.browser._origin_guard.
        launched_here = self._owns_browser and not self._remote
        context = await browser.new_context(
            viewport={"width": 1280, "height": 900},
            service_workers="block",
            accept_downloads=False,
            proxy=None if launched_here else self.origins.context_proxy(),  # type: ignore[arg-type]
        )
        self.origins.watch(context)
        if not launched_here:
            await self.origins.install_route(context)
        if loopback_only_requested():
            await netguard.install_loopback_guard(context)
        return context

    async def close(self) -> None:
        await self._contexts.close()
        if self._owns_browser and self._browser is not None:
            with contextlib.suppress(PlaywrightError):
                await self._browser.close()
            self._browser = None
        if self._playwright is not None:
            await self._playwright.stop()
            self._playwright = None
