"""Watch a page's document responses and wait for the page to move on after a form is submitted."""

from __future__ import annotations

import asyncio
import re

from playwright.async_api import ElementHandle, Locator, Page, Response
from playwright.async_api import Error as PlaywrightError

from flows.errors import TransientSiteError


class DocumentWatch:
    """Remembers the last main-frame document response, so a flow can tell a 503 page from a real one."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.status: int | None = None
        self.retry_after: str | None = None
        page.on("response", self._on_response)

    def close(self) -> None:
        """Stop listening: pages are reused from one account to the next."""
        self.page.remove_listener("response", self._on_response)

    def _on_response(self, response: Response) -> None:
        request = response.request
        if request.resource_type == "document" and response.frame == self.page.main_frame:
            self.status = response.status
            self.retry_after = response.headers.get("retry-after")

    def raise_for_fault(self) -> None:
        """Turn an error page (5xx, 429) into a transient fault the runner may retry."""
        status = self.status
        if status is None or status < 429 or (430 <= status < 500):
            return
        retry_after: float | None = None
        if self.retry_after and re.fullmatch(r"\d+(\.\d+)?", self.retry_after.strip()):
            retry_after = float(self.retry_after)
        raise TransientSiteError(f"the site answered HTTP {status}", retry_after_s=retry_after)


async def goto(page: Page, watch: DocumentWatch, url: str, timeout_ms: float) -> None:
    """Open a page; network failures and error statuses become transient faults."""
    try:
        response = await page.goto(url, wait_until="domcontentloaded", timeout=timeout_ms)
    except PlaywrightError as exc:
        raise TransientSiteError(f"could not load {_path(url)}: {_short(exc)}") from None
    if response is not None:
        watch.status = response.status
        watch.retry_after = response.headers.get("retry-after")
    watch.raise_for_fault()


async def submit(page: Page, watch: DocumentWatch, button: Locator, timeout_ms: float) -> None:
    """Click a submit button and wait until the page moves on: the button is gone (a new page, or an
    AJAX re-render of its form) or an alert with text appears (the same form, with an error).

    Both waits run inside Playwright (no polling from here, no script in the page's own world), which
    matters at hundreds of accounts: each round trip and each main-world script costs renderer CPU.
    """
    try:
        # The clicked element itself, not a locator: the next step may have a button with the same name.
        handle = await button.element_handle(timeout=timeout_ms)
        await handle.click(timeout=timeout_ms)
    except PlaywrightError as exc:
        raise TransientSiteError(f"could not submit the form: {_short(exc)}") from None
    alert = page.get_by_role("alert").filter(has_text=re.compile(r"\S"))
    waits = [
        asyncio.ensure_future(_gone(handle, timeout_ms)),
        asyncio.ensure_future(alert.first.wait_for(state="visible", timeout=timeout_ms)),
    ]
    try:
        done, _ = await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        if all(task.exception() is not None for task in done):
            raise TransientSiteError("the site did not answer the form in time")
        await page.wait_for_load_state("domcontentloaded", timeout=timeout_ms)
    except PlaywrightError as exc:
        raise TransientSiteError(f"the page failed after the form was sent: {_short(exc)}") from None
    finally:
        for task in waits:
            if not task.done():
                task.cancel()
        await asyncio.gather(*waits, return_exceptions=True)
        await handle.dispose()
    if page.url.startswith("chrome-error:"):
        raise TransientSiteError("the connection to the site failed")
    watch.raise_for_fault()


async def _gone(handle: ElementHandle, timeout_ms: float) -> None:
    """Until the element is detached or hidden; a navigation that destroys its document counts too."""
    try:
        await handle.wait_for_element_state("hidden", timeout=timeout_ms)
    except PlaywrightError as exc:
        if "timeout" in str(exc).lower():
            raise


def _path(url: str) -> str:
    return re.sub(r"[?#].*$", "", url)


def _short(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0][:200] if lines else type(exc).__name__
