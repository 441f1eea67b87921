"""A field's values as a person finds them (flows.fields): by the page's structure first, never taking a
label for a value, and keeping every reading so that two values shown are seen as two."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.async_api import Browser

from flows.fields import MarkedPair, PageFields, SeenText
from flows.page_text import page_fields

LABELS = ("Account Type", "Username", "Case Search Status", "Multifactor Auth")


def at(text: str, left: float, top: float, width: float = 100, height: float = 16, *, paired: bool = False) -> SeenText:
    return SeenText(text, left, top, left + width, top + height, paired)


def test_a_header_row_over_values_reads_each_column_not_the_next_label() -> None:
    # <tr><th>Username</th><th>Account Type</th></tr><tr><td>jdoe1234</td><td>Legacy ...</td></tr>
    texts = [at("Username", 0, 0, paired=True), at("Account Type", 120, 0, paired=True)]
    texts += [at("jdoe1234", 0, 20), at("Legacy PACER Account", 120, 20)]
    pairs = [MarkedPair("Username", "jdoe1234", "column"), MarkedPair("Account Type", "Legacy PACER Account", "column")]
    fields = PageFields(texts, pairs)
    # Reading order alone would give "Account Type" as the username and "jdoe1234" as the account type.
    assert fields.values("Username", LABELS) == ["jdoe1234"]
    assert fields.values("Account Type", LABELS) == ["Legacy PACER Account"]


def test_a_header_row_drawn_without_table_markup_is_read_down_its_columns() -> None:
    # Divs placed like a table: the text after each label (and beside it) is another label; the value
    # is the one just below, as a person reads it.
    texts = [at("Username", 0, 0), at("Account Type", 120, 0), at("Case Search Status", 240, 0)]
    texts += [at("jdoe1234", 0, 20), at("Legacy PACER Account", 120, 20), at("Active", 240, 20)]
    fields = PageFields(texts, [])
    assert fields.values("Username", LABELS) == ["jdoe1234"]
    assert fields.values("Account Type", LABELS) == ["Legacy PACER Account"]
    assert fields.values("Case Search Status", LABELS) == ["Active"]


def test_a_labels_column_beside_a_values_column_is_read_across() -> None:
    # A grid whose markup holds every label, then every value: reading order is label, label, label.
    texts = [
        at("Username", 0, 0),
        at("Account Type", 0, 20),
        at("jdoe1234", 150, 0),
        at("Legacy PACER Account", 150, 20),
    ]
    fields = PageFields(texts, [])
    assert fields.values("Account Type", LABELS) == ["Legacy PACER Account"]
    assert fields.values("Username", LABELS) == ["jdoe1234"]


def test_a_value_beside_and_another_just_below_are_both_read() -> None:
    # "Upgraded" across the line (a sidebar? a labels column?) and "Legacy" just below: the page says two
    # things at the label, so both are given to the caller, who takes neither.
    far = at("Upgraded PACER Account", 600, 0)
    texts = [at("Account Type", 0, 0, width=90), at("Legacy PACER Account", 0, 20), far]
    values = PageFields(texts, []).values("Account Type", LABELS)
    assert sorted(values) == ["Legacy PACER Account", "Upgraded PACER Account"]


def test_a_labels_column_reads_across_and_a_tab_further_down_is_no_value() -> None:
    # The last label of a labels column: its value far right; the tabs start more than a line below.
    texts = [at("Multifactor Auth", 0, 0), at("Not Enrolled", 210, 0), at("Settings", 10, 40)]
    assert PageFields(texts, []).values("Multifactor Auth", LABELS) == ["Not Enrolled"]


def test_an_empty_field_is_empty_not_the_next_fields_name() -> None:
    texts = [at("Account Type:", 0, 0), at("Email:", 0, 20), at("jdoe@example.com", 60, 20)]
    assert PageFields(texts, []).values("Account Type", LABELS) == []
    texts = [at("Account Type:", 0, 0), at("Username: jdoe1234", 0, 20)]
    assert PageFields(texts, []).values("Account Type", LABELS) == []


def test_a_value_close_beside_the_label_is_the_value_not_the_line_under_it() -> None:
    # Fields one per line: what is under "Account Type" is the next line of the page, not its value.
    texts = [at("Account Type", 0, 0, width=90), at("Legacy PACER Account", 100, 0), at("Elena Garcia", 0, 18)]
    assert PageFields(texts, []).values("Account Type", LABELS) == ["Legacy PACER Account"]


def test_every_reading_is_kept_so_a_second_value_is_seen() -> None:
    # A help table names "Upgraded" while the field itself, in plain text, says Legacy.
    texts = [
        at("Account Type", 0, 0),
        at("Upgraded PACER Account", 120, 0),
        at("Account Type: Legacy PACER Account", 0, 60),
    ]
    pairs = [MarkedPair("Account Type", "Upgraded PACER Account", "row")]
    values = PageFields(texts, pairs).values("Account Type", LABELS)
    assert "Upgraded PACER Account" in values and "Legacy PACER Account" in values


def test_a_label_the_markup_ties_is_read_through_the_markup_alone() -> None:
    texts = [at("Account Type:", 0, 0, paired=True), at("Legacy PACER Account", 110, 0), at("(Upgrade)", 280, 0)]
    pairs = [MarkedPair("Account Type:", "Legacy PACER Account (Upgrade)", "label")]
    assert PageFields(texts, pairs).values("Account Type", LABELS) == ["Legacy PACER Account (Upgrade)"]


def test_a_label_alone_on_its_line_is_read_on_in_reading_order() -> None:
    # A help panel's heading, its text below: what a person reads next is the paragraph.
    texts = [at("Account Type", 0, 0), at("Upgraded PACER Account", 0, 24)]
    assert PageFields(texts, []).values("Account Type", LABELS) == ["Upgraded PACER Account"]


# --- in a browser: what the markup ties together, and only what a person sees -----------------------

HIDE = "position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0,0,0,0)"
PAGES = {
    "read-only inputs": (
        '<label for="t">Account Type</label> <input id="t" readonly value="Legacy PACER Account" size="30">',
        ["Legacy PACER Account"],
    ),
    "a select": (
        '<label for="t">Account Type</label> <select id="t"><option>Upgraded PACER Account</option>'
        "<option selected>Legacy PACER Account</option></select>",
        ["Legacy PACER Account"],
    ),
    "aria-labelledby": (
        '<span id="l">Account Type</span><p aria-labelledby="l">Legacy PACER Account</p>',
        ["Legacy PACER Account"],
    ),
    "a header row": (
        "<table><tr><th>Username</th><th>Account Type</th></tr><tr><td>jdoe1234</td>"
        "<td>Legacy PACER Account</td></tr></table>",
        ["Legacy PACER Account"],
    ),
    "a row": (
        "<table><tr><td>Account Type:</td><td>Legacy PACER Account</td></tr></table>",
        ["Legacy PACER Account"],
    ),
    "a description list": ("<dl><dt>Account Type</dt><dd>Legacy PACER Account</dd></dl>", ["Legacy PACER Account"]),
    "a labels column and a values column": (
        '<div style="display:grid;grid-template-columns:auto auto;grid-auto-flow:column;'
        'grid-template-rows:auto auto;column-gap:1em"><span>Username</span><span>Account Type</span>'
        "<span>jdoe1234</span><span>Legacy PACER Account</span></div>",
        ["Legacy PACER Account"],
    ),
    "a password field is never read": (
        '<label for="t">Account Type</label> <input id="t" type="password" value="Upgraded PACER Account">'
        "<p>Username: jdoe1234</p>",
        [],
    ),
    "a hidden input is not seen": (
        f'<label for="t">Account Type</label><input id="t" readonly value="Upgraded PACER Account" style="{HIDE}">'
        "<p>Username: jdoe1234</p>",
        [],
    ),
    "a covered input is not seen": (
        '<div style="position:relative"><label for="t">Account Type</label> '
        '<input id="t" readonly value="Upgraded PACER Account">'
        '<div style="position:absolute;inset:0;background:#fff"></div></div><p>Username: jdoe1234</p>',
        [],
    ),
}


@pytest.mark.parametrize("name", PAGES)
def test_the_markup_ties_each_label_to_what_a_person_sees_beside_it(
    name: str, core_browser: Browser, run_core: Callable[..., Any]
) -> None:
    html, expected = PAGES[name]

    async def read() -> list[str]:
        page = await core_browser.new_page()
        try:
            await page.set_content(f"<!doctype html><html><body>{html}</body></html>")
            return (await page_fields(page)).values("Account Type", LABELS)
        finally:
            await page.close()

    assert run_core(read()) == expected
