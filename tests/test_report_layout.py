"""The HTML report in a narrow window and on paper: one card per attorney instead of a table that scrolls
sideways; pills and usernames whole; long how-tos said once, under the table; every mark explained."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import make_result
from playwright.sync_api import Page, expect
from test_step_order import _legacy_without_mfa

from verifier.models import Result, Status
from verifier.reports import ReportMeta, write_report

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
    mfa = "Manage My Account → Settings → Manage MFA Settings → Add App"
    assert opened.locator("#results").inner_text().count(mfa) == 0
    how = opened.locator("section.how-to")
    expect(how.get_by_text(mfa)).to_have_count(1)
    links = opened.locator("#results a.next-title", has_text="Enroll in multi-factor authentication")
    expect(links).to_have_count(4)
    target = links.first.get_attribute("href") or ""
    expect(opened.locator(target)).to_contain_text(mfa)


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
