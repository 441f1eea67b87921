"""The HTML report opened in a real Chromium, as a firm's IT lead would use it: it renders, its counts
match, search and the status filter narrow the rows, headers sort, hostile names stay text, and the
file asks for nothing outside itself."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import ConsoleMessage, Dialog, Locator, Page, Route, expect
from test_reports import EXPECTED_COUNTS, FORMULA_NAME, GENERATED, XSS_NAME, sample_results

from verifier.reports import ReportMeta, write_report

pytestmark = pytest.mark.browser
TOTAL = len(sample_results())


@dataclass
class Opened:
    page: Page
    path: Path
    outside: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def rows(self) -> Locator:
        return self.page.locator("#results tbody:first-of-type tr")

    def visible_names(self) -> list[str]:
        return [n.strip() for n in self.page.locator("#results tbody:first-of-type tr:visible .name").all_inner_texts()]


@pytest.fixture
def report(tmp_path: Path, page: Page) -> Iterator[Opened]:
    meta = ReportMeta(
        title="Smith & Jones LLP — NextGen readiness",
        generated_at=GENERATED,
        roster="roster.csv",
        site="http://127.0.0.1:8123",
    )
    path = write_report("html", sample_results(), tmp_path / "report.html", meta=meta)
    opened = Opened(page, path)

    def only_the_file(route: Route) -> None:
        if route.request.url.startswith("file:"):
            route.fallback()
        else:
            opened.outside.append(route.request.url)
            route.abort()

    def on_dialog(dialog: Dialog) -> None:
        opened.dialogs.append(dialog.message)
        dialog.dismiss()

    def on_console(message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):  # a CSP refusal or a script error shows up here
            opened.problems.append(message.text)

    page.route("**/*", only_the_file)
    page.on("dialog", on_dialog)
    page.on("console", on_console)
    page.on("pageerror", lambda error: opened.problems.append(str(error)))
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(path.as_uri())
    yield opened
    assert opened.outside == [], "the report must not reach outside its own file"
    assert opened.dialogs == [], "no script from the data may run"
    assert opened.problems == []


def test_renders_with_the_counts_of_the_results(report: Opened) -> None:
    page = report.page
    expect(page).to_have_title(re.compile(r"^Smith & Jones LLP — NextGen readiness — 2026-01-02 15:30 UTC$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Smith & Jones LLP — NextGen readiness")
    expect(report.rows).to_have_count(TOTAL)
    expect(page.locator("#shown")).to_have_text(f"{TOTAL} of {TOTAL} shown")
    for status, count in EXPECTED_COUNTS.items():
        expect(page.locator(f'.chart g[data-status="{status}"] .bar-count')).to_have_text(str(count))
        expect(page.locator(f'#results tbody tr[data-status="{status}"]')).to_have_count(count)
    expect(page.locator("#ready-count")).to_have_text("1")
    expect(page.get_by_role("option", name="legacy (1)")).to_have_count(1)
    cod = page.locator('table.courts tr[data-court="cod"]')
    expect(cod.locator(".ratio")).to_have_text("1 of 2")
    expect(cod).to_contain_text("Colorado District Court")


def test_search_narrows_the_rows_and_updates_the_count(report: Opened) -> None:
    page = report.page
    search = page.get_by_label("Search")
    search.fill("nunez")  # accents need not be typed
    expect(page.locator("#shown")).to_have_text(f"1 of {TOTAL} shown")
    assert report.visible_names() == ["José Núñez"]
    search.fill("utb")  # a court in the checklist
    expect(page.locator("#shown")).to_have_text(f"1 of {TOTAL} shown")
    search.fill("no such attorney")
    expect(page.locator("#shown")).to_have_text(f"0 of {TOTAL} shown")
    expect(page.get_by_text("No attorney matches the search.")).to_be_visible()
    search.fill("")
    expect(page.locator("#shown")).to_have_text(f"{TOTAL} of {TOTAL} shown")
    expect(page.get_by_text("No attorney matches the search.")).to_be_hidden()


def test_status_filter_combines_with_search(report: Opened) -> None:
    page = report.page
    status = page.get_by_label("Status", exact=True)
    status.select_option("upgraded")
    expect(page.locator("#shown")).to_have_text(f"2 of {TOTAL} shown")
    assert sorted(report.visible_names()) == sorted(["Alice Smith", XSS_NAME])
    page.get_by_label("Search").fill("alice")
    expect(page.locator("#shown")).to_have_text(f"1 of {TOTAL} shown")
    status.select_option("")
    page.get_by_label("Search").fill("")
    expect(page.locator("#shown")).to_have_text(f"{TOTAL} of {TOTAL} shown")


def test_clicking_a_header_sorts(report: Opened) -> None:
    page = report.page
    header = page.get_by_role("columnheader", name="Attorney")
    default = report.visible_names()
    assert default[0] == "@SUM(1)" and default[-1] == "Alice Smith"  # locked first, ready last
    header.get_by_role("button").click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    names = report.visible_names()
    words = [n for n in names if n[0].isalpha()]  # symbols' order is the browser's collation
    assert words == sorted(words, key=str.casefold) and len(words) == TOTAL - 3
    header.get_by_role("button").click()
    expect(header).to_have_attribute("aria-sort", "descending")
    assert report.visible_names() == names[::-1]
    status = page.get_by_role("columnheader", name="Status")
    status.get_by_role("button").click()
    expect(header).to_have_attribute("aria-sort", "none")
    assert report.visible_names()[-2:] in (["Alice Smith", XSS_NAME], [XSS_NAME, "Alice Smith"])


def test_hostile_names_are_shown_as_text(report: Opened) -> None:
    page = report.page
    # In its row, and as a name in "Who must act": text both times.
    for name in (XSS_NAME, FORMULA_NAME):
        expect(page.locator("#results").get_by_text(name, exact=True)).to_be_visible()
        expect(page.locator("#who").get_by_role("link", name=name, exact=True)).to_be_visible()
    assert page.locator("script").count() == 1  # the report's own, nothing from the data
    # A javascript: artifact is listed, never made a link; a relative screenshot path is.
    expect(page.get_by_role("link", name=re.compile("attempt-1.png"))).to_have_attribute(
        "href", "artifacts/ntaylor2014/attempt-1.png"
    )
    expect(page.get_by_role("link", name=re.compile(r"alert\(2\)"))).to_have_count(0)
    expect(page.get_by_text("alert(2)")).to_be_visible()


def test_checklist_shows_states_courts_and_deadlines(report: Opened) -> None:
    row = report.page.locator('#results tr[data-username="jnunez2002"]')
    expect(row.locator(".badge")).to_have_text("legacy")
    expect(row.locator(".step-todo")).to_have_count(3)
    expect(row.locator(".step-todo .sr-only").first).to_have_text("To do:")  # state as text, not colour alone
    expect(row.locator(".chip.overdue")).to_have_text(["overdue since 2025-12-31", "overdue since 2025-12-31"])
    expect(row.locator(".step .chip.deadline")).to_have_text(["by 2026-03-02", "by 2026-03-02"])
    expect(row.locator(".chip.court")).to_have_text(["utb", "cod"])


def test_self_contained_and_printable(report: Opened) -> None:
    page = report.page
    html = report.path.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", html) and "url(" not in html
    assert "Content-Security-Policy" in html
    page.emulate_media(media="print")
    expect(page.locator("#controls")).to_be_hidden()
    expect(page.locator("#print")).to_be_hidden()
    expect(report.rows).to_have_count(TOTAL)
    page.emulate_media(media="screen")
    page.screenshot(path="/tmp/report.png", full_page=True)


def test_an_empty_report_still_works(tmp_path: Path, page: Page) -> None:
    """A run that checked nobody (every row filtered out, say) gives a page that says so, without errors."""
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    path = write_report("html", [], tmp_path / "report.html", ReportMeta(generated_at=GENERATED))
    page.goto(path.as_uri())
    expect(page.locator("#shown")).to_have_text("0 of 0 shown")
    expect(page.get_by_text("No results in this report.")).to_be_visible()
    expect(page.get_by_text("No attorney matches the search.")).to_be_hidden()
    page.get_by_label("Search").fill("anyone")
    expect(page.locator("#shown")).to_have_text("0 of 0 shown")
    assert problems == []
