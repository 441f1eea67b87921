"""Signing in through PACER's Authentication API: the answer's meaning (pure), and in the browser, that
the token opens Manage My Account with the password sent once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.async_api import Browser
from pydantic import SecretStr

from flows.auth_api import ApiAnswer, classify_answer, request_token, use_token
from flows.errors import SignInUnanswered, TransientSiteError
from flows.outcome import SignInOutcome
from verifier.check.site import SiteMap
from verifier.mock.scenario import FaultRule, MockAccount, MockScenario

TOKEN = "t" * 128


@pytest.mark.parametrize(
    ("answer", "outcome"),
    [
        (ApiAnswer("0", TOKEN, ""), SignInOutcome.SIGNED_IN),
        (ApiAnswer("0", TOKEN, "Required client code not entered."), SignInOutcome.SIGNED_IN),
        (
            ApiAnswer("0", TOKEN, "User Update Required: your password must be changed"),
            SignInOutcome.UPDATE_REQUIRED,
        ),
        (ApiAnswer("13", None, "Invalid username, password, or one-time passcode."), SignInOutcome.INVALID_CREDENTIALS),
        (ApiAnswer("13", None, "A one-time passcode is needed to continue."), SignInOutcome.MFA_REQUIRED),
        (ApiAnswer("1", None, "Your PACER account has been disabled."), SignInOutcome.LOCKED),
        (ApiAnswer("1", None, "All filers must redact: Social Security numbers"), SignInOutcome.UNRECOGNIZED),
        (ApiAnswer("0", None, ""), SignInOutcome.UNRECOGNIZED),  # success without a token says nothing usable
        (ApiAnswer("", None, ""), SignInOutcome.UNRECOGNIZED),
    ],
)
def test_answers_mean_what_the_guide_says(answer: ApiAnswer, outcome: SignInOutcome) -> None:
    assert classify_answer(answer) is outcome


ACCOUNT = MockAccount(username="api2001", password="Api-Passw0rd-1!", filer=True)


async def _sign_in(browser: Browser, url: str, password: str) -> tuple[ApiAnswer, str]:
    context = await browser.new_context()
    try:
        answer = await request_token(
            context.request, url, ACCOUNT.username, SecretStr(password), None, timeout_ms=10_000
        )
        heading = ""
        if answer.token:
            await use_token(context, answer.token, SiteMap.for_base_url(url).session_cookie_scope())
            page = await context.new_page()
            await page.goto(url + "/pscof/manage/maint.jsf")
            heading = await page.locator("h1").first.inner_text()
        return answer, heading
    finally:
        await context.close()


@pytest.mark.browser
def test_token_opens_manage_my_account(
    core_browser: Browser, run_core: Callable[..., Any], pacer_mock_factory: Callable[..., Any]
) -> None:
    server = pacer_mock_factory(MockScenario(accounts=[ACCOUNT]))
    answer, heading = run_core(_sign_in(core_browser, server.url, ACCOUNT.password))
    assert answer.outcome is SignInOutcome.SIGNED_IN
    assert heading == "Manage My Account"
    stats = server.stats()
    assert stats["api_login_posts"] == {"api2001": 1} and stats["login_posts"] == {}


@pytest.mark.browser
def test_503_is_safe_to_retry_but_500_is_not(
    core_browser: Browser, run_core: Callable[..., Any], pacer_mock_factory: Callable[..., Any]
) -> None:
    for status, error in ((503, TransientSiteError), (500, SignInUnanswered)):
        server = pacer_mock_factory(
            MockScenario(
                accounts=[ACCOUNT], faults=[FaultRule(kind="status", path="^/services/cso-auth", status=status)]
            )
        )
        with pytest.raises(error):
            run_core(_sign_in(core_browser, server.url, ACCOUNT.password))


@pytest.mark.browser
def test_no_answer_in_time_is_not_retried(
    core_browser: Browser, run_core: Callable[..., Any], pacer_mock_factory: Callable[..., Any]
) -> None:
    server = pacer_mock_factory(
        MockScenario(accounts=[ACCOUNT], faults=[FaultRule(kind="latency", path="^/services/cso-auth", delay_s=3)])
    )

    async def slow() -> None:
        context = await core_browser.new_context()
        try:
            await request_token(
                context.request, server.url, ACCOUNT.username, SecretStr(ACCOUNT.password), None, timeout_ms=500
            )
        finally:
            await context.close()

    with pytest.raises(SignInUnanswered, match="not sent again"):
        run_core(slow())
