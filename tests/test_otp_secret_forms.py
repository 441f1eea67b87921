"""Authenticator secrets in the forms people have them, through `check` and `bulk`. Against the mock in
a real browser."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import bulk_run, run_cli
from playwright.async_api import Browser

from verifier.mock.scenario import MockAccount, MockScenario
from verifier.mock.server import MockServer

# Each form of the secret makes the code the sign-on form's code step takes (its `login_posts`).
pytestmark = pytest.mark.sign_in("browser")

SECRET_16 = "JBSWY3DPEHPK3PXP"  # 80 bits: the length most authenticator set-up pages show
FORMS = {
    "otpsixteen1": SECRET_16,
    "otpgrouped2": "jbsw y3dp-ehpk 3pxp",
    "otpauthlnk3": f"otpauth://totp/PACER:otpauthlnk3?secret={SECRET_16}&issuer=PACER",
}
PASSWORD = "Mock-Passw0rd-otp"


@pytest.fixture
def otp_mock(pacer_mock_factory: Callable[..., MockServer], pacer_mock_scenario: MockScenario) -> MockServer:
    extra = [MockAccount(username=u, password=PASSWORD, otp_secret=SECRET_16, mfa_enrolled=True) for u in FORMS]
    return pacer_mock_factory(accounts=[a.model_dump() for a in [*pacer_mock_scenario.accounts, *extra]])


@pytest.mark.parametrize("username", list(FORMS))
def test_check_takes_each_secret_form(
    otp_mock: MockServer, cli_env: dict[str, str], tmp_path: Path, username: str
) -> None:
    cli_env.update({"PACER_PASSWORD": PASSWORD, "PACER_OTP_SECRET": FORMS[username]})
    done = run_cli("check", "--username", username, "--base-url", otp_mock.url, "--json", env=cli_env, cwd=tmp_path)
    assert json.loads(done.stdout)["status"] == "upgraded", done.stdout + done.stderr
    assert otp_mock.stats()["login_posts"] == {username: 1}
    assert SECRET_16 not in done.stdout + done.stderr and PASSWORD not in done.stdout + done.stderr


def test_check_refuses_a_bad_secret_before_signing_in(
    otp_mock: MockServer, cli_env: dict[str, str], tmp_path: Path
) -> None:
    cli_env.update({"PACER_PASSWORD": PASSWORD, "PACER_OTP_SECRET": "JBSWY3DP"})
    done = run_cli("check", "--username", "otpsixteen1", "--base-url", otp_mock.url, env=cli_env, cwd=tmp_path)
    assert done.returncode == 2 and "PACER_OTP_SECRET" in done.stderr and "too short" in done.stderr
    assert otp_mock.stats()["login_posts"] == {}


def test_bulk_takes_each_secret_form(
    otp_mock: MockServer, core_browser: Browser, run_core: Callable[..., Any], tmp_path: Path
) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "username,password,otp_secret\n" + "".join(f'{u},{PASSWORD},"{secret}"\n' for u, secret in FORMS.items()),
        encoding="utf-8",
    )
    roster.chmod(0o600)
    outcome = bulk_run(core_browser, run_core, otp_mock, roster, tmp_path / "out")
    assert {r.username: r.status.value for r in outcome.results} == dict.fromkeys(FORMS, "upgraded"), [
        r.message for r in outcome.results
    ]
    assert otp_mock.stats()["login_posts"] == dict.fromkeys(FORMS, 1)
