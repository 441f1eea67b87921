"""The flows in a real browser against the mock: every status, the steps, and the courts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.async_api import Browser
from pydantic import SecretStr

from flows.errors import TransientSiteError
from verifier.check.outcome import AccountOutcome
from verifier.check.site import SiteMap
from verifier.check.verify import verify_account
from verifier.mock.scenario import FaultRule, MockAccount
from verifier.mock.server import MockServer
from verifier.models import Account, Status


class Courts:
    def __init__(self, currentgen: set[str]) -> None:
        self.currentgen = currentgen

    def get(self, court_id: str) -> Any:
        generation = "currentgen" if court_id in self.currentgen else "nextgen"
        return type("Court", (), {"generation": generation, "cmecf_url": ""})()


def as_account(
    mock: MockAccount,
    *,
    password: str | None = None,
    otp: bool = True,
    courts: tuple[str, ...] = (),
    cmecf: tuple[str, str] | None = None,
) -> Account:
    return Account(
        username=mock.username,
        name=mock.name,
        password=SecretStr(password or mock.password),
        otp_secret=SecretStr(mock.otp_secret) if (otp and mock.otp_secret) else None,
        courts=courts,
        cmecf_username=cmecf[0] if cmecf else None,
        cmecf_password=SecretStr(cmecf[1]) if cmecf else None,
    )


@pytest.fixture
def verify(
    core_browser: Browser, run_core: Callable[..., Any], pacer_mock: MockServer
) -> Callable[..., AccountOutcome]:
    def check(account: Account, server: MockServer | None = None, timeout_ms: float = 15_000) -> AccountOutcome:
        async def go() -> AccountOutcome:
            context = await core_browser.new_context()
            try:
                page = await context.new_page()
                return await verify_account(
                    page,
                    account,
                    SiteMap.for_base_url((server or pacer_mock).url),
                    timeout_ms=timeout_ms,
                    courts=Courts({"nysd"}),
                )
            finally:
                await context.close()

        return run_core(go())

    return check


def mock_account(server: MockServer, username: str) -> MockAccount:
    return next(a for a in server.scenario.accounts if a.username == username)


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("asmith2001", Status.UPGRADED),
        ("bjones2002", Status.UPGRADED),  # filer: the Redaction Agreement is accepted on the way
        ("cwong2003", Status.UPGRADED),  # filer with MFA: code, then redaction
        ("egarcia2005", Status.LEGACY),
        ("gnguyen2007", Status.LEGACY),
        ("imartin2009", Status.LOCKED),
        ("jbrown2010", Status.LOCKED),
        ("lwilson2012", Status.UPDATE_REQUIRED),
        ("mmoore2013", Status.UPDATE_REQUIRED),
        ("ntaylor2014", Status.UNRECOGNIZED_PAGE),
        ("pthomas2016", Status.UPGRADED),
        ("qjackson2017", Status.LEGACY),
        ("rwhite2018", Status.UPGRADED),
        ("sharris2019", Status.LEGACY),
        ("tclark2020", Status.LEGACY),
    ],
)
def test_status_through_the_browser(verify, pacer_mock: MockServer, username: str, status: Status) -> None:
    result = verify(as_account(mock_account(pacer_mock, username)))
    assert result.status is status, result.message


def test_wrong_password_is_reported_and_tried_once(verify, pacer_mock: MockServer) -> None:
    result = verify(as_account(mock_account(pacer_mock, "hlee2008"), password="Wrong-Password-99"))
    assert result.status is Status.INVALID_CREDENTIALS
    assert "Invalid username or password" in result.message
    assert pacer_mock.stats()["login_posts"]["hlee2008"] == 1


def test_mfa_without_secret(verify, pacer_mock: MockServer) -> None:
    result = verify(as_account(mock_account(pacer_mock, "kdavis2011"), otp=False))
    assert result.status is Status.MFA_REQUIRED


def test_wrong_otp_secret_is_a_rejected_code(verify, pacer_mock: MockServer) -> None:
    account = as_account(mock_account(pacer_mock, "gnguyen2007")).model_copy(
        update={"otp_secret": SecretStr("JBSWY3DPEHPK3PXPJBSWY3DP")}
    )
    result = verify(account)
    assert result.status is Status.OTP_REJECTED  # the password was taken before the code step
    assert "one-time passcode" in result.message.lower()


def test_update_prompt_is_never_skipped(verify, pacer_mock: MockServer) -> None:
    verify(as_account(mock_account(pacer_mock, "lwilson2012")))
    assert pacer_mock.state.account("lwilson2012").skips_left == 2


def test_account_page_details(verify, pacer_mock: MockServer) -> None:
    verification = verify(as_account(mock_account(pacer_mock, "dpatel2004")))
    assert verification.page is not None
    assert verification.page.paa_label == "Smith & Jones LLP (firm billing)"
    assert verification.page.mfa_enrolled is False
    assert verification.page.account_number == mock_account(pacer_mock, "dpatel2004").account_number
    assert verify(as_account(mock_account(pacer_mock, "cwong2003"))).page.mfa_enrolled is True


def test_courts_linked_and_not(verify, pacer_mock: MockServer) -> None:
    result = verify(as_account(mock_account(pacer_mock, "cwong2003"), courts=("cod", "utd")))
    by_court = {c.court: c for c in result.courts}
    assert by_court["cod"].linked is True and "Civil" in by_court["cod"].menus
    assert by_court["utd"].linked is False and "Civil" not in by_court["utd"].menus


def test_bankruptcy_court_menus(verify, pacer_mock: MockServer) -> None:
    result = verify(as_account(mock_account(pacer_mock, "wwalker2021"), courts=("utb",)))
    assert result.courts[0].linked is True and "Bankruptcy" in result.courts[0].menus


def test_currentgen_login_checked(verify, pacer_mock: MockServer) -> None:
    good = verify(as_account(mock_account(pacer_mock, "xhall2023"), courts=("nysd",), cmecf=("xhall", "Cmecf-Old-6")))
    bad = verify(
        as_account(mock_account(pacer_mock, "yallen2024"), courts=("nysd",), cmecf=("yallen", "Wrong-Cmecf-Pw"))
    )
    assert good.courts[0].cmecf_login_ok is True
    assert bad.courts[0].cmecf_login_ok is False


def test_error_page_is_a_transient_fault(verify, pacer_mock: MockServer) -> None:
    with pytest.raises(TransientSiteError, match="503"):
        verify(as_account(mock_account(pacer_mock, "oanderson2015")))


def test_session_expiry_is_a_transient_fault(verify, pacer_mock: MockServer) -> None:
    pacer_mock.set_faults([FaultRule(kind="expire_session", path="^/pscof/manage/", times=1)])
    with pytest.raises(TransientSiteError):
        verify(as_account(mock_account(pacer_mock, "asmith2001")))


def test_dropped_connection_is_a_transient_fault(verify, pacer_mock: MockServer) -> None:
    pacer_mock.set_faults([FaultRule(kind="drop", path="^/pscof/manage/", times=5)])
    # A dropped connection is given up on at the timeout: a short one, since how long it is is not the point.
    with pytest.raises(TransientSiteError, match="no answer within 5 s"):
        verify(as_account(mock_account(pacer_mock, "asmith2001")), timeout_ms=5_000)


@pytest.mark.parametrize("variant", ["split", "table", "columns", "readonly", "grid", "dl", "spacing", "link"])
def test_markup_drift_reads_the_same(verify, pacer_mock: MockServer, variant: str) -> None:
    # "columns", "readonly" and "grid" keep labels apart from their values in the markup: read in
    # reading order alone, the text after "Account Type" is the next label (or nothing at all).
    pacer_mock.set_faults([], variant=variant)
    legacy = verify(as_account(mock_account(pacer_mock, "egarcia2005")))
    assert legacy.status is Status.LEGACY
    assert legacy.page is not None and legacy.page.username == "egarcia2005"
    assert legacy.page.mfa_enrolled is False and (legacy.page.case_search_label or "").lower() == "active"
    upgraded = verify(as_account(mock_account(pacer_mock, "asmith2001")))
    assert upgraded.status is Status.UPGRADED
    assert (
        upgraded.page is not None
        and upgraded.page.account_number == mock_account(pacer_mock, "asmith2001").account_number
    )


def test_case_search_status_is_read(verify, pacer_mock: MockServer) -> None:
    # The mock shows "Case Search Status: Active" for every account that can sign in; the checklist's
    # inactive item is covered by tests/test_readiness.py.
    verification = verify(as_account(mock_account(pacer_mock, "asmith2001")))
    assert verification.page is not None and verification.page.case_search_label == "Active"
    assert not verification.page.case_search_inactive
