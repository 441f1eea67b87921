"""The HTML report in a narrow window and on paper: one card per attorney instead of a table that scrolls
sideways; pills and usernames whole; long how-tos said once, under the table; every mark explained."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from firm import COURTS, TODAY
from helpers import make_result
from playwright.sync_api import Page, expect
from pydantic import SecretStr
from test_step_order import _legacy_without_mfa

from flows.update_prompt import Demand
from verifier.check.outcome import AccountOutcome
from verifier.models import Account, Result, Status, UpdateDemand
from verifier.readiness import finalizer, roster_findings
from verifier.reports import ReportMeta, write_report
from verifier.run.results import result_of

pytestmark = pytest.mark.browser

#: The printable width of Letter and A4 portrait with the report's 12 mm margins, in CSS pixels.
PAPER = {"Letter": 816 - 91, "A4": 794 - 91}


def _attorneys() -> list[Result]:
    legacy = _legacy_without_mfa()
    others = [
        legacy.model_copy(update={"name": f"Legacy {n}", "username": f"legacy{n}", "row": n}) for n in range(2, 5)
    ]
    changed = make_result(name="Pat Change", username="a_very_long_username_2026", status=Status.UPDATE_REQUIRED)
    return [legacy, *others, changed]


def _open(page: Page, results: list[Result], tmp_path: Path, width: int = 1280) -> None:
    path = write_report("html", results, tmp_path / "report.html", meta=ReportMeta())
    page.route("**/*", lambda route: route.fallback() if route.request.url.startswith("file:") else route.abort())
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(path.as_uri())


@pytest.fixture
def opened(tmp_path: Path, page: Page) -> Iterator[Page]:
    _open(page, _attorneys(), tmp_path)
    yield page


def _nothing_wider_than_the_page(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]  # type: ignore[index]


@pytest.mark.parametrize("width", [375, 800])
def test_a_narrow_window_stacks_each_attorney_instead_of_scrolling_sideways(opened: Page, width: int) -> None:
    opened.set_viewport_size({"width": width, "height": 900})
    _nothing_wider_than_the_page(opened)
    row = opened.locator("#results tbody tr").first
    steps = row.locator("td[data-label='Next steps']")
    box, card = steps.bounding_box(), row.bounding_box()
    assert box is not None and card is not None
    assert box["x"] + box["width"] <= width and box["y"] > card["y"]  # below the name, not off to the right


@pytest.mark.parametrize("paper", sorted(PAPER))
def test_print_fits_portrait_and_keeps_pills_and_usernames_whole(opened: Page, paper: str) -> None:
    opened.emulate_media(media="print")
    opened.set_viewport_size({"width": PAPER[paper], "height": 1000})
    _nothing_wider_than_the_page(opened)
    for element in opened.locator(".badge, .username, .chip").all():
        box = element.bounding_box()
        assert box is not None
        line = float(element.evaluate("e => parseFloat(getComputedStyle(e).lineHeight) || 16"))
        assert box["height"] < 2 * line + 6, f"{element.inner_text()!r} wraps onto a second line"


def test_a_long_how_to_is_said_once_and_each_row_links_to_it(opened: Page) -> None:
    upgrade = "Manage My Account → Upgrade (asks for date of birth, county"
    assert opened.locator("#results").inner_text().count(upgrade) == 0
    how = opened.locator("section.how-to")
    expect(how.get_by_text(upgrade)).to_have_count(1)
    links = opened.locator("#results a.next-title", has_text="Upgrade the PACER account")
    expect(links).to_have_count(4)
    target = links.first.get_attribute("href") or ""
    expect(opened.locator(target)).to_contain_text(upgrade)


def test_the_mfa_how_to_is_said_once_whatever_the_skips(tmp_path: Path, page: Page) -> None:
    # "How to do each step" printed the MFA instruction twice, with and without "(PACER-only users may
    # choose)". Asked at sign-in with different skips left, the how-to is one entry with one text; not
    # asked yet, MFA is no step at all (a heads-up in the checklist).
    prompted = []
    for n, skips in enumerate((2, 1, 0), start=1):
        update = UpdateDemand(demand=Demand.MFA_ENROLLMENT, skips_left=skips, restricted=skips == 0)
        courts = ("cod",) if skips != 1 else ()  # a filer, and one the roster says is PACER-only
        account = Account(username=f"asked{n}", name=f"Asked {n}", password=SecretStr("Pw-1"), courts=courts, row=n)
        found = AccountOutcome(Status.UPDATE_REQUIRED, update.summary(), update=update)
        finalize = finalizer(roster_findings([account]), COURTS, TODAY)
        prompted.append(result_of(account, found, finalize(found, account, None)))
    _open(page, [*_attorneys(), *prompted], tmp_path)
    how = page.locator("section.how-to .legend-item", has_text="Enroll in multi-factor authentication now")
    expect(how).to_have_count(1)
    expect(how.locator("dd")).to_have_count(1)
    expect(how.locator("dt")).to_have_text("Enroll in multi-factor authentication now")
    titles = page.locator("#results a.next-title", has_text="Enroll in multi-factor authentication now")
    expect(titles).to_have_text(
        [
            "Enroll in multi-factor authentication now (2 skips left)",
            "Enroll in multi-factor authentication now (1 skip left)",
            "Enroll in multi-factor authentication now (access restricted)",
        ]
    )
    assert {t.get_attribute("href") for t in titles.all()} == {f"#{how.get_attribute('id')}"}
    expect(page.locator("section.how-to")).not_to_contain_text("may choose")
    expect(page.locator("section.how-to")).not_to_contain_text("not enrolled yet")


def test_every_checklist_mark_is_explained(opened: Page) -> None:
    marks = opened.locator("p.marks")
    for icon in ("✓", "!", "?", "i"):
        expect(marks.locator(".icon", has_text=icon)).to_have_count(1)
    expect(marks).to_contain_text("not checked")


def test_a_search_in_a_narrow_window_hides_the_other_cards(opened: Page) -> None:
    # The cards' `display: block` used to beat the `hidden` the script sets: every attorney stayed, and
    # "No attorney matches the search." showed under a full list.
    opened.set_viewport_size({"width": 375, "height": 900})
    shown = opened.locator("#results tbody:first-of-type tr:visible")
    no_match = opened.locator("#no-match")
    expect(shown).to_have_count(len(_attorneys()))
    expect(no_match).to_be_hidden()
    opened.locator("#search").fill("legacy3")
    expect(shown).to_have_count(1)
    expect(shown).to_contain_text("Legacy 3")
    opened.locator("#search").fill("nobody by this name")
    expect(shown).to_have_count(0)
    expect(no_match).to_be_visible()


def test_every_status_has_a_coloured_pill(tmp_path: Path, page: Page) -> None:
    # update_required and otp_rejected showed as bare bold words (their rules had an old name, or none).
    results = [make_result(s, name=f"Pat {s.value}", username=f"user{n}", row=n) for n, s in enumerate(Status, 1)]
    _open(page, results, tmp_path)
    for status in Status:
        badge = page.locator(f"#results tr[data-status='{status.value}'] .badge")
        assert badge.evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)", status.value


#: The words of an element's text that the browser laid out over more than one line.
_SPLIT_WORDS = """e => {
  const text = e.firstChild, split = [], word = /[^\\s-]+/g;
  for (let m; (m = word.exec(text.data)); ) {
    const range = document.createRange();
    range.setStart(text, m.index);
    range.setEnd(text, m.index + m[0].length);
    if (range.getClientRects().length > 1) split.push(m[0]);
  }
  return split;
}"""


def test_a_long_name_stays_whole_and_the_table_fits_a_laptop(tmp_path: Path, page: Page) -> None:
    # At 1280 px with a long username and the widest pill, "Wolfeschlegelsteinhausen" read "...st|einhausen".
    long_name = make_result(
        Status.INVALID_CREDENTIALS,
        name="Maximiliana Wolfeschlegelsteinhausen-Bergerdorff",
        username="mwolfeschlegelsteinhausen",
        row=9,
        message="PACER said: Login failed. Your username or password is incorrect.",
    )
    _open(page, [*_attorneys(), long_name], tmp_path)
    _nothing_wider_than_the_page(page)
    table = page.locator("#results")
    assert table.evaluate("t => t.scrollWidth <= t.parentElement.clientWidth"), "the table scrolls sideways"
    for name in page.locator("#results .name").all():
        assert name.evaluate(_SPLIT_WORDS) == [], name.inner_text()
