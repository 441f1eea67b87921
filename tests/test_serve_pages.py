"""Issue 27: the pages a person sees after the change, in a real browser against a real `serve` and the
mock: the page asking for the personal link, the attorney's own page (username read-only), the page
saying when the attorney may try again, IT's attempts column and its sign-out. Screenshots at 390 and
1280 px, and as printed, go to PACER_VERIFY_SHOTS (or the test's tmp_path) for a person to look at."""

from __future__ import annotations

import os
import re
from pathlib import Path

from playwright.sync_api import Page, expect
from test_serve import ACCOUNTS, ADMIN_TOKEN, SHOTS_ENV, WRONG_PASSWORD, check, links, sign_ins, start_serve, stop

from verifier.mock.server import MockServer

CONTACT = "the IT help desk (ext. 4357)"


def shoot(page: Page, shots: Path, name: str) -> None:
    """The page at a phone's and a laptop's width, and as Chromium prints it (Letter, ~816 px)."""
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(shots / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 816, "height": 1056})
    page.emulate_media(media="print")
    page.screenshot(path=str(shots / f"{name}-print.png"), full_page=True)
    page.emulate_media(media="screen")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_the_attorneys_and_its_pages_after_the_change(
    page: Page, pacer_mock: MockServer, cli_env: dict[str, str], tmp_path: Path
) -> None:
    serve_env = {**cli_env, "PACER_VERIFY_ADMIN_TOKEN": ADMIN_TOKEN}
    shots = Path(os.environ.get(SHOTS_ENV) or tmp_path / "shots")
    shots.mkdir(parents=True, exist_ok=True)
    serve = start_serve(tmp_path, pacer_mock, serve_env, "--contact", CONTACT)
    personal = links(serve)
    try:
        # The page without a link asks for it, and signs in nobody.
        page.goto(serve.url + "/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Open your personal link to check your PACER account")
        expect(page.get_by_label("Password")).to_have_count(0)
        expect(page.get_by_text(f"Ask {CONTACT} for a new one")).to_be_visible()
        shoot(page, shots, "link-needed")
        page.get_by_label("Or paste your personal link here").fill(f"  {personal['asmith2001']}  ")
        page.get_by_role("button", name="Open my page").click()

        # Her own page: the username is hers, shown and not editable.
        expect(page.get_by_role("heading", level=1)).to_contain_text("Alice Smith")
        expect(page.get_by_label("PACER username")).to_have_value("asmith2001")
        expect(page.get_by_label("PACER username")).not_to_be_editable()
        shoot(page, shots, "attorney-link")
        pages: list[str] = []
        check(page, pages, ACCOUNTS["asmith2001"][1])
        expect(page.get_by_role("heading", level=1)).to_contain_text("Your PACER account is upgraded")
        page.goto(personal["asmith2001"])
        check(page, pages, WRONG_PASSWORD)
        expect(page.get_by_role("heading", level=1)).to_have_text("PACER did not accept this username and password")
        shoot(page, shots, "result-rejected")

        # Brian's link, two wrong passwords: his link then shows no form, only until when.
        for _ in range(2):
            page.goto(personal["bjones2002"])
            check(page, pages, WRONG_PASSWORD)
        page.goto(personal["bjones2002"])
        expect(page.get_by_label("Password")).to_have_count(0)
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Not checked: please wait before trying this account again"
        )
        expect(page.get_by_role("alert")).to_contain_text("will not try it again until")
        expect(page.get_by_text(f"ask {CONTACT}")).to_be_visible()
        shoot(page, shots, "try-again-later")

        # IT's view: Alice's reading with her failed sign-in beside it; Brian's attempts, no reading yet.
        page.goto(serve.url + "/admin")
        page.get_by_label("Admin token").fill(ADMIN_TOKEN)
        page.get_by_role("button", name="Sign in").click()
        alice = page.locator('tr[data-username="asmith2001"]')
        expect(alice).to_have_attribute("data-status", "upgraded")
        expect(alice.locator('td[data-label="Failed sign-ins"]')).to_contain_text("1 since the last reading")
        brian = page.locator('tr[data-username="bjones2002"]')
        expect(brian.locator('td[data-label="Failed sign-ins"]')).to_contain_text("2 (no reading yet)")
        shoot(page, shots, "admin")
        page.get_by_role("button", name="Sign out").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Signed out")
        page.goto(serve.url + "/admin")
        expect(page.get_by_role("heading", name="IT's view: sign in")).to_be_visible()
    finally:
        stop(serve)
    assert sign_ins(pacer_mock) == {"asmith2001": 2, "bjones2002": 2}
    assert not any(re.search(re.escape(WRONG_PASSWORD), text) for text in pages)
