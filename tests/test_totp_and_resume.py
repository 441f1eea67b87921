"""Authenticator secrets in the forms people have them, through `check` and `bulk`; and `--resume`
after a site error. Against the mock in a real browser."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import run_cli
from playwright.async_api import Browser

from verifier.config import load_settings
from verifier.mock.scenario import FaultRule, MockAccount, MockScenario
from verifier.mock.server import MockServer
from verifier.run.bulk import BulkPlan, run_bulk

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


def bulk_run(
    core_browser: Browser,
    run_core: Callable[..., Any],
    server: MockServer,
    roster: Path,
    out: Path,
    resume: bool = False,
    **settings: Any,
) -> Any:
    options = {
        "base_url": server.url,
        "rate_per_minute": 0,
        "concurrency": 3,
        "timeout_s": 15,
        "retries": 1,
        **settings,
    }
    return run_core(
        run_bulk(
            load_settings(None, **options), BulkPlan(roster=roster, out_dir=out, resume=resume), browser=core_browser
        )
    )


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


def test_resume_checks_site_errors_again(
    pacer_mock: MockServer, core_browser: Browser, run_core: Callable[..., Any], tmp_path: Path
) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("username,password\nasmith2001,Mock-Passw0rd-1\negarcia2005,Mock-Passw0rd-5\n", encoding="utf-8")
    roster.chmod(0o600)
    out = tmp_path / "out"
    # The sign-in of one account answers 503 every time: retried, then given up as a site error.
    pacer_mock.set_faults(
        [FaultRule(kind="status", status=503, path="^/csologin/login.jsf$", method="POST", username="asmith2001")]
    )
    first = bulk_run(core_browser, run_core, pacer_mock, roster, out)
    assert {r.username: r.status.value for r in first.results} == {"asmith2001": "site_error", "egarcia2005": "legacy"}
    pacer_mock.reset()
    pacer_mock.set_faults([])
    second = bulk_run(core_browser, run_core, pacer_mock, roster, out, resume=True)
    assert second.summary.skipped == 1  # the legacy account is done
    assert [r.username for r in second.summary.results] == ["asmith2001"]
    assert {r.username: r.status.value for r in second.results} == {"asmith2001": "upgraded", "egarcia2005": "legacy"}
    assert pacer_mock.stats()["login_posts"] == {"asmith2001": 1}
