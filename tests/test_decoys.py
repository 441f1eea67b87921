"""Issue 19 §1: a status comes only from what a person sees, and only when it is unambiguous.

Each decoy is put into the mock's real Manage My Account (the account signs in as usual; a route
adds the decoy to the page the site sent), then the account is checked. A Legacy account with an
"Upgraded" decoy must never read `upgraded`; a Not Enrolled one with an "Enrolled" decoy never
`mfa_enrolled: true`; two values shown is `unrecognized_page` naming both.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, BrowserContext, Route
from pydantic import SecretStr

from verifier.browser.host import BrowserHost
from verifier.check.outcome import AccountOutcome
from verifier.check.site import SiteMap
from verifier.check.verify import verify_account
from verifier.config import load_settings
from verifier.mock.server import MockServer
from verifier.models import Account, Status
from verifier.run.runner import Runner

SR_ONLY = "position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);border:0"
FIELD = '<div class="field"><span class="label">{}:</span> <span class="value">{}</span></div>'
UPGRADED = FIELD.format("Account Type", "Upgraded PACER Account")
ENROLLED = FIELD.format("Multifactor Auth", "Enrolled")

#: Decoys a person cannot see: each hides "Account Type: Upgraded PACER Account" and "Multifactor Auth: Enrolled".
HIDDEN_DECOYS = {
    "sr-only": f'<div style="{SR_ONLY}">{UPGRADED}{ENROLLED}</div>',
    "sr-only clip-path": f'<div style="position:absolute;clip-path:inset(50%)">{UPGRADED}{ENROLLED}</div>',
    "off-screen": f'<div style="position:absolute;left:-10000px;top:0">{UPGRADED}{ENROLLED}</div>',
    "off-screen above": f'<div style="position:absolute;top:-5000px">{UPGRADED}{ENROLLED}</div>',
    "zero-size": f'<div style="width:0;height:0;overflow:hidden">{UPGRADED}{ENROLLED}</div>',
    "font-size 0": f'<div style="font-size:0">{UPGRADED}{ENROLLED}</div>',
    "transparent": f'<div style="color:transparent">{UPGRADED}{ENROLLED}</div>',
    "white on white": f'<div style="color:#fff;background:#fff">{UPGRADED}{ENROLLED}</div>',
    "nearly invisible": f'<div style="opacity:0.02">{UPGRADED}{ENROLLED}</div>',
    "covered": (
        f'<div style="position:relative"><div>{UPGRADED}{ENROLLED}</div>'
        '<div style="position:absolute;inset:0;background:#fff"></div></div>'
    ),
    "behind the page": (
        f'<div style="position:relative;background:#fff"><div style="position:relative;z-index:-1">{UPGRADED}'
        f"{ENROLLED}</div><p>Your account at a glance</p></div>"
    ),
    "closed details": f"<details><summary>More about your account</summary>{UPGRADED}{ENROLLED}</details>",
    "hidden attribute": f"<div hidden>{UPGRADED}{ENROLLED}</div>",
}

#: Decoys a person does see: the page shows two values, so none may be taken.
SEEN_DECOYS = {
    "help panel before the field": (
        '<aside class="help"><h3>Account Type</h3><p>Upgraded PACER Account</p></aside>',
        "Account Type shows 'Upgraded PACER Account' and 'Legacy PACER Account'",
    ),
    "a second field": (UPGRADED, "Account Type shows 'Upgraded PACER Account' and 'Legacy PACER Account'"),
    "a second MFA field": (ENROLLED, "Multifactor Auth shows 'Enrolled' and 'Not Enrolled'"),
    "a second case search status": (
        FIELD.format("Case Search Status", "Inactive"),
        "Case Search Status shows 'Inactive' and 'Active'",
    ),
}

HEADING = "<h1>Manage My Account</h1>"


def with_decoy(html: str, decoy: str = "", username: tuple[str, str] | None = None) -> str:
    html = html.replace(HEADING, HEADING + decoy, 1)
    if username:
        old, new = username
        html = html.replace(f'<span class="value">{old}</span>', f'<span class="value">{new}</span>')
    return html


@pytest.fixture
def check_with(
    core_browser: Browser, run_core: Callable[..., Any], pacer_mock: MockServer
) -> Callable[..., tuple[AccountOutcome, int]]:
    """Check a mock account with Manage My Account changed by `edit`; returns the verification and the
    number of pages that changed (the decoy must really have been on the page read)."""

    def check(username: str, edit: Callable[[str], str], *, sign_in: str = "browser") -> tuple[AccountOutcome, int]:
        mock = next(a for a in pacer_mock.scenario.accounts if a.username == username)
        account = Account(username=mock.username, name=mock.name, password=SecretStr(mock.password))
        edited = 0

        async def go() -> AccountOutcome:
            nonlocal edited
            context = await core_browser.new_context(viewport={"width": 1280, "height": 900})

            async def decoy(route: Route) -> None:
                nonlocal edited
                response = await route.fetch()
                body = await response.text()
                if HEADING not in body:
                    await route.fulfill(response=response)
                    return
                edited += 1
                await route.fulfill(response=response, body=edit(body))

            await context.route("**/pscof/manage/**", decoy)
            try:
                page = await context.new_page()
                return await verify_account(
                    page,
                    account,
                    SiteMap.for_base_url(pacer_mock.url),
                    timeout_ms=15_000,
                    check_courts=False,
                    sign_in=sign_in,  # type: ignore[arg-type]
                )
            finally:
                await context.close()

        return run_core(go()), edited

    return check


@pytest.mark.parametrize("name", sorted(HIDDEN_DECOYS))
def test_a_decoy_no_one_sees_never_decides(name: str, check_with: Callable[..., Any], pacer_mock: MockServer) -> None:
    verification, edited = check_with("egarcia2005", lambda html: with_decoy(html, HIDDEN_DECOYS[name]))
    assert edited >= 1
    result = verification
    assert result.status is Status.LEGACY, result.message
    assert result.mfa_enrolled is False
    assert pacer_mock.stats()["login_posts"] == {"egarcia2005": 1}


@pytest.mark.parametrize("name", sorted(SEEN_DECOYS))
def test_two_values_seen_are_unrecognized_naming_both(
    name: str, check_with: Callable[..., Any], pacer_mock: MockServer
) -> None:
    decoy, named = SEEN_DECOYS[name]
    verification, edited = check_with("egarcia2005", lambda html: with_decoy(html, decoy))
    assert edited >= 1
    result = verification
    assert result.status is Status.UNRECOGNIZED_PAGE
    assert named in result.message
    assert result.account_type is None and result.mfa_enrolled is None  # nothing was picked
    assert pacer_mock.stats()["login_posts"] == {"egarcia2005": 1}


def test_a_decoy_below_the_fold_that_a_person_scrolls_to_is_seen(
    check_with: Callable[..., Any], pacer_mock: MockServer
) -> None:
    """Strict is not blind: a second field far down the page is still a second field."""
    decoy = f'<div style="height:2500px"></div>{UPGRADED}'
    verification, _ = check_with("egarcia2005", lambda html: html.replace("</body>", decoy + "</body>"))
    assert verification.status is Status.UNRECOGNIZED_PAGE
    assert "Upgraded PACER Account" in verification.message


@pytest.mark.parametrize("sign_in", ["browser", "api"])
def test_another_accounts_page_is_a_site_error_and_its_context_is_not_trusted(
    sign_in: str, check_with: Callable[..., Any], pacer_mock: MockServer
) -> None:
    verification, edited = check_with(
        "egarcia2005", lambda html: with_decoy(html, username=("egarcia2005", "otheruser99")), sign_in=sign_in
    )
    assert edited >= 1
    result = verification
    assert result.status is Status.SITE_ERROR
    assert "the page shows another account" in result.message
    assert "otheruser99" not in result.message  # someone else's account is not repeated
    assert verification.other_account
    posts = pacer_mock.stats()["api_login_posts" if sign_in == "api" else "login_posts"]
    assert posts == {"egarcia2005": 1}


def test_the_username_is_matched_without_regard_to_case(check_with: Callable[..., Any]) -> None:
    verification, _ = check_with("egarcia2005", lambda html: with_decoy(html, username=("egarcia2005", "EGarcia2005")))
    assert verification.status is Status.LEGACY
    assert not verification.other_account


def test_a_page_without_a_username_is_checked_by_hand(check_with: Callable[..., Any]) -> None:
    verification, _ = check_with(
        "egarcia2005", lambda html: html.replace('<span class="label">Username:</span>', "<span>Login</span>")
    )
    assert verification.status is Status.UNRECOGNIZED_PAGE
    assert "shows no username" in verification.message


def test_a_hidden_username_of_another_account_is_not_read(check_with: Callable[..., Any]) -> None:
    hidden = f'<div style="{SR_ONLY}"><span class="label">Username:</span> <span class="value">otheruser99</span></div>'
    verification, _ = check_with("egarcia2005", lambda html: with_decoy(html, hidden))
    assert verification.status is Status.LEGACY


HIDDEN_ALERTS = {
    "sr-only": f'<div role="alert" style="{SR_ONLY}">Your PACER account has been locked.</div>',
    "off-screen": '<div role="alert" style="position:absolute;left:-10000px">Your PACER account has been locked.</div>',
    "transparent": '<div role="alert" style="color:transparent">Your PACER account has been locked.</div>',
}


@pytest.mark.parametrize("name", sorted(HIDDEN_ALERTS))
def test_a_sign_on_message_no_one_sees_decides_nothing(
    name: str, core_browser: Browser, run_core: Callable[..., Any], pacer_mock: MockServer
) -> None:
    """A hidden "locked" message on the sign-on page: the code step is still answered, and the account
    reads as it is (cwong2003: MFA, then the Redaction Agreement, upgraded)."""
    mock = next(a for a in pacer_mock.scenario.accounts if a.username == "cwong2003")
    assert mock.otp_secret is not None
    account = Account(
        username=mock.username,
        name=mock.name,
        password=SecretStr(mock.password),
        otp_secret=SecretStr(mock.otp_secret),
    )

    async def go() -> tuple[AccountOutcome, bool]:
        context = await core_browser.new_context(viewport={"width": 1280, "height": 900})
        # Added by the page itself as it loads (a route cannot: the sign-on page is reached by a redirect).
        script = (
            "document.addEventListener('DOMContentLoaded', () => { if (location.pathname === '/csologin/login.jsf')"
            f" document.body.insertAdjacentHTML('afterbegin', {json.dumps(HIDDEN_ALERTS[name])}); }});"
        )
        await context.add_init_script(script)
        try:
            page = await context.new_page()
            seen: list[bool] = []

            async def note(frame: Any) -> None:
                if frame == page.main_frame and "/csologin/" in frame.url:
                    seen.append(True)

            page.on("framenavigated", note)
            verification = await verify_account(
                page, account, SiteMap.for_base_url(pacer_mock.url), timeout_ms=15_000, check_courts=False
            )
            return verification, bool(seen)
        finally:
            await context.close()

    verification, on_sign_on = run_core(go())
    assert on_sign_on
    assert verification.status is Status.UPGRADED, verification.message
    assert pacer_mock.stats()["login_posts"] == {"cwong2003": 1}


@pytest.mark.sign_in("browser")  # as this file's other checks: by the form
def test_a_run_throws_away_the_context_that_showed_another_account(
    core_browser: Browser,
    run_core: Callable[..., Any],
    pacer_mock: MockServer,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    tmp_path: Path,
) -> None:
    """With one context reused from account to account, the one whose page showed someone else's
    account is closed, and the next account gets a new one; the log says so loudly."""
    made: list[BrowserContext] = []
    original = BrowserHost._new_context

    async def new_context(self: BrowserHost) -> BrowserContext:
        context = await original(self)
        made.append(context)

        async def other_account(route: Route) -> None:
            response = await route.fetch()
            body = await response.text()
            if HEADING in body and "egarcia2005" in body:
                body = with_decoy(body, username=("egarcia2005", "otheruser99"))
            await route.fulfill(response=response, body=body)

        await context.route("**/pscof/manage/**", other_account)
        return context

    monkeypatch.setattr(BrowserHost, "_new_context", new_context)
    accounts = [
        Account(username=a.username, name=a.name, password=SecretStr(a.password), row=row)
        for row, a in enumerate((mock_account(pacer_mock, "egarcia2005"), mock_account(pacer_mock, "asmith2001")), 1)
    ]
    settings = load_settings(None, base_url=pacer_mock.url, rate_per_minute=0, concurrency=1, check_courts=False)
    with caplog.at_level(logging.ERROR, logger="verifier.run.account"):
        summary = run_core(Runner(settings, browser=core_browser, out_dir=tmp_path).run(accounts))
    statuses = {r.username: r.status for r in summary.results}
    assert statuses == {"egarcia2005": Status.SITE_ERROR, "asmith2001": Status.UPGRADED}
    assert len(made) == 2, "the second account must have had a new context"
    assert any("ANOTHER ACCOUNT" in r.getMessage() for r in caplog.records)
    assert pacer_mock.stats()["login_posts"] == {"egarcia2005": 1, "asmith2001": 1}


def mock_account(server: MockServer, username: str) -> Any:
    return next(a for a in server.scenario.accounts if a.username == username)
