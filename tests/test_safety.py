"""Where credentials may go, the loopback seal, and pages too slow to wait for."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, Route
from pydantic import SecretStr

from flows.errors import CredentialOriginRefused
from flows.navigation import DocumentWatch
from flows.signin import SignOnPage
from verifier.browser import netguard
from verifier.check.site import SiteMap
from verifier.config import load_settings
from verifier.mock.scenario import FaultRule
from verifier.mock.server import MockServer
from verifier.run.bulk import BulkPlan, run_bulk

PASSWORD = SecretStr("Mock-Passw0rd-1")


def test_guard_blocks_other_hosts(core_browser: Browser, run_core: Callable[..., Any]) -> None:
    blocked: list[str] = []

    async def visit() -> str:
        context = await core_browser.new_context()
        await netguard.install_loopback_guard(context, blocked.append)
        page = await context.new_page()
        try:
            await page.goto("https://pacer.login.uscourts.gov/csologin/login.jsf", timeout=10_000)
        except Exception as exc:
            return str(exc)
        finally:
            await context.close()
        return ""

    error = run_core(visit())
    assert "ERR_BLOCKED_BY_CLIENT" in error
    assert blocked == ["https://pacer.login.uscourts.gov/csologin/login.jsf"]


def test_sign_on_form_on_another_origin_gets_nothing(
    core_browser: Browser, run_core: Callable[..., Any], pacer_mock: MockServer, pacer_mock_factory
) -> None:
    other = pacer_mock_factory()

    async def attempt() -> None:
        context = await core_browser.new_context()
        page = await context.new_page()
        try:
            await page.goto(other.url + "/csologin/login.jsf")
            sign_on = SignOnPage(page, SiteMap.for_base_url(pacer_mock.url), DocumentWatch(page))
            await sign_on.sign_in("asmith2001", PASSWORD)
        finally:
            await context.close()

    with pytest.raises(CredentialOriginRefused, match="served from"):
        run_core(attempt())
    assert other.stats()["login_posts"] == {}


def test_form_posting_to_another_origin_gets_nothing(
    core_browser: Browser, run_core: Callable[..., Any], pacer_mock: MockServer, pacer_mock_factory
) -> None:
    other = pacer_mock_factory()
    login = pacer_mock.url + "/csologin/login.jsf"

    async def attempt() -> None:
        context = await core_browser.new_context()
        page = await context.new_page()

        async def tampered(route: Route) -> None:
            response = await route.fetch()
            body = (await response.text()).replace(
                'action="/csologin/login.jsf"', f'action="{other.url}/csologin/login.jsf"'
            )
            await route.fulfill(response=response, body=body)

        await page.route(login, tampered)
        try:
            await page.goto(login)
            sign_on = SignOnPage(page, SiteMap.for_base_url(pacer_mock.url), DocumentWatch(page))
            await sign_on.sign_in("asmith2001", PASSWORD)
        finally:
            await context.close()

    with pytest.raises(CredentialOriginRefused, match="posts to"):
        run_core(attempt())
    assert other.stats()["login_posts"] == {} and pacer_mock.stats()["login_posts"] == {}


def test_a_page_slower_than_the_timeout_is_a_site_error(
    core_browser: Browser, run_core: Callable[..., Any], pacer_mock: MockServer, tmp_path: Path
) -> None:
    pacer_mock.set_faults([FaultRule(kind="latency", path="^/pscof/manage/maint", delay_s=6)])
    roster = tmp_path / "r.csv"
    roster.write_text("name,username,password\nAlice,asmith2001,Mock-Passw0rd-1\n")
    settings = load_settings(None, base_url=pacer_mock.url, rate_per_minute=0, timeout_s=2, retries=1)
    outcome = run_core(run_bulk(settings, BulkPlan(roster=roster, out_dir=tmp_path / "out"), browser=core_browser))
    result = outcome.results[0]
    assert result.status.value == "site_error" and "no answer within 2 s" in result.message
    assert result.attempts == 2
