"""Every sign-in answer read right, end to end against the mock in both sign-in modes (`api` and
`browser`): the API's wording variants, a site without the API, a wrong authenticator secret
(`otp_rejected`), and "User Update Required" for MFA enrollment and for a password, with skips left and
without; on every path, how many times the password reached the site."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import pytest
from helpers import make_result, sign_ins, usage_errors_in_process
from playwright.async_api import Browser
from pydantic import SecretStr
from test_signon_paths import account_of

from flows.auth_api import ApiAbsent, request_token
from flows.update_prompt import Demand
from verifier.config import load_settings
from verifier.mock.server import MockServer
from verifier.models import Account, Result, Status
from verifier.readiness import build_checklist, roster_findings
from verifier.readiness.courts import load_courts
from verifier.run.runner import Runner

Factory = Callable[..., MockServer]
pytestmark = pytest.mark.browser

#: A valid secret that is not the account's: every code made from it is refused.
WRONG_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
MODES = ["api", "browser"]


@pytest.fixture
def run_accounts(core_browser: Browser, run_core: Callable[..., Any], tmp_path: Path) -> Callable[..., list[Result]]:
    def run(server: MockServer, accounts: list[Account], **settings: Any) -> list[Result]:
        options = {
            "base_url": server.url,
            "rate_per_minute": 0,
            "concurrency": 2,
            "timeout_s": 15,
            "retries": 2,
            "check_courts": False,
            **settings,
        }
        runner = Runner(load_settings(None, **options), browser=core_browser, out_dir=tmp_path / "out")
        return sorted(run_core(runner.run(accounts)).results, key=lambda r: r.row or 0)

    return run


def _sign_ins(server: MockServer, username: str) -> int:
    return sign_ins(server).get(username, 0)


def _wrong_secret(server: MockServer, username: str, row: int) -> Account:
    return account_of(server, username, row=row).model_copy(update={"otp_secret": SecretStr(WRONG_SECRET)})


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("wording", ["guide", "verbose", "plain"])
def test_every_wording_variant_reads_the_same(
    pacer_mock_factory: Factory, run_accounts: Callable[..., list[Result]], mode: str, wording: str
) -> None:
    # The API's wording is `api_wording`; the form's code step words itself by `otp_wording`.
    otp_wording = {"guide": "one_time_passcode", "verbose": "2fa_code", "plain": "verification_code"}[wording]
    server = pacer_mock_factory(api_wording=wording, otp_wording=otp_wording, lockout_after=5)
    accounts = [
        account_of(server, "asmith2001", row=1),
        account_of(server, "cwong2003", row=2),
        account_of(server, "hlee2008", row=3, password="Wrong-Password-99"),
        account_of(server, "kdavis2011", row=4, otp=False),
        _wrong_secret(server, "gnguyen2007", 5),
        account_of(server, "imartin2009", row=6),
    ]
    results = run_accounts(server, accounts, sign_in=mode)
    # "verbose" answers a wrong code as the guide's combined refusal: then PACER did not say which was wrong.
    wrong_code = Status.INVALID_CREDENTIALS if (mode, wording) == ("api", "verbose") else Status.OTP_REJECTED
    expected = [
        Status.UPGRADED,
        Status.UPGRADED,
        Status.INVALID_CREDENTIALS,
        Status.MFA_REQUIRED,
        wrong_code,
        Status.LOCKED,
    ]
    assert [r.status for r in results] == expected, [r.message for r in results]
    for account in accounts:
        assert _sign_ins(server, account.username) == 1, account.username
    wrong = results[4]
    if wrong.status is Status.OTP_REJECTED:
        assert "accepted the password and refused the one-time passcode" in wrong.message
    else:
        assert "password" in wrong.message and "one-time passcode" in wrong.message and "then the code" in wrong.message
    if wording == "verbose" and mode == "api":
        # "…will be locked after N more failed attempts" is a warning, not a lockout.
        assert "will be locked after" in results[2].message and results[2].status is Status.INVALID_CREDENTIALS


@pytest.mark.parametrize("mode", MODES)
def test_a_wrong_secret_is_otp_rejected_and_never_retried(
    pacer_mock_factory: Factory, run_accounts: Callable[..., list[Result]], mode: str
) -> None:
    server = pacer_mock_factory()
    [result] = run_accounts(server, [_wrong_secret(server, "cwong2003", 1)], sign_in=mode)
    assert result.status is Status.OTP_REJECTED, result.message
    assert result.attempts == 1 and _sign_ins(server, "cwong2003") == 1
    assert server.stats()["step_posts"].get("cwong2003", 0) <= 1  # one code, in the form's code step
    assert "otp_secret" in result.next_steps[0] and "clock" in result.next_steps[0]


class _Answer:
    def __init__(self, status: int) -> None:
        self.status, self.headers = status, {"retry-after": "1"}


class _Request:
    """An API request context whose every POST is answered with one status."""

    def __init__(self, status: int) -> None:
        self.status, self.posts = status, 0

    async def post(self, url: str, **options: Any) -> _Answer:
        self.posts += 1
        return _Answer(self.status)


@pytest.mark.parametrize("absent", [404, 405, 501])
def test_each_no_such_service_status_means_the_api_is_absent(run_core: Callable[..., Any], absent: int) -> None:
    # The rule each status code is read by; what the run does then is the same for every code (one end to
    # end below, and tests/test_otp_once.py's runs with the mock's 404 and 501).
    request = _Request(absent)
    ask = request_token(cast(Any, request), "http://127.0.0.1:9", "asmith2001", SecretStr("pw"), None, timeout_ms=1)
    with pytest.raises(ApiAbsent) as raised:
        run_core(ask)
    assert raised.value.status == absent and f"is not there (HTTP {absent})" in str(raised.value)
    assert request.posts == 1


@pytest.mark.parametrize("absent", [405])
def test_no_api_checks_every_account_with_the_form(
    pacer_mock_factory: Factory,
    run_accounts: Callable[..., list[Result]],
    caplog: pytest.LogCaptureFixture,
    absent: int,
) -> None:
    server = pacer_mock_factory(api_absent=absent)
    names = ["asmith2001", "bjones2002", "cwong2003", "egarcia2005", "hlee2008"]
    accounts = [account_of(server, name, row=i) for i, name in enumerate(names, start=1)]
    accounts[4] = account_of(server, "hlee2008", row=5, password="Wrong-Password-99")
    with caplog.at_level(logging.WARNING, logger="verifier.check.verify"):
        results = run_accounts(server, accounts, sign_in="api", concurrency=1)
    assert [r.status for r in results] == [
        Status.UPGRADED,
        Status.UPGRADED,
        Status.UPGRADED,
        Status.LEGACY,
        Status.INVALID_CREDENTIALS,
    ], [r.message for r in results]
    for name in names:
        assert server.stats()["login_posts"].get(name, 0) == 1, name  # the form's one sign-in, and only one
        assert server.stats()["api_login_posts"].get(name, 0) == 0, name
    assert f"Authentication API is not there (HTTP {absent}" in results[0].message
    assert all("not there" not in r.message for r in results[1:])  # said once: the run used the form after
    said = [r for r in caplog.records if "Authentication API is not there" in r.getMessage()]
    assert len(said) == 1


def _update_accounts(server: MockServer) -> list[Account]:
    return [account_of(server, name, row=i) for i, name in enumerate(UPDATE_CASES, start=1)]


#: username → (update_kind, skips_left) on the mock; the expected demand and skips read back.
UPDATE_CASES: dict[str, tuple[str, int, Demand, int]] = {
    "lwilson2012": ("password", 2, Demand.PASSWORD, 2),
    "mmoore2013": ("password", 0, Demand.PASSWORD, 0),
    "asmith2001": ("mfa_enrollment", 2, Demand.MFA_ENROLLMENT, 2),
    "egarcia2005": ("mfa_enrollment", 0, Demand.MFA_ENROLLMENT, 0),
}


@pytest.mark.parametrize("mode", MODES)
def test_user_update_required_says_what_is_demanded_and_the_skips_left(
    pacer_mock_factory: Factory, pacer_mock_scenario: Any, run_accounts: Callable[..., list[Result]], mode: str
) -> None:
    accounts = []
    for mock in pacer_mock_scenario.accounts:
        data = mock.model_dump()
        if mock.username in UPDATE_CASES:
            kind, skips, _, _ = UPDATE_CASES[mock.username]
            data |= {"update_required": True, "update_kind": kind, "skips_left": skips}
        accounts.append(data)
    server = pacer_mock_factory(accounts=accounts)
    results = run_accounts(server, _update_accounts(server), sign_in=mode)
    for result in results:
        _, skips_on_site, demand, skips = UPDATE_CASES[result.username]
        assert result.status is Status.UPDATE_REQUIRED, result.message
        assert result.update is not None and result.update.demand is demand, result.message
        if mode == "browser" or demand is Demand.MFA_ENROLLMENT:
            # The form reads the prompt's Skip button; the API's answer says the skips in words (the mock's
            # MFA one does, its password one does not).
            assert result.update.skips_left == skips, result.message
            assert result.update.restricted is (skips == 0)
            assert ("access restricted" in result.message) is (skips == 0)
        assert _sign_ins(server, result.username) == 1
        # Skip is never pressed: the skips are the attorney's.
        mock = server.state.account(result.username)
        assert mock is not None and mock.skips_left == skips_on_site
    mfa_two = next(r for r in results if r.username == "asmith2001")
    assert mfa_two.message.startswith(
        "PACER demands enrollment in multi-factor authentication at sign-in: 2 skips left"
    )


def test_the_checklist_names_the_enrollment_demand_and_the_skips() -> None:
    from flows.update_prompt import read_update_prompt

    account = Account(username="asmith2001", name="Alice Smith", password=SecretStr("Passw0rd-1"))
    update = read_update_prompt(
        "User Update Required Multifactor authentication (MFA) is now required for your account. "
        "You may skip this update 2 more time(s).",
        has_skip_button=True,
    )
    result = make_result(name="Alice Smith", username="asmith2001", status=Status.UPDATE_REQUIRED, update=update)
    steps = {
        s.id: s
        for s in build_checklist(result, account, None, roster_findings([account]), load_courts(), dt.date(2026, 12, 1))
    }
    assert steps["mfa"].title == "Enroll in multi-factor authentication now (2 skips left)"
    assert steps["mfa"].detail.startswith("PACER asks at sign-in (User Update Required)")
    assert "Manage MFA Settings" in steps["mfa"].detail and steps["mfa"].deadline is None


def test_a_reminder_by_the_api_reads_the_account_and_keeps_the_date(
    pacer_mock_factory: Factory, pacer_mock_scenario: Any, run_accounts: Callable[..., list[Result]]
) -> None:
    accounts = [
        a.model_dump() | ({"password_reminder": "2026-06-30"} if a.username == "egarcia2005" else {})
        for a in pacer_mock_scenario.accounts
    ]
    server = pacer_mock_factory(accounts=accounts)
    [result] = run_accounts(server, [account_of(server, "egarcia2005")], sign_in="api")
    assert result.status is Status.LEGACY, result.message  # the account type is read as usual
    assert result.reminder == "Reminder: your password must be changed by 2026-06-30."
    assert result.reminder_due == dt.date(2026, 6, 30)
    account = account_of(server, "egarcia2005")
    steps = {
        s.id: s
        for s in build_checklist(result, account, None, roster_findings([account]), load_courts(), dt.date(2026, 12, 1))
    }
    assert steps["site_reminder"].deadline == dt.date(2026, 6, 30)


@pytest.mark.parametrize(
    ("flag", "said"),
    [
        (["--no-api", "999"], "--no-api 999: expected 404, 405 or 501"),
        (["--api-wording", "shouty"], "--api-wording 'shouty': expected one of guide, verbose, plain"),
    ],
)
def test_bad_mock_api_switches_are_one_line(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, tmp_path: Path, flag: list[str], said: str
) -> None:
    # In this process: `mock`'s usage errors reach the user as tests/test_bad_input.py's mock --port shows.
    with usage_errors_in_process(monkeypatch, caplog, tmp_path) as usage_error:
        line = usage_error("mock", *flag)
    assert "\n" not in line
    assert line.startswith("pacer-verify:") and line.rstrip(".").endswith(said)
