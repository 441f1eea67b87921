"""Ending a PACER session: the Authentication API's token by `POST /services/cso-logout`, a session the
sign-on form made by the page's own Logout, and a CurrentGen court's login by its Log Out.

PACER asks automated clients to end what they open (docs/real-site.md §2: a token is valid "until you
call the logout service or until you reach the maximum valid account login time"). The logout sends no
password: the token only, and only to the sign-on origin the caller names. What the real logout answers
beyond a 200 is not public, so a 2xx ends the session unless its body says otherwise.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urljoin

from playwright.async_api import APIRequestContext, BrowserContext, Locator, Page
from playwright.async_api import Error as PlaywrightError

from flows.account import ManageAccountPage
from flows.errors import LogoutFailed, TransientSiteError, first_line
from flows.navigation import DocumentWatch, press
from flows.urls import SiteUrls, form_target, origin_of

LOGOUT_PATH = "/services/cso-logout"
SESSION_COOKIE = "NextGenCSO"
LOGOUT_NAME = re.compile(r"^\s*(log\s*-?\s*out|sign\s*-?\s*out|log\s*-?\s*off)\s*$", re.I)


async def end_token(request: APIRequestContext, origin: str, token: str, *, timeout_ms: float) -> None:
    """`POST {origin}/services/cso-logout` with `{"nextGenCSO": token}` in the body, as the API guide
    shows. Raises `LogoutFailed` when the site says it did not end it (or did not answer)."""
    try:
        response = await request.post(
            origin + LOGOUT_PATH,
            data=json.dumps({"nextGenCSO": token}),
            timeout=timeout_ms,
            max_redirects=0,
            fail_on_status_code=False,
            headers={"Content-Type": "application/json", "Accept": "application/json"},
        )
    except PlaywrightError as exc:
        raise LogoutFailed(f"the logout request failed: {first_line(exc)}") from None
    if not 200 <= response.status < 300:
        raise LogoutFailed(f"the Authentication API's logout answered HTTP {response.status}")
    try:
        data = await response.json()
    except (PlaywrightError, ValueError):
        return  # a 2xx with no JSON: what the guide shows of the answer is the status
    said = logout_refusal(data)
    if said:
        raise LogoutFailed(f"the Authentication API's logout answered: {said}")


def logout_refusal(data: object) -> str:
    """What a logout answer refuses, or "" when it ended the session (or says nothing against it). Pure."""
    if not isinstance(data, dict) or "loginResult" not in data:
        return ""
    result = data.get("loginResult")
    text = str(int(result) if isinstance(result, float) and result.is_integer() else result).strip()
    if text in ("0", "None", ""):
        return ""
    return str(data.get("errorDescription") or f"loginResult {text}").strip()


async def session_tokens(context: BrowserContext, urls: list[str]) -> set[str]:
    """The `NextGenCSO` values the browser holds for these addresses (a session the form made)."""
    try:
        cookies = await context.cookies(urls)
    except PlaywrightError:
        return set()
    return {c.get("value", "") for c in cookies if c.get("name") == SESSION_COOKIE and c.get("value")}


def logout_control(page: Page) -> Locator:
    """The page's own Logout: a link or button named so (Log Out, Logout, Sign Out)."""
    return page.get_by_role("link", name=LOGOUT_NAME).or_(page.get_by_role("button", name=LOGOUT_NAME)).first


async def logout_target(control: Locator, page_url: str) -> str:
    """Where pressing the control goes: a link's address, or the form a button submits."""
    href = await control.get_attribute("href")
    if href is not None:
        return urljoin(page_url, href.strip())
    form = control.locator("xpath=ancestor::form[1]")
    if await form.count():
        target, _ = await form_target(form, page_url, control)
        return target
    return page_url


async def press_logout(page: Page, timeout_ms: float) -> None:
    """Press the page's own Logout and wait for the site's answer. The caller has checked where it goes."""
    try:
        await press(page, logout_control(page), timeout_ms, None, "the logout")
    except TransientSiteError as exc:
        raise LogoutFailed(f"the page's Logout did not answer: {exc}") from None


async def log_out_of_account(page: Page, site: SiteUrls, watch: DocumentWatch, timeout_ms: float) -> None:
    """End the form's session by Manage My Account's own Logout, opening that page first unless it shows.
    A sign-on form there instead means the session is over already. Presses only a Logout that goes to
    PACER's own origins (the session's cookies go with it)."""
    manage = ManageAccountPage(page, site, watch, timeout_ms)
    if not (site.may_receive_pacer_credentials(page.url) and await manage.is_showing()):
        try:
            await manage.open()
            await manage.landed()
        except TransientSiteError as exc:
            raise LogoutFailed(f"Manage My Account, whose Logout ends the session, did not load: {exc}") from None
        if not await manage.is_showing():
            if await manage.sign_on().is_showing():
                return  # no session any more: the account page asks to sign on
            raise LogoutFailed("Manage My Account, whose Logout ends the session, did not show")
    control = logout_control(page)
    if not await control.count():
        raise LogoutFailed("Manage My Account shows no Logout")
    target = await logout_target(control, page.url)
    if not site.may_receive_pacer_credentials(target):
        raise LogoutFailed(f"Manage My Account's Logout goes to {origin_of(target)}, not PACER's; not pressed")
    if await control.get_attribute("href") is not None:
        # A link: its address is asked with the page's cookies, as a click would, but the page it leads to
        # (the sign-on page, with its scripts) is not drawn: one request instead of a page load.
        await follow_logout_link(page.context.request, target, timeout_ms)
        return
    await press_logout(page, timeout_ms)
    if await manage.is_showing():
        raise LogoutFailed("Manage My Account still showed after its Logout was pressed")


async def follow_logout_link(request: APIRequestContext, url: str, timeout_ms: float) -> None:
    """GET a Logout link's address through the browser context's request client (its cookies go with it,
    and the answer's cookies, a deleted session cookie included, come back into it); redirects not followed."""
    try:
        response = await request.get(url, timeout=timeout_ms, max_redirects=0, fail_on_status_code=False)
    except PlaywrightError as exc:
        raise LogoutFailed(f"the page's Logout could not be reached: {first_line(exc)}") from None
    if response.status >= 400:
        raise LogoutFailed(f"the page's Logout answered HTTP {response.status}")
