"""Watch a page's document responses and wait for the page to move on after a form is submitted."""

from __future__ import annotations

import asyncio
import re

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Locator, Page, Response

from flows.errors import TransientSiteError

_SUBMITTED = "data-pacer-verify-submitted"
POLL_S = 0.03


class DocumentWatch:
    """Remembers the last main-frame document response, so a flow can tell a 503 page from a real one."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.status: int | None = None
        self.retry_after: str | None = None
        page.on("response", self._on_response)

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
    """Click a submit button and wait until its form is replaced (a new page, or an AJAX re-render)
    or an alert appears. Works for plain form posts and for PrimeFaces-style partial updates."""
    try:
        await button.evaluate(
            f"b => (b.form || b.closest('form') || document.body).setAttribute('{_SUBMITTED}', '1')"
        )
        await button.click(timeout=timeout_ms)
    except PlaywrightError as exc:
        raise TransientSiteError(f"could not submit the form: {_short(exc)}") from None
    await wait_until_moved_on(page, watch, timeout_ms)


async def wait_until_moved_on(page: Page, watch: DocumentWatch, timeout_ms: float) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_ms / 1000
    marker = page.locator(f"[{_SUBMITTED}]")
    alert = page.get_by_role("alert").filter(has_text=re.compile(r"\S"))
    while True:
        try:
            if await marker.count() == 0 or await alert.count() > 0:
                await page.wait_for_load_state("domcontentloaded", timeout=max(1.0, (deadline - loop.time()) * 1000))
                break
        except PlaywrightError as exc:
            # A navigation tears down the execution context mid-check: look again on the new page.
            if "closed" in str(exc).lower() or "crash" in str(exc).lower():
                raise TransientSiteError(f"the page failed: {_short(exc)}") from None
        if loop.time() > deadline:
            raise TransientSiteError("the site did not answer the form in time")
        await asyncio.sleep(POLL_S)
    if page.url.startswith("chrome-error:"):
        raise TransientSiteError("the connection to the site failed")
    watch.raise_for_fault()


def _path(url: str) -> str:
    return re.sub(r"[?#].*$", "", url)


def _short(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0][:200] if lines else type(exc).__name__
