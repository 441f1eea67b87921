"""The mock's sign-on reads well to assistive technology: the redaction agreement's checkbox (the
PrimeFaces widget, its native input visually hidden) has the item label as its accessible name."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from verifier.mock.server import MockServer

pytestmark = pytest.mark.browser


def test_the_redaction_checkbox_has_an_accessible_name(page: Page, pacer_mock: MockServer) -> None:
    account = next(a for a in pacer_mock.scenario.accounts if a.username == "bjones2002")
    assert account.filer and account.otp_secret is None  # a filer: the agreement comes after the password
    page.goto(f"{pacer_mock.url}/csologin/login.jsf")
    page.get_by_label("Username").fill(account.username)
    page.get_by_label("Password", exact=True).fill(account.password)
    page.get_by_role("button", name="Login").click()
    box = page.get_by_role("checkbox", name=re.compile(r"^I understand that, if I file, I must comply"))
    expect(box).to_have_count(1)
    expect(page.get_by_label(re.compile(r"I understand that, if I file"))).to_have_count(1)
    assert pacer_mock.stats()["login_posts"] == {"bjones2002": 1}
