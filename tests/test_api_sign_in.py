"""Signing in through PACER's Authentication API, end to end through the runner: every status, the
password sent once (and only to the API), the switch to the form when Manage My Account refuses the
API's session, and the API as the default of `pacer-verify check`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import run_cli
from playwright.async_api import Browser
from pydantic import SecretStr
from test_signon_paths import EVERY_STATUS, account_of

from verifier.config import load_settings
from verifier.mock.scenario import FaultRule
from verifier.mock.server import MockServer
from verifier.models import Account, Result, Status
from verifier.run.runner import Runner

Factory = Callable[..., MockServer]
pytestmark = pytest.mark.browser


def _run(
    core_browser: Browser,
    run_core: Callable[..., Any],
    tmp_path: Path,
    server: MockServer,
    accounts: list[Account],
    **settings: Any,
) -> list[Result]:
    options = {
        "base_url": server.url,
        "rate_per_minute": 0,
        "concurrency": 3,
        "timeout_s": 15,
        "retries": 2,
        "check_courts": True,
        "sign_in": "api",
        **settings,
    }
    runner = Runner(load_settings(None, **options), browser=core_browser, out_dir=tmp_path / "out")
    return sorted(run_core(runner.run(accounts)).results, key=lambda r: r.row or 0)


def _api_posts(server: MockServer, username: str) -> int:
    return server.stats()["api_login_posts"].get(username, 0)


def test_every_status_by_the_api_with_the_password_sent_once(
    pacer_mock: MockServer, core_browser: Browser, run_core: Callable[..., Any], tmp_path: Path
) -> None:
    accounts = [
        account_of(pacer_mock, username, row=i, **changes)
        for i, (username, changes, _) in enumerate(EVERY_STATUS, start=1)
    ]
    results = _run(core_browser, run_core, tmp_path, pacer_mock, accounts)
    assert [(r.username, r.status) for r in results] == [(u, s) for u, _, s in EVERY_STATUS], [
        r.message for r in results
    ]
    for username, _, _ in EVERY_STATUS:
        assert _api_posts(pacer_mock, username) == 1, username
        assert pacer_mock.stats()["login_posts"].get(username, 0) == 0, username  # the form never got it
    by_user = {r.username: r for r in results}
    assert by_user["hlee2008"].message.startswith("the Authentication API answered: Invalid username")
    assert "User Update Required" in by_user["lwilson2012"].message
    assert by_user["oanderson2015"].attempts == 1  # accepted by the API: never signed in again


def test_refused_api_sessions_switch_the_run_to_the_form(
    pacer_mock_factory: Factory, core_browser: Browser, run_core: Callable[..., Any], tmp_path: Path
) -> None:
    server = pacer_mock_factory(api_opens_account=False)
    names = ["asmith2001", "bjones2002", "egarcia2005", "dpatel2004"]
    accounts = [account_of(server, username, row=i) for i, username in enumerate(names, start=1)]
    results = _run(core_browser, run_core, tmp_path, server, accounts, concurrency=1)
    assert [r.status for r in results] == [Status.UPGRADED, Status.UPGRADED, Status.LEGACY, Status.UPGRADED]
    # The first account cost one API call and one form sign-in; after that the run used the form only.
    assert _api_posts(server, "asmith2001") == 1 and server.stats()["login_posts"]["asmith2001"] == 1
    assert "did not take the Authentication API's session" in results[0].message
    for username in names[1:]:
        assert _api_posts(server, username) == 0 and server.stats()["login_posts"][username] == 1


@pytest.mark.parametrize(("status", "expected"), [(503, Status.UPGRADED), (500, Status.SITE_ERROR)])
def test_api_faults_retry_only_where_the_site_did_not_take_the_password(
    pacer_mock_factory: Factory,
    core_browser: Browser,
    run_core: Callable[..., Any],
    tmp_path: Path,
    status: int,
    expected: Status,
) -> None:
    server = pacer_mock_factory(faults=[FaultRule(kind="status", path="^/services/cso-auth", status=status, times=1)])
    [result] = _run(core_browser, run_core, tmp_path, server, [account_of(server, "asmith2001")])
    assert result.status is expected, result.message
    # A 503 says the request was not taken: one more call, which signs in. A 500 may have processed it.
    assert result.attempts == (2 if status == 503 else 1)
    if status == 500:
        assert "not sent again" in result.message


def test_a_16_character_secret_by_the_api(
    pacer_mock_factory: Factory,
    pacer_mock_scenario: Any,
    core_browser: Browser,
    run_core: Callable[..., Any],
    tmp_path: Path,
) -> None:
    accounts = [a.model_dump() for a in pacer_mock_scenario.accounts]
    server = pacer_mock_factory(
        accounts=[
            *accounts,
            {"username": "short2040", "password": "Short-Passw0rd-1!", "otp_secret": "JBSW Y3DP EHPK 3PXP"},
        ]
    )
    account = Account(
        username="short2040", password=SecretStr("Short-Passw0rd-1!"), otp_secret=SecretStr("jbsw-y3dp-ehpk-3pxp")
    )
    [result] = _run(core_browser, run_core, tmp_path, server, [account])
    assert result.status is Status.UPGRADED, result.message


def test_check_signs_in_by_the_api_by_default(pacer_mock: MockServer, cli_env: dict[str, str]) -> None:
    env = {k: v for k, v in cli_env.items() if k != "PACER_VERIFY_SIGN_IN"}
    env["PACER_PASSWORD"] = pacer_mock.state.account("asmith2001").password  # type: ignore[union-attr]
    done = run_cli("check", "--username", "asmith2001", "--base-url", pacer_mock.url, "--json", env=env)
    assert done.returncode in (0, 1), done.stderr
    assert json.loads(done.stdout)["status"] == "upgraded"
    assert _api_posts(pacer_mock, "asmith2001") == 1
    assert pacer_mock.stats()["login_posts"].get("asmith2001", 0) == 0


def test_a_bad_sign_in_method_is_a_usage_error(cli_env: dict[str, str]) -> None:
    done = run_cli(
        "check", "--username", "asmith2001", "--sign-in", "carrier-pigeon", env=cli_env | {"PACER_PASSWORD": "x" * 10}
    )
    assert done.returncode == 2 and "--sign-in" in done.stderr


def test_a_failed_page_load_after_the_api_signed_in_is_loaded_again_not_signed_in_again(
    pacer_mock_factory: Factory, core_browser: Browser, run_core: Callable[..., Any], tmp_path: Path
) -> None:
    server = pacer_mock_factory(faults=[FaultRule(kind="status", path="^/pscof/manage/", status=503, times=2)])
    [result] = _run(core_browser, run_core, tmp_path, server, [account_of(server, "asmith2001")])
    assert result.status is Status.UPGRADED, result.message
    assert _api_posts(server, "asmith2001") == 1 and result.attempts == 1
