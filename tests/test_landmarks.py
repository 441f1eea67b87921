"""flows.landmarks: whether Manage My Account, a sign-on form or a court's menu bar shows, and what the
menu bar offers, asked in the page's own world.

The rule a person follows (as Playwright's role and label queries have it): headings by element or
role, named by aria-labelledby, aria-label or their text; fields by their label; a menu bar by its
known id or its role, its items by their text; only what is shown. A heading or form added by a
script, or a page a script sends the browser to, is waited for."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest
from playwright.async_api import Browser, Page, Route

from flows.account import MANAGE_ACCOUNT_HEADING
from flows.landmarks import read_menu, shows
from flows.screen import PASSWORD_LABEL

pytestmark = pytest.mark.browser

#: Pages served to the browser by a route: nothing listens at this address.
SITE = "http://127.0.0.1:9"


@pytest.fixture
def on_page(core_browser: Browser, run_core: Callable[..., Any]) -> Iterator[Callable[..., Any]]:
    """Run `ask(page)` on a page showing `html` (at SITE/ unless `path`), with `pages` served besides."""

    def run(html: str, ask: Callable[[Page], Awaitable[Any]], pages: dict[str, str] | None = None) -> Any:
        async def go() -> Any:
            context = await core_browser.new_context()
            served = {"/": html, **(pages or {})}

            async def serve(route: Route) -> None:
                path = route.request.url.removeprefix(SITE)
                await route.fulfill(status=200, content_type="text/html", body=served.get(path, "<p>none</p>"))

            await context.route(f"{SITE}/**", serve)
            try:
                page = await context.new_page()
                await page.goto(f"{SITE}/", wait_until="domcontentloaded")
                return await ask(page)
            finally:
                await context.close()

        return run_core(go())

    yield run


def is_manage(page: Page) -> Awaitable[bool]:
    return shows(page, MANAGE_ACCOUNT_HEADING, title=True, timeout_ms=5_000)


def landed(page: Page, wait_ms: float = 5_000) -> Awaitable[bool]:
    return shows(page, MANAGE_ACCOUNT_HEADING, label=PASSWORD_LABEL, wait_ms=wait_ms, timeout_ms=5_000)


@pytest.mark.parametrize(
    "html",
    [
        "<h1>Manage My Account</h1>",
        "<h3>manage   my\n account</h3>",
        '<div role="heading" aria-level="1">Manage My Account</div>',
        '<h2 aria-label="Manage My Account">MMA</h2>',
        '<span id="t">Manage My Account</span><h1 aria-labelledby="t">x</h1>',
        '<h1><img alt="Manage My Account" src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></h1>',
    ],
    ids=["h1", "spacing", "role", "aria-label", "labelledby", "image"],
)
def test_a_heading_a_person_sees_is_found(on_page: Callable[..., Any], html: str) -> None:
    assert on_page(html, is_manage) is True


@pytest.mark.parametrize(
    "html",
    [
        '<h1 style="display:none">Manage My Account</h1>',
        '<h1 style="visibility:hidden">Manage My Account</h1>',
        '<h1 style="opacity:0">Manage My Account</h1>',
        '<h1 style="height:0;overflow:hidden;padding:0;margin:0"></h1><p>Manage My Account</p>',
        '<h1 role="presentation">Manage My Account</h1>',
        "<p>Manage My Account</p><h1>Sign on</h1>",
    ],
    ids=["display-none", "visibility-hidden", "opacity-0", "paragraph", "presentation", "other-heading"],
)
def test_what_no_one_sees_as_that_heading_is_not(on_page: Callable[..., Any], html: str) -> None:
    assert on_page(html, is_manage) is False


def test_the_title_counts_only_where_asked(on_page: Callable[..., Any]) -> None:
    html = "<title>PACER: Manage My Account</title><p>loading</p>"
    assert on_page(html, is_manage) is True
    assert on_page(html, lambda page: landed(page, wait_ms=0)) is False


@pytest.mark.parametrize(
    ("html", "found"),
    [
        ('<label for="p">Password:</label><input id="p" type="password">', True),
        ('<label>Password * <input type="password"></label>', True),
        ('<input type="password" aria-label="Password">', True),
        ('<span id="l">Password</span><input type="password" aria-labelledby="l">', True),
        ('<label for="p">Password:</label><input id="p" type="password" style="display:none">', False),
        ('<label for="p">Password hint</label><input id="p">', False),
    ],
    ids=["for", "wrapping", "aria-label", "labelledby", "hidden", "other-label"],
)
def test_a_sign_on_form_is_found_by_its_password_label(on_page: Callable[..., Any], html: str, found: bool) -> None:
    assert on_page(html, lambda page: landed(page, wait_ms=0)) is found


def test_a_heading_a_script_adds_later_is_waited_for(on_page: Callable[..., Any]) -> None:
    html = "<p>loading</p><script>setTimeout(() => document.body.innerHTML = '<h1>Manage My Account</h1>', 400)"
    html += "</script>"
    assert on_page(html, landed) is True


def test_a_heading_shown_by_a_style_change_is_waited_for(on_page: Callable[..., Any]) -> None:
    html = (
        '<h1 id="h" style="display:none">Manage My Account</h1>'
        "<script>setTimeout(() => document.getElementById('h').style.display = 'block', 300)</script>"
    )
    assert on_page(html, landed) is True


def test_a_page_a_script_sends_the_browser_to_is_read(on_page: Callable[..., Any]) -> None:
    html = "<p>one moment</p><script>setTimeout(() => location.assign('/csologin'), 300)</script>"
    signon = '<label for="p">Password</label><input id="p" type="password">'
    assert on_page(html, landed, {"/csologin": signon}) is True


def test_nothing_shown_is_an_answer_when_the_wait_is_over(on_page: Callable[..., Any]) -> None:
    assert on_page("<h1>Welcome</h1>", lambda page: landed(page, wait_ms=300)) is False


def test_the_patterns_mean_the_same_in_the_page() -> None:
    """The page reads the patterns with its own RegExp: nothing in them that only Python reads."""
    for pattern in (MANAGE_ACCOUNT_HEADING, PASSWORD_LABEL):
        assert pattern.flags & ~(re.IGNORECASE | re.UNICODE) == 0
        assert "(?" not in pattern.pattern


#: The bar as juriscraper's saved pages show it (docs/real-site.md §4), with a submenu YUI keeps hidden.
TOPMENU = """
<div id="topmenu" class="yuimenubar"><div class="bd"><ul class="first-of-type">
  <li class="yuimenubaritem"><a class="yuimenubaritemlabel" href="/cgi-bin/DisplayMenu.pl?CivilEvents">C<u>i</u>vil</a>
    <div class="yuimenu" style="visibility:hidden"><ul><li><a href="/x">Open a Case</a></li></ul></div>
  </li>
  <li class="yuimenubaritem"><a class="yuimenubaritemlabel" href="/cgi-bin/iquery.pl">Query</a></li>
  <li class="yuimenubaritem"><a class="yuimenubaritemlabel" href="/cgi-bin/login.pl?logout">Log Out</a></li>
</ul></div></div>
"""


@pytest.mark.parametrize(
    ("html", "menu"),
    [
        (TOPMENU, ["Civil", "Query", "Log Out"]),
        ('<nav role="menubar"><a href="/q">Query</a> <span role="menuitem">Reports</span></nav>', ["Query", "Reports"]),
        ('<ul role="menubar"><li role="menuitem"><a href="/q">Query</a></li></ul>', ["Query"]),
        ('<ul role="menubar" style="display:none"><li><a href="/q">Query</a></li></ul>', None),
        ("<p><a href='/q'>Query</a></p>", None),
    ],
    ids=["topmenu", "role", "menuitem-holding-a-link", "hidden-bar", "no-bar"],
)
def test_the_menu_bar_is_read_by_what_it_shows(on_page: Callable[..., Any], html: str, menu: list[str] | None) -> None:
    assert on_page(html, read_menu) == menu


def test_a_menu_bar_a_script_shows_later_is_waited_for(on_page: Callable[..., Any]) -> None:
    html = "<p>loading</p><script>setTimeout(() => document.body.innerHTML = '<div id=topmenu>Query</div>', 300)"
    html += "</script>"
    assert on_page(html, lambda page: shows(page, None, menu=True, wait_ms=5_000)) is True
    assert on_page("<h1>CM/ECF</h1>", lambda page: shows(page, None, menu=True)) is False
