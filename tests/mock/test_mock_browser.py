"""The mock in a real browser: found by label and role as a person finds things; faults as network errors."""

from __future__ import annotations

import re

import pyotp
import pytest
from playwright.sync_api import Error, Page, Request, expect

from verifier.mock.scenario import FaultRule
from verifier.mock.server import MockServer

pytestmark = pytest.mark.browser

ACCOUNT = "/pscof/manage/maint.jsf"


def sign_on(page: Page, server: MockServer, username: str) -> None:
    account = server.state.account(username)
    assert account is not None
    page.goto(server.url + ACCOUNT)
    expect(page.get_by_role("heading", name="PACER Login")).to_be_visible()
    page.get_by_label("Username", exact=True).fill(username)
    page.get_by_label("Password", exact=True).fill(account.password)
    page.get_by_role("button", name="Login", exact=True).click()


def test_every_step_by_label_and_role(page: Page, pacer_mock: MockServer) -> None:
    page.set_default_timeout(20_000)
    secret = pacer_mock.state.account("cwong2003").otp_secret  # type: ignore[union-attr]
    assert secret
    sign_on(page, pacer_mock, "cwong2003")
    expect(page.get_by_role("heading", name="Multi-Factor Authentication")).to_be_visible()
    page.get_by_label("One-Time Passcode").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Submit").click()
    dialog = page.get_by_role("dialog", name="Redaction Agreement")
    expect(dialog).to_be_visible()
    proceed = dialog.get_by_role("button", name="Continue")
    expect(proceed).to_be_disabled()
    # A PrimeFaces checkbox: the native input is visually hidden, so a click aimed at it is intercepted;
    # a person clicks the box (or its label text).
    with pytest.raises(Error):
        dialog.get_by_role("checkbox").click(timeout=1_500)
    expect(dialog.get_by_role("checkbox")).not_to_be_checked()
    dialog.get_by_text(re.compile("I understand that, if I file")).click()
    expect(dialog.get_by_role("checkbox")).to_be_checked()
    expect(proceed).to_be_enabled()
    proceed.click()
    expect(page.get_by_role("heading", name="Manage My Account")).to_be_visible()
    expect(page).to_have_url(pacer_mock.url + ACCOUNT)
    expect(page.get_by_text("Upgraded PACER Account")).to_be_visible()
    expect(page.get_by_role("tablist").get_by_role("tab")).to_have_text(
        ["Settings", "Maintenance", "Payments", "Usage"]
    )
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert cookies["NextGenCSO"]["httpOnly"] and len(cookies["NextGenCSO"]["value"]) == 128


@pytest.mark.parametrize(
    ("username", "dialog", "buttons"),
    [
        ("lwilson2012", "User Update Required", ["Update Now", "Skip"]),
        ("mmoore2013", "User Update Required", ["Update Now"]),
        ("jbrown2010", "PACER User Inactive", ["OK"]),
    ],
)
def test_dialogs_have_names(page: Page, pacer_mock: MockServer, username: str, dialog: str, buttons: list[str]) -> None:
    sign_on(page, pacer_mock, username)
    shown = page.get_by_role("dialog", name=dialog)
    expect(shown).to_be_visible()
    expect(shown.get_by_role("button")).to_have_text(buttons)


def test_failure_message_is_an_alert(page: Page, pacer_mock: MockServer) -> None:
    page.goto(pacer_mock.url + "/csologin/login.jsf")
    page.get_by_label("Username", exact=True).fill("hlee2008")
    page.get_by_label("Password", exact=True).fill("Wrong-Password-99")
    page.get_by_role("button", name="Login", exact=True).click()
    expect(page.get_by_role("alert")).to_have_text("Invalid username or password")


def test_court_menus_and_currentgen_login(page: Page, pacer_mock: MockServer) -> None:
    sign_on(page, pacer_mock, "asmith2001")
    expect(page.get_by_role("heading", name="Manage My Account")).to_be_visible()  # the AJAX answer came
    page.goto(pacer_mock.url + "/ecf/cod/cgi-bin/login.pl")
    expect(page.locator("#topmenu").get_by_role("link")).to_have_text(
        ["Civil", "Criminal", "Query", "Reports", "Utilities", "Search", "Help", "Log Out"]
    )
    page.goto(pacer_mock.url + "/ecf/nysd/cgi-bin/login.pl")
    page.get_by_label("Login", exact=True).fill("xhall")
    page.get_by_label("Password", exact=True).fill("Cmecf-Old-6")
    page.get_by_role("button", name="Login", exact=True).click()
    expect(page.locator("#topmenu").get_by_role("link").first).to_have_text("Civil")


def test_protocol_error_is_a_network_error_at_once(page: Page, pacer_mock: MockServer) -> None:
    pacer_mock.set_faults([FaultRule(kind="protocol_error", path="^/csologin/", times=1)])
    with pytest.raises(Error, match=r"net::ERR_"):
        page.goto(pacer_mock.url + "/csologin/login.jsf")
    assert pacer_mock.stats()["requests"]["/csologin/login.jsf"] == 1  # the browser did not send it again
    assert pacer_mock.stats()["faults"] == {"0:protocol_error": 1}
    # A new tab: this one goes on to Chromium's own error page, which would interrupt a navigation.
    fresh = page.context.new_page()
    fresh.goto(pacer_mock.url + "/csologin/login.jsf")
    expect(fresh.get_by_role("heading", name="PACER Login")).to_be_visible()


def test_dropped_connection_fails_the_request(page: Page, pacer_mock: MockServer) -> None:
    pacer_mock.set_faults([FaultRule(kind="drop", path="^/csologin/", times=1)])
    failures: list[str] = []

    def failed(request: Request) -> None:
        failures.append(request.failure or "")

    page.on("requestfailed", failed)
    with page.expect_event("requestfailed", timeout=15_000):
        page.goto(pacer_mock.url + "/csologin/login.jsf", wait_until="commit")
    assert any(f.startswith("net::ERR_") for f in failures), failures
