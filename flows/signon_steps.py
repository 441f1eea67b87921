"""The sign-on steps after the password that pacer-verify answers: the one-time code and the filers'
Redaction Agreement, each in the layer a person looks at (the topmost open dialog, or the page).

Used by flows.signin.SignOnPage, which decides which step is on screen; these only answer it, and
only by buttons they understand.
"""

from __future__ import annotations

import asyncio
import re
import time

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Locator, Page

from flows.errors import CredentialOriginRefused
from flows.navigation import press, read_screen
from flows.screen import CODE_LABEL
from flows.urls import SiteUrls, require_post_to

CODE_BUTTON = re.compile(r"^\s*(submit|verify|continue|ok)\s*$", re.I)
REDACTION_CHECKBOX = re.compile(r"i understand|i have read", re.I)
CONTINUE_BUTTON = re.compile(r"^\s*continue\s*$", re.I)
CODE_FIELD = "input:visible:not([type=hidden]):not([type=checkbox]):not([type=password]):not([type=submit])"
#: The topmost open dialog, where a person looks first.
DIALOG = ":is([role=dialog], [role=alertdialog], .ui-dialog):visible"
CLICK_TIMEOUT_MS = 3_000


async def top_layer(page: Page) -> Locator:
    """Where a person looks: the topmost open dialog, or the page."""
    dialogs = page.locator(DIALOG)
    return dialogs.last if await dialogs.count() else page.locator("body")


async def enter_code(page: Page, site: SiteUrls, code: str, timeout_ms: float) -> str | None:
    """Type the one-time code and press its Submit, only on PACER's origin and only into a form that
    posts there; what stops it, in words (None once the code was sent)."""
    layer = await top_layer(page)
    button = layer.get_by_role("button", name=CODE_BUTTON)
    if not await button.count():
        return "the one-time-code step has no Submit button pacer-verify knows"
    if not site.may_receive_pacer_credentials(page.url):
        raise CredentialOriginRefused("the one-time-code step is not on the PACER origin; nothing was typed")
    field = layer.get_by_label(CODE_LABEL)
    if not await field.count():  # a prompt that names the code in its text, with one unlabelled field
        field = layer.locator(CODE_FIELD)
    await field.first.fill(code)
    form = page.locator("form").filter(has=field.first)
    if await form.count():
        await require_post_to(form.first, button.first, site.may_receive_pacer_credentials, "the one-time-code form")
    await press(page, button.first, timeout_ms, None, "the one-time passcode")
    return None


async def accept_redaction(page: Page, timeout_ms: float) -> str | None:
    """Tick the agreement as a person does, by the visible box or its label text; confirm it is
    ticked and Continue is enabled; then press Continue."""
    layer = await top_layer(page)
    # The visible box first: on the real page it is what takes the click (docs/real-site.md).
    for target in (
        layer.locator(".ui-chkbox-box"),
        layer.get_by_text(REDACTION_CHECKBOX),
        layer.get_by_role("checkbox"),
    ):
        if (await read_screen(page, timeout_ms)).checked:
            break
        candidate = target.first
        if await candidate.count() and await candidate.is_visible():
            try:
                await candidate.click(timeout=CLICK_TIMEOUT_MS)
            except PlaywrightError:
                continue  # e.g. a visually hidden input: what is over it takes the click
    screen = await read_screen(page, timeout_ms)
    if not screen.checked:
        return "the Redaction Agreement's box could not be ticked"
    proceed = layer.get_by_role("button", name=CONTINUE_BUTTON).first
    if not await proceed.count():
        return "the Redaction Agreement has no Continue button"
    if not await _enabled_soon(proceed):
        return "the Redaction Agreement's Continue stayed disabled after the box was ticked"
    await press(page, proceed, timeout_ms, None, "the Redaction Agreement")
    return None


async def _enabled_soon(button: Locator, within_s: float = 3.0) -> bool:
    """Continue is enabled by the page's script when the box is ticked: give it a moment."""
    deadline = time.monotonic() + within_s
    while True:
        disabled = await button.get_attribute("aria-disabled") == "true" or await button.is_disabled()
        if not disabled:
            return True
        if time.monotonic() >= deadline:
            return False
        await asyncio.sleep(0.1)
