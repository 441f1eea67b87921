"""Watch a page's document responses and wait for the page to move on after a form is submitted."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urljoin
from xml.etree import ElementTree

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Frame, Locator, Page, Request, Response
from playwright.async_api import TimeoutError as PlaywrightTimeoutError

from flows.errors import CredentialOriginRefused, SignInProgress, TransientSiteError, first_line, retry_after_s
from flows.screen import SNAPSHOT_JS, Screen
from flows.urls import origin_of

#: Failures that mean the request never reached the site (Chromium's net error names).
NOT_SENT_FAILURES = (
    "ERR_CONNECTION_REFUSED",
    "ERR_NAME_NOT_RESOLVED",
    "ERR_ADDRESS_UNREACHABLE",
    "ERR_INTERNET_DISCONNECTED",
    "ERR_PROXY_CONNECTION_FAILED",
    "ERR_BLOCKED_BY_CLIENT",
)
VIEW_STATE_APPLIED_JS = """
v => {
  const fields = [...document.querySelectorAll('input[name$="faces.ViewState"]')];
  return fields.length === 0 || fields.some((field) => field.value === v);
}
"""
#: The site saying it did not take the request: try again later.
NOT_TAKEN_STATUSES = frozenset({429, 503})


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
        raise TransientSiteError(f"the site answered HTTP {status}", retry_after_s=retry_after_s(self.retry_after))


async def goto(page: Page, watch: DocumentWatch, url: str, timeout_ms: float) -> None:
    """Open a page; network failures and error statuses become transient faults."""
    try:
        response = await page.goto(url, wait_until="domcontentloaded", timeout=timeout_ms)
    except PlaywrightTimeoutError:
        raise TransientSiteError(f"no answer within {timeout_ms / 1000:g} s from {_path(url)}") from None
    except PlaywrightError as exc:
        raise TransientSiteError(f"could not load {_path(url)}: {first_line(exc)}") from None
    if response is not None:
        watch.status = response.status
        watch.retry_after = response.headers.get("retry-after")
    watch.raise_for_fault()


class _Answer:
    """The first request a click sends from the main frame (a form's POST, an AJAX POST, or a link's page),
    its answer, and the navigation after it."""

    def __init__(self, page: Page, progress: SignInProgress | None) -> None:
        self.page = page
        self.progress = progress
        self.request: Request | None = None
        self.documents: list[str] = []
        """Pages the main frame asked for after the form was sent (redirects included)."""
        loop = asyncio.get_running_loop()
        self.answered: asyncio.Future[Response | str] = loop.create_future()
        self.navigated: asyncio.Future[None] = loop.create_future()

    def __enter__(self) -> _Answer:
        self.page.on("request", self._on_request)
        self.page.on("response", self._on_response)
        self.page.on("requestfailed", self._on_failed)
        self.page.on("framenavigated", self._on_navigated)
        return self

    def __exit__(self, *exc: object) -> None:
        self.page.remove_listener("request", self._on_request)
        self.page.remove_listener("response", self._on_response)
        self.page.remove_listener("requestfailed", self._on_failed)
        self.page.remove_listener("framenavigated", self._on_navigated)

    def _on_request(self, request: Request) -> None:
        if request.frame != self.page.main_frame:
            return
        document = request.resource_type == "document"
        if self.request is not None:
            if document:
                self.documents.append(request.url)
            return
        # A form's POST (a page, or an AJAX call), or a link's page: the first is what the click sent.
        if document or (request.method == "POST" and request.resource_type in ("xhr", "fetch")):
            self.request = request
            if self.progress:
                self.progress.sent()

    def _on_response(self, response: Response) -> None:
        request = response.request
        if (
            self.request is not None
            and not self.answered.done()
            and (request is self.request or request.redirected_from is self.request)
        ):
            self.answered.set_result(response)

    def _on_failed(self, request: Request) -> None:
        if request is self.request and not self.answered.done():
            self.answered.set_result(request.failure or "the request failed")

    def _on_navigated(self, frame: Frame) -> None:
        if frame == self.page.main_frame and self.request is not None and not self.navigated.done():
            self.navigated.set_result(None)


async def press(
    page: Page, button: Locator, timeout_ms: float, progress: SignInProgress | None = None, what: str = "the form"
) -> list[str]:
    """Click a button that sends a form (or a link) and wait for the site's answer, however it comes: a
    new page (a whole-page post, a link followed), or an XHR whose answer the page's script applies in
    place (PrimeFaces `<partial-response>`), or an XHR answered with a `<redirect>`.

    The wait is for the answer itself, not for a time or for the screen to look different. The
    answer's status decides what a failure means (verifier.run._retry): 429/503 say the site did
    not take the request; no answer, another 5xx or a cut connection mean it may have been processed.
    Returns the addresses of the pages the browser was sent to on the way (redirects included).
    """
    with _Answer(page, progress) as answer:
        try:
            await button.click(timeout=timeout_ms)
        except PlaywrightError as exc:
            raise TransientSiteError(f"could not press the button to send {what}: {first_line(exc)}") from None
        try:
            result = await asyncio.wait_for(asyncio.shield(answer.answered), timeout_ms / 1000)
        except TimeoutError:
            if answer.request is None:
                raise TransientSiteError(f"pressing the button did not send {what}") from None
            raise TransientSiteError(f"the site did not answer {what} within {timeout_ms / 1000:g} s") from None
        if isinstance(result, str):
            if any(name in result for name in NOT_SENT_FAILURES) and progress:
                progress.not_taken()
            raise TransientSiteError(f"the connection failed while sending {what}: {result}")
        await _after_answer(page, answer, result, timeout_ms, progress, what)
        return list(answer.documents)


async def _after_answer(
    page: Page, answer: _Answer, response: Response, timeout_ms: float, progress: SignInProgress | None, what: str
) -> None:
    status = response.status
    location = response.headers.get("location")
    if status in (307, 308) and location:
        # The browser would send the same body (the password) to where this points: refused unless it
        # stays on the origin it was posted to (verifier.browser._origin_guard refuses the request itself).
        target = urljoin(response.url, location)
        if origin_of(target) != origin_of(response.url):
            raise CredentialOriginRefused(
                f"the site answered {what} with a redirect that would send it again to {origin_of(target)}, "
                "not the origin it was posted to: refused, and not sent again in this run"
            )
    if status >= 400:
        if status in NOT_TAKEN_STATUSES and progress:
            progress.not_taken()
        seconds = retry_after_s(response.headers.get("retry-after"))
        raise TransientSiteError(f"the site answered {what} with HTTP {status}", retry_after_s=seconds)
    try:
        if response.request.resource_type == "document":
            await _wait(answer.navigated, timeout_ms)
        else:
            # The body is bounded by the same wait: a site that holds it would hold the check past --timeout.
            body = await asyncio.wait_for(response.text(), timeout_ms / 1000)
            redirect, view_state = _partial_response(body)
            if redirect is not None:
                await _wait(answer.navigated, timeout_ms)
            elif view_state is not None:
                # JSF writes the ViewState update last: once the page holds it, the answer is applied.
                # (A page left without any ViewState field, e.g. a notice with no form, is applied too.)
                await page.wait_for_function(VIEW_STATE_APPLIED_JS, arg=view_state, timeout=timeout_ms)
        await page.wait_for_load_state("domcontentloaded", timeout=timeout_ms)
    except TimeoutError:
        raise TransientSiteError(f"the page did not finish showing the answer to {what}") from None
    except PlaywrightError as exc:
        if is_navigation_error(exc):
            await page.wait_for_load_state("domcontentloaded", timeout=timeout_ms)
            return
        raise TransientSiteError(f"the page failed after {what} was answered: {first_line(exc)}") from None


async def _wait(future: asyncio.Future[None], timeout_ms: float) -> None:
    await asyncio.wait_for(asyncio.shield(future), timeout_ms / 1000)


def _partial_response(body: str) -> tuple[str | None, str | None]:
    """(redirect URL, new ViewState) from a JSF `<partial-response>`; (None, None) for anything else."""
    try:
        root = ElementTree.fromstring(body.strip().encode())
    except ElementTree.ParseError:
        return None, None
    if root.tag != "partial-response":
        return None, None
    redirect = root.find("redirect")
    if redirect is not None:
        return redirect.get("url", ""), None
    view_state = None
    for update in root.iter("update"):
        if "faces.ViewState" in (update.get("id") or ""):
            view_state = update.text or ""
    return None, view_state


async def read_screen(page: Page, timeout_ms: float) -> Screen:
    """One look at the page (see flows.screen). A navigation under way is waited for, then looked at."""
    return Screen.from_js(await evaluate_settled(page, SNAPSHOT_JS, lambda: None, timeout_ms))


#: Documents replaced under a question before it is given up.
NAVIGATIONS = 5


async def evaluate_settled(page: Page, script: str, argument: Callable[[], object], timeout_ms: float) -> Any:
    """`script`'s answer on the page, with `argument()` (asked anew for each document). A document
    replaced under it (a redirect, a script sending the browser on) is asked again once loaded, within
    `timeout_ms`; a page that cannot be read is a TransientSiteError."""
    for _ in range(NAVIGATIONS):
        try:
            return await page.evaluate(script, argument())
        except PlaywrightError as exc:
            if not is_navigation_error(exc):
                raise TransientSiteError(f"could not read the page: {first_line(exc)}") from None
        try:
            await page.wait_for_load_state("domcontentloaded", timeout=timeout_ms)
        except PlaywrightError as exc:
            raise TransientSiteError(f"the page did not finish loading: {first_line(exc)}") from None
    raise TransientSiteError("the page kept navigating")


def is_navigation_error(exc: BaseException) -> bool:
    """A Playwright error that only says the page navigated under the call (its document was replaced):
    wait for the new page rather than count it a fault."""
    text = str(exc)
    return "context was destroyed" in text or "navigat" in text.lower()


def _path(url: str) -> str:
    return re.sub(r"[?#].*$", "", url)
