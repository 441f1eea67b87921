"""What the flows need to know about addresses: the sign-on path, how to name an origin, and the
site map they are given (verifier.check.site.SiteMap builds it; flows never decide where PACER lives)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urljoin, urlsplit

from flows.errors import CredentialOriginRefused

if TYPE_CHECKING:  # the URL rules serve commands that open no browser (`report`, `notices`): no Playwright
    from playwright.async_api import Locator

LOGIN_PATH = "/csologin/login.jsf"


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


async def form_target(form: Locator, page_url: str, button: Locator | None = None) -> tuple[str, str]:
    """Where a form would send its fields, and how (lower-case method), as the browser would at this
    moment: a script may change `action` or `method` at any time, so this is asked right before
    submitting, not when the page loads. A `<base href>` and the pressed button's own `formaction` /
    `formmethod` count as the browser counts them. Attributes are read by Playwright's own world, so a
    page script that redefines the DOM's getters cannot change the answer."""
    page = form.page
    base = page_url
    bases = page.locator("base[href]")
    if await bases.count():
        base = urljoin(page_url, (await bases.first.get_attribute("href") or "").strip())
    action = await form.get_attribute("action")
    method = await form.get_attribute("method")
    if button is not None and await button.count():
        action = await button.first.get_attribute("formaction") or action
        method = await button.first.get_attribute("formmethod") or method
    target = urljoin(base, action.strip()) if action and action.strip() else page_url
    return target, (method or "get").strip().lower()


async def require_post_to(
    form: Locator,
    button: Locator | None,
    allowed: Callable[[str], bool],
    what: str,
    *,
    to: str = "the configured PACER origin",
) -> None:
    """Refuse (`CredentialOriginRefused`) to send `form` unless it goes by POST to an address `allowed`
    says may receive what was typed into it (`to` names those in the message). Asked right before
    pressing `button`, as `form_target` says the browser would send it at that moment."""
    action, method = await form_target(form, form.page.url, button)
    if not allowed(action):
        raise CredentialOriginRefused(f"{what} posts to {origin_of(action)}, not {to}; nothing was sent")
    if method != "post":
        raise CredentialOriginRefused(
            f"{what} sends by {method.upper()} (what was typed would be in an address); nothing was sent"
        )


class SiteUrls(Protocol):
    """The addresses a flow visits and the origins it may send a credential to."""

    @property
    def account_url(self) -> str: ...

    def court_login_url(self, court_id: str) -> str: ...

    def may_receive_pacer_credentials(self, url: str) -> bool: ...

    def may_receive_court_credentials(self, url: str, court_id: str) -> bool: ...
