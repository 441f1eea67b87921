"""The report leads with who: after the cards, "Who must act", grouped by what each must do, names first,
on the first screen of a laptop; the cards and the "Show" filter list those attorneys in the table; on a
phone each name opens the attorney's short card. A firm of 64 shaped like the demo's (tests/firm.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from firm import COUNTS, MFA_2, firm
from helpers import make_result
from playwright.sync_api import Page, expect

from verifier.models import Status
from verifier.reports import ReportMeta, write_report
from verifier.reports.who import DUTIES, duties, tags, who_must_act

TOTAL = 64


# --- the groups, without a browser ----------------------------------------------------------------------


def test_groups_come_in_the_one_order_with_their_people() -> None:
    results = firm()
    groups = who_must_act([(r, f"attorney-{n}") for n, r in enumerate(results, 1)])
    order = [d.key for d in DUTIES]
    keys = [g.duty.key for g in groups]
    assert keys == sorted(keys, key=order.index)
    assert keys == ["sign-in", "upgrade", "mfa-now", "link", "not-checked"]
    for group in groups:
        assert len(group.members) == COUNTS[group.duty.key], group.duty.key
    mfa = next(g for g in groups if g.duty.key == "mfa-now")
    assert [m.note for m in mfa.members] == ["2 skips left", "access restricted"]
    assert all(m.name.startswith("Prompted") for m in mfa.members)
    link = next(g for g in groups if g.duty.key == "link")
    assert {m.note for m in link.members} == {"cod"}


def test_a_prompt_for_mfa_alone_is_enrolling_not_a_sign_in_to_fix() -> None:
    asked = next(r for r in firm() if r.update == MFA_2)
    assert asked.status is Status.UPDATE_REQUIRED and duties(asked) == ["mfa-now"]
    assert "sign-in" in duties(make_result(Status.UPDATE_REQUIRED))  # what was demanded is not known
    not_asked = next(r for r in firm() if "mfa-not-asked" in tags(r) and r.status is Status.UPGRADED)
    assert duties(not_asked) == [] and tags(not_asked)[-1] == "ready"  # a heads-up is no duty


def test_two_people_of_one_name_are_told_apart_by_username() -> None:
    twins = [make_result(Status.LEGACY, name="Wendy Walker", username=u) for u in ("wwalker1", "wendyw2")]
    [group] = who_must_act([(r, f"attorney-{n}") for n, r in enumerate(twins, 1)])
    assert [(m.name, m.note) for m in group.members] == [("Wendy Walker", "wwalker1"), ("Wendy Walker", "wendyw2")]


# --- the page ------------------------------------------------------------------------------------------


@pytest.fixture
def report(tmp_path: Path, page: Page) -> Iterator[Page]:
    path = write_report("html", firm(), tmp_path / "report.html", meta=ReportMeta(roster="roster.csv"))
    problems: list[str] = []
    page.route("**/*", lambda route: route.fallback() if route.request.url.startswith("file:") else route.abort())
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(path.as_uri())
    yield page
    assert problems == [], "a CSP refusal or a script error"


def _shown(page: Page) -> int:
    return page.locator("#results tbody:first-of-type tr:visible").count()


@pytest.mark.browser
def test_who_must_act_is_on_the_first_screen_at_1280(report: Page) -> None:
    heading = report.get_by_role("heading", name="Who must act")
    first = report.locator("#who .group").first
    expect(first).to_contain_text("Fix a sign-in")
    box, group = heading.bounding_box(), first.locator("ul.names a").first.bounding_box()
    assert box is not None and group is not None
    # The heading and the first names, without scrolling; the table comes after.
    assert box["y"] + box["height"] < 800 and group["y"] + group["height"] < 800, (box, group)
    table = report.locator("#results").bounding_box()
    assert table is not None and table["y"] > box["y"]


@pytest.mark.browser
@pytest.mark.parametrize(
    ("card", "tag"),
    [
        ("MFA: enroll now", "mfa-now"),
        ("MFA: not asked yet", "mfa-not-asked"),
        ("To upgrade", "upgrade"),
        ("Sign-in problems", "sign-in"),
        ("Not checked", "not-checked"),
        ("Need action", "action"),
        ("Ready", "ready"),
    ],
)
def test_clicking_a_card_filters_the_table(report: Page, card: str, tag: str) -> None:
    cards = report.locator(".summary a.card")
    link = cards.filter(has=report.locator(".card-label", has_text=card)).first
    number = COUNTS[tag]
    expect(link.locator(".big")).to_contain_text(str(number))
    report.get_by_label("Search").fill("nobody")  # a filter already on is replaced, not added to
    link.click()
    expect(report.locator("#shown")).to_have_text(f"{number} of {TOTAL} shown")
    assert _shown(report) == number
    for row in report.locator("#results tbody:first-of-type tr:visible").all():
        assert tag in (row.get_attribute("data-tags") or "").split()
    expect(report.get_by_label("Show", exact=True)).to_have_value(tag)
    expect(report.get_by_label("Search")).to_have_value("")
    table = report.locator("#attorneys-title").bounding_box()
    assert table is not None and 0 <= table["y"] < 800  # the link took the reader to the table


@pytest.mark.browser
def test_a_filter_per_checklist_item(report: Page) -> None:
    show = report.get_by_label("Show", exact=True)
    options = show.locator("option").all_inner_texts()
    assert "MFA: enroll now (2)" in options and "MFA: not asked yet (24)" in options
    assert "To link in a court (10)" in options and options[0] == f"Everyone ({TOTAL})"
    show.select_option("mfa-now")
    expect(report.locator("#shown")).to_have_text(f"2 of {TOTAL} shown")
    expect(report.locator("#results tbody:first-of-type tr:visible .step-title", has_text="now (")).to_have_count(2)
    show.select_option("link")
    assert _shown(report) == 10
    report.get_by_label("Status", exact=True).select_option("legacy")
    assert _shown(report) == 0  # the legacy accounts here have not been linked-checked: none to link
    show.select_option("")
    assert _shown(report) == 16


@pytest.mark.browser
def test_a_group_number_shows_the_group_and_a_name_opens_a_hidden_card(report: Page) -> None:
    group = report.locator("#who-upgrade")
    group.get_by_role("link", name="show these 16 in the table").click()
    assert _shown(report) == 16
    # A name whose row the filter hides: the filter gives way, and the row is there.
    name = report.locator("#who-mfa-now ul.names a").first
    name.click()
    anchor = (name.get_attribute("href") or "").removeprefix("#")
    assert report.evaluate("location.hash") == f"#{anchor}"
    target = report.locator(f"#results [id='{anchor}']")
    expect(target).to_be_visible()
    expect(target).to_contain_text("Enroll in multi-factor authentication now (2 skips left)")
    assert _shown(report) == TOTAL


@pytest.mark.browser
def test_on_a_phone_a_name_opens_the_attorneys_short_card(report: Page) -> None:
    report.set_viewport_size({"width": 390, "height": 844})
    row = report.locator("#results tbody tr").first
    checklist = row.locator("td[data-label='Checklist']")
    expect(checklist).to_be_hidden()  # a short card: name, status, next steps
    expect(row.locator("td[data-label='Next steps']")).to_be_visible()
    unfold = row.get_by_role("button", name="Checklist and details")
    expect(unfold).to_have_attribute("aria-expanded", "false")
    unfold.click()
    expect(checklist).to_be_visible()
    expect(row.get_by_role("button", name="Hide checklist and details")).to_have_attribute("aria-expanded", "true")
    # From "Who must act": the card, opened, on the screen.
    name = report.locator("#who-upgrade ul.names a").nth(3)
    anchor = (name.get_attribute("href") or "").removeprefix("#")
    name.click()
    card = report.locator(f"[id='{anchor}']")
    expect(card.locator("td[data-label='Checklist']")).to_be_visible()
    box = card.bounding_box()
    assert box is not None and 0 <= box["y"] < 844
    assert report.evaluate("document.documentElement.scrollWidth") <= 390
    # Short cards keep the page short: every checklist folded but the two opened ones.
    assert report.locator("#results td[data-label='Checklist']:visible").count() == 2


@pytest.mark.browser
def test_on_paper_every_card_is_whole_and_the_groups_print(report: Page) -> None:
    report.emulate_media(media="print")
    report.set_viewport_size({"width": 816 - 91, "height": 1000})
    expect(report.locator("#who")).to_contain_text("Upgrade the PACER account")
    assert report.locator("#results td[data-label='Checklist']:visible").count() == TOTAL
    expect(report.locator(".unfold:visible")).to_have_count(0)
    assert report.evaluate("document.documentElement.scrollWidth") <= 816 - 91
