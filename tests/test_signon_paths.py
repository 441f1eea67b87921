"""Sign-on as the real PACER does it (PrimeFaces AJAX) and as the plain variant does, end to end
through the runner in a real browser: every status in every presentation, a slow AJAX answer, the
code wordings, ViewState names, Manage My Account's own login, court redirects by script, and, on
every path, how many times the password reached the site (the mock's `login_posts`)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser
from pydantic import SecretStr

from flows.account import ManageAccountPage
from verifier.config import load_settings
from verifier.mock.scenario import FaultRule, MockAccount, MockScenario
from verifier.mock.server import MockServer
from verifier.models import Account, Result, Status
from verifier.run.runner import Runner

# The sign-on form is this file's subject.
pytestmark = pytest.mark.sign_in("browser")

Factory = Callable[..., MockServer]

#: (username, roster changes, expected status): one account per status the sign-on can end in.
EVERY_STATUS: list[tuple[str, dict[str, Any], Status]] = [
    ("asmith2001", {}, Status.UPGRADED),
    ("bjones2002", {}, Status.UPGRADED),  # filer: the Redaction Agreement
    ("cwong2003", {}, Status.UPGRADED),  # code, then the Redaction Agreement
    ("egarcia2005", {}, Status.LEGACY),
    ("hlee2008", {"password": "Wrong-Password-99"}, Status.INVALID_CREDENTIALS),
    ("imartin2009", {}, Status.LOCKED),  # disabled: a message on the form
    ("jbrown2010", {}, Status.LOCKED),  # inactive: a dialog, or a page of its own
    ("kdavis2011", {"otp": False}, Status.MFA_REQUIRED),
    ("lwilson2012", {}, Status.UPDATE_REQUIRED),
    ("ntaylor2014", {}, Status.UNRECOGNIZED_PAGE),  # no Account Type on the page
    ("oanderson2015", {}, Status.SITE_ERROR),  # Manage My Account answers 503 once signed in
]


def account_of(
    server: MockServer,
    username: str,
    *,
    password: str | None = None,
    otp: bool = True,
    row: int = 1,
    name: str = "",
    courts: tuple[str, ...] = (),
) -> Account:
    mock = server.state.account(username)
    assert mock is not None
    return Account(
        username=username,
        name=name or mock.name,
        row=row,
        courts=courts,
        password=SecretStr(password or mock.password),
        otp_secret=SecretStr(mock.otp_secret) if otp and mock.otp_secret else None,
    )


@pytest.fixture
def run_accounts(core_browser: Browser, run_core: Callable[..., Any], tmp_path: Path) -> Callable[..., list[Result]]:
    def run(server: MockServer, accounts: list[Account], **settings: Any) -> list[Result]:
        options = {
            "base_url": server.url,
            "rate_per_minute": 0,
            "concurrency": 3,
            "timeout_s": 15,
            "retries": 2,
            "check_courts": True,
            **settings,
        }
        runner = Runner(load_settings(None, **options), browser=core_browser, out_dir=tmp_path / "out")
        summary = run_core(runner.run(accounts))
        return sorted(summary.results, key=lambda r: r.row or 0)

    return run


def posts(server: MockServer, username: str) -> int:
    return server.stats()["login_posts"].get(username, 0)


def with_accounts(server_scenario: MockScenario, *extra: MockAccount) -> list[dict[str, Any]]:
    return [a.model_dump() for a in server_scenario.accounts] + [a.model_dump() for a in extra]


@pytest.mark.parametrize("presentation", ["dialog", "page"])
@pytest.mark.parametrize("mode", ["ajax", "plain"])
def test_every_status_once_per_account(pacer_mock_factory: Factory, run_accounts, mode: str, presentation: str) -> None:
    server = pacer_mock_factory(signon_mode=mode, step_presentation=presentation)
    accounts = [
        account_of(server, username, row=i, **changes) for i, (username, changes, _) in enumerate(EVERY_STATUS, start=1)
    ]
    results = run_accounts(server, accounts)
    assert [(r.username, r.status) for r in results] == [(u, s) for u, _, s in EVERY_STATUS], [
        r.message for r in results
    ]
    for username, _, _ in EVERY_STATUS:
        assert posts(server, username) == 1, username  # the password reached the site once, whatever happened
    skips = server.scenario.account("lwilson2012").skips_left  # type: ignore[union-attr]
    assert server.state.account("lwilson2012").skips_left == skips  # Skip was never pressed
    by_user = {r.username: r for r in results}
    assert "does not sign in again" in by_user["oanderson2015"].message
    assert by_user["oanderson2015"].attempts == 1


def test_the_flow_waits_for_a_slow_ajax_answer(pacer_mock_factory: Factory, run_accounts) -> None:
    # A flow that reads the page before the answer arrives sees the untouched form (no message, no
    # dialog) and gets every one of these wrong.
    server = pacer_mock_factory(ajax_delay_ms=1_500)
    chosen = [
        row
        for row in EVERY_STATUS
        if row[0] in ("hlee2008", "jbrown2010", "kdavis2011", "lwilson2012", "bjones2002", "imartin2009")
    ]
    results = run_accounts(server, [account_of(server, u, row=i, **c) for i, (u, c, _) in enumerate(chosen, 1)])
    assert [r.status for r in results] == [s for _, _, s in chosen], [r.message for r in results]
    assert all(posts(server, u) == 1 for u, _, _ in chosen)


@pytest.mark.parametrize(
    ("wording", "wrong"),
    [
        ("one_time_passcode", "Invalid one-time passcode"),
        ("2fa_code", "Invalid 2FA code"),
        ("verification_code", "Invalid verification code"),
    ],
)
def test_each_code_wording(pacer_mock_factory: Factory, run_accounts, wording: str, wrong: str) -> None:
    server = pacer_mock_factory(otp_wording=wording)
    right = account_of(server, "cwong2003", row=1)
    wrong_secret = account_of(server, "gnguyen2007", row=2).model_copy(
        update={"otp_secret": SecretStr("JBSWY3DPEHPK3PXPJBSWY3DP")}
    )
    results = run_accounts(server, [right, wrong_secret])
    assert results[0].status is Status.UPGRADED, results[0].message
    # The form took the password before the code step: the code, not the password, was refused.
    assert results[1].status is Status.OTP_REJECTED and wrong in results[1].message
    assert posts(server, "cwong2003") == posts(server, "gnguyen2007") == 1


def test_jakarta_view_state_with_id_ending_1(pacer_mock_factory: Factory, run_accounts) -> None:
    server = pacer_mock_factory(view_state_namespace="jakarta", view_state_index=1)
    html = httpx.get(server.url + "/csologin/login.jsf").text
    assert 'id="j_id1:jakarta.faces.ViewState:1" name="jakarta.faces.ViewState"' in html
    results = run_accounts(server, [account_of(server, "bjones2002", row=1), account_of(server, "cwong2003", row=2)])
    assert [r.status for r in results] == [Status.UPGRADED, Status.UPGRADED], [r.message for r in results]


@pytest.mark.parametrize(("redirect", "presentation"), [("document_location", "dialog"), ("location_assign", "page")])
def test_own_account_login_and_courts_redirecting_by_script(
    pacer_mock_factory: Factory, run_accounts, redirect: str, presentation: str
) -> None:
    server = pacer_mock_factory(pscof_login="own", court_redirect=redirect, step_presentation=presentation)
    result = run_accounts(server, [account_of(server, "cwong2003", courts=("cod", "utd"))])[0]
    assert result.status is Status.UPGRADED, result.message
    assert {c.court: c.linked for c in result.courts} == {"cod": True, "utd": False}, result.courts
    assert posts(server, "cwong2003") == 1
    assert server.stats()["requests"].get("/pscof/login.xhtml", 0) >= 2  # its own form, posted to itself


def test_an_unknown_step_is_described_and_nothing_is_pressed(
    pacer_mock_factory: Factory, pacer_mock_scenario, run_accounts
) -> None:
    odd = MockAccount(username="notice0001", password="Mock-Passw0rd-n1", filer=True, notice_step=True)
    server = pacer_mock_factory(accounts=with_accounts(pacer_mock_scenario, odd))
    result = run_accounts(server, [Account(username=odd.username, password=SecretStr(odd.password), row=1)])[0]
    assert result.status is Status.UNRECOGNIZED_PAGE
    assert "does not know" in result.message and "Important Notice" in result.message
    assert "'PACER Login'" in result.message  # the page's title
    assert result.artifacts and result.artifacts[0].endswith(".png")  # a masked screenshot
    assert posts(server, "notice0001") == 1 and result.attempts == 1
    assert server.stats()["step_posts"]["notice0001"] == 1  # the agreement's Continue; neither Review nor Skip


@pytest.mark.parametrize(
    ("rule", "status", "attempts", "reached", "said"),
    [
        # The site says it did not take the request: sent again.
        (FaultRule(kind="status", status=503, times=1), Status.UPGRADED, 2, 1, ""),
        (FaultRule(kind="retry_after", retry_after_s=1, times=1), Status.UPGRADED, 2, 1, ""),
        # It may have been processed: never again in this run.
        (FaultRule(kind="status", status=500, times=1), Status.SITE_ERROR, 1, 0, "HTTP 500"),
        (FaultRule(kind="drop", times=1), Status.SITE_ERROR, 1, 0, "not sent again in this run"),
    ],
)
def test_faults_on_the_sign_in_post(
    pacer_mock_factory: Factory, run_accounts, rule: FaultRule, status: Status, attempts: int, reached: int, said: str
) -> None:
    rule = rule.model_copy(update={"path": "^/csologin/login.jsf$", "method": "POST", "name": "post"})
    server = pacer_mock_factory(faults=[rule.model_dump()])
    result = run_accounts(server, [account_of(server, "asmith2001")])[0]
    assert (result.status, result.attempts) == (status, attempts), result.message
    assert said in result.message
    assert server.stats()["faults"]["post"] == 1
    assert posts(server, "asmith2001") == reached  # answered by the fault, or processed once
    if status is Status.SITE_ERROR:
        assert "--resume" in result.message


def test_a_sign_in_slower_than_the_timeout_is_not_sent_again(pacer_mock_factory: Factory, run_accounts) -> None:
    slow = FaultRule(kind="latency", path="^/csologin/login.jsf$", method="POST", delay_s=7, name="slow")
    server = pacer_mock_factory(faults=[slow.model_dump()], lockout_after=3)
    result = run_accounts(server, [account_of(server, "hlee2008", password="Wrong-Password-99")], timeout_s=3)[0]
    assert result.status is Status.SITE_ERROR and result.attempts == 1, result.message
    assert "did not answer the sign-in within 3 s" in result.message and "not sent again" in result.message
    deadline = time.monotonic() + 30
    while posts(server, "hlee2008") == 0 and time.monotonic() < deadline:
        time.sleep(0.2)  # the mock processes the slow post after the flow gave up on it
    assert posts(server, "hlee2008") == 1 and server.stats()["faults"]["slow"] == 1
    assert not server.stats()["locked"]


def test_a_session_lost_after_sign_in_is_no_reason_to_sign_in_again(pacer_mock_factory: Factory, run_accounts) -> None:
    # The first account-page load with a session ends it: the browser is back at sign-on.
    server = pacer_mock_factory(faults=[FaultRule(kind="expire_session", path="^/pscof/manage/", times=1).model_dump()])
    result = run_accounts(server, [account_of(server, "asmith2001")])[0]
    assert result.status is Status.SITE_ERROR and "session ended" in result.message, result.message
    assert posts(server, "asmith2001") == 1 and result.attempts == 1


def test_an_error_in_pacer_verify_is_reported_as_internal(
    pacer_mock: MockServer, run_accounts, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    original = ManageAccountPage.read_all

    async def read(self: ManageAccountPage) -> Any:
        if "asmith" in self.page.url or await self.page.get_by_text("asmith2001").count():
            raise KeyError("account_type")
        return await original(self)

    monkeypatch.setattr(ManageAccountPage, "read_all", read)
    with caplog.at_level(logging.WARNING, logger="verifier.run.account"):
        results = run_accounts(
            pacer_mock, [account_of(pacer_mock, "asmith2001", row=1), account_of(pacer_mock, "egarcia2005", row=2)]
        )
    assert results[0].status is Status.SITE_ERROR and results[0].attempts == 1
    assert results[0].message.startswith("internal error in pacer-verify (read in test_signon_paths.py")
    assert "KeyError" in results[0].message and "page" not in results[0].message.split(":")[0]
    assert results[1].status is Status.LEGACY  # the run went on
    assert any("internal error" in r.getMessage() for r in caplog.records)
    assert posts(pacer_mock, "asmith2001") == 1


def test_a_court_asking_to_sign_on_again_gets_no_password(pacer_mock: MockServer, run_accounts) -> None:
    # The court's page ends the session before it is served: the court shows the sign-on form.
    pacer_mock.set_faults([FaultRule(kind="expire_session", path="^/ecf/cod/", times=1)])
    result = run_accounts(pacer_mock, [account_of(pacer_mock, "asmith2001", courts=("cod",))])[0]
    assert result.status is Status.UPGRADED
    assert result.courts[0].linked is None and "not checked" in result.courts[0].message
    assert posts(pacer_mock, "asmith2001") == 1


def test_rows_sharing_a_username(pacer_mock: MockServer, run_accounts) -> None:
    rows = [
        account_of(pacer_mock, "asmith2001", row=1, name="Alice Smith"),
        account_of(pacer_mock, "asmith2001", row=2, name="Adam Smith"),  # same login, same password
        account_of(pacer_mock, "egarcia2005", row=3),
        account_of(pacer_mock, "egarcia2005", row=4, password="Wrong-Password-99"),  # same login, other password
        *(account_of(pacer_mock, "jbrown2010", row=5 + i, name=f"Inactive {i}") for i in range(3)),
        account_of(pacer_mock, "fkim2006", row=8),
    ]
    results = run_accounts(pacer_mock, rows, concurrency=2, stop_after_locked=3)
    assert [r.status for r in results] == [
        Status.UPGRADED,
        Status.UPGRADED,
        Status.LEGACY,
        Status.INVALID_CREDENTIALS,
        *[Status.LOCKED] * 3,
        Status.LEGACY,
    ]
    assert [r.name for r in results[:2]] == ["Alice Smith", "Adam Smith"]
    assert posts(pacer_mock, "asmith2001") == 1  # one sign-in for identical credentials
    assert posts(pacer_mock, "egarcia2005") == 2  # each password checked on its own
    assert posts(pacer_mock, "jbrown2010") == 1
    # Three rows of one inactive login are one locked account: the run did not stop.
    assert results[-1].username == "fkim2006"
