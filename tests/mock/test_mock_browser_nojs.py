"""The mock with JavaScript off: plain forms and 303s carry the whole sign-on."""

from __future__ import annotations

from typing import Any

import pyotp
import pytest
from playwright.sync_api import Page, expect

from verifier.mock.server import MockServer

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "java_script_enabled": False}


def test_sign_on_with_code_and_redaction_without_javascript(page: Page, pacer_mock: MockServer) -> None:
    page.set_default_timeout(20_000)
    account = pacer_mock.state.account("cwong2003")
    assert account is not None and account.otp_secret
    page.goto(pacer_mock.url + "/pscof/manage/maint.jsf")
    page.get_by_label("Username", exact=True).fill(account.username)
    page.get_by_label("Password", exact=True).fill(account.password)
    page.get_by_role("button", name="Login", exact=True).click()
    page.get_by_label("One-Time Passcode").fill(pyotp.TOTP(account.otp_secret).now())
    page.get_by_role("button", name="Submit").click()
    dialog = page.get_by_role("dialog", name="Redaction Agreement")
    # Without JavaScript nothing clears aria-disabled; the server checks the box either way.
    dialog.get_by_role("button", name="Continue").click(force=True)
    expect(page.get_by_role("dialog", name="Redaction Agreement")).to_be_visible()
    page.get_by_role("dialog", name="Redaction Agreement").get_by_role("checkbox").check()
    page.get_by_role("dialog", name="Redaction Agreement").get_by_role("button", name="Continue").click(force=True)
    expect(page.get_by_role("heading", name="Manage My Account")).to_be_visible()
