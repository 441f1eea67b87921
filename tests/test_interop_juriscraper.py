"""Another PACER client against the mock: Free Law Project's juriscraper (`PacerSession`, on httpx), unchanged
apart from a transport that routes `*.uscourts.gov` to the mock over https (tests/interop_transport.py).

Each assertion is about what juriscraper reports (its exceptions, the pages it returns, the cookies it sets)
and the mock's counters (sign-ins, open sessions). Installed by `bash bootstrap.sh test` (the `interop`
extra); skipped, saying so, where juriscraper is not installed."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pyotp
import pytest
from interop_transport import RouteToMock

from verifier.mock.auth_api import CLIENT_CODE_NOTE
from verifier.mock.server import MockServer

pytest.importorskip("juriscraper", reason="juriscraper is the `interop` extra: pip install -e '.[interop]'")
from juriscraper.lib.exceptions import PacerLoginException
from juriscraper.pacer.http import PacerSession

MANAGE_MY_ACCOUNT = "https://pacer.psc.uscourts.gov/pscof/manage/maint.jsf"
LOGOUT = "https://pacer.login.uscourts.gov/services/cso-logout"
NOT_A_TOKEN = "Did not get NextGenCSO cookie when attempting PACER login."


def court(court_id: str, script: str = "ShowIndex.pl") -> str:
    return f"https://ecf.{court_id}.uscourts.gov/cgi-bin/{script}"


@pytest.fixture
def juriscraper(
    pacer_mock_tls: MockServer, run_core: Callable[..., Any]
) -> Callable[..., tuple[PacerSession, RouteToMock]]:
    """`juriscraper(username, **kwargs)`: a PacerSession with the mock's password, routed to the https mock."""
    made: list[PacerSession] = []

    def make(username: str, *, password: str | None = None, **kwargs: Any) -> tuple[PacerSession, RouteToMock]:
        account = pacer_mock_tls.state.account(username)
        assert account is not None
        login_fields = kwargs.pop("login_fields", None)
        transport = RouteToMock(pacer_mock_tls.url, pacer_mock_tls.ca_file, login_fields)
        session = PacerSession(username=username, password=password or account.password, transport=transport, **kwargs)
        made.append(session)
        return session, transport

    yield make
    for session in made:
        run_core(session.aclose())


def api_sign_ins(server: MockServer) -> dict[str, int]:
    return server.stats()["api_login_posts"]


def test_a_plain_sign_in_and_manage_my_account(juriscraper, pacer_mock_tls: MockServer, run_core) -> None:
    session, transport = juriscraper("asmith2001")

    async def go() -> tuple[str, str, int]:
        await session.login()
        page = await session.get(MANAGE_MY_ACCOUNT, auto_login=False)
        return session.cookies.get("NextGenCSO", domain=".uscourts.gov") or "", page.text, page.status_code

    token, page, status = run_core(go())
    assert len(token) == 128 and status == 200
    assert "Manage My Account" in page and "Upgraded PACER Account" in page and "asmith2001" in page
    assert api_sign_ins(pacer_mock_tls) == {"asmith2001": 1}
    assert pacer_mock_tls.stats()["open_sessions"] == {"asmith2001": 1}
    assert transport.routed[0] == "POST https://pacer.login.uscourts.gov/services/cso-auth"


def test_a_filer_and_a_nextgen_courts_page(juriscraper, pacer_mock_tls: MockServer, run_core) -> None:
    session, _ = juriscraper("bjones2002")  # a filer: juriscraper sends redactFlag "1"

    async def go() -> str:
        await session.login()
        return (await session.get(court("utb"))).text  # juriscraper's own check for a signed-in page

    page = run_core(go())
    assert "/cgi-bin/login.pl?logout" in page and "Utilities" in page
    assert api_sign_ins(pacer_mock_tls) == {"bjones2002": 1}  # the court took its cookies: no second sign-in


def test_a_currentgen_courts_page_takes_the_pacer_session_cookie(
    juriscraper, pacer_mock_tls: MockServer, run_core
) -> None:
    session, _ = juriscraper("egarcia2005")

    async def go() -> str:
        await session.login()
        return (await session.get(court("nysd", "iquery.pl"))).text

    page = run_core(go())
    assert 'name="GetPass"' not in page and "/cgi-bin/login.pl?logout" in page and "Query" in page
    assert api_sign_ins(pacer_mock_tls) == {"egarcia2005": 1}  # no silent sign-ins again


def test_a_wrong_password_and_a_disabled_account(juriscraper, pacer_mock_tls: MockServer, run_core) -> None:
    wrong, _ = juriscraper("hlee2008", password="Wrong-Password-99")
    disabled, _ = juriscraper("imartin2009")

    async def refused(session: PacerSession) -> str:
        with pytest.raises(PacerLoginException) as caught:
            await session.login()
        return str(caught.value)

    # "13" is not "1" to juriscraper: it notices only that no token came.
    assert run_core(refused(wrong)) == NOT_A_TOKEN
    # A string "1", as the guide types it: juriscraper reports the site's words (a number would not be "1").
    assert run_core(refused(disabled)) == "Invalid username/password: " + (
        "Your PACER account has been disabled. Please contact the PACER Service Center."
    )
    assert api_sign_ins(pacer_mock_tls) == {"hlee2008": 1, "imartin2009": 1}
    assert pacer_mock_tls.stats()["open_sessions"] == {}


def test_an_mfa_account_with_otp_code_as_its_documented_field(
    juriscraper, pacer_mock_tls: MockServer, run_core
) -> None:
    secret = pacer_mock_tls.state.account("kdavis2011").otp_secret  # type: ignore[union-attr]
    assert secret
    without, _ = juriscraper("kdavis2011")
    with_code, _ = juriscraper("kdavis2011", login_fields={"otpCode": pyotp.TOTP(secret).now()})

    async def go() -> tuple[str, str]:
        with pytest.raises(PacerLoginException) as caught:
            await without.login()
        await with_code.login()
        page = await with_code.get(MANAGE_MY_ACCOUNT, auto_login=False)
        return str(caught.value), page.text

    refused, page = run_core(go())
    assert refused == NOT_A_TOKEN  # juriscraper 4.0.1 sends no otpCode
    assert "kdavis2011" in page and "Manage My Account" in page
    assert api_sign_ins(pacer_mock_tls) == {"kdavis2011": 2}


def test_a_client_code(juriscraper, pacer_mock_tls: MockServer, run_core, caplog: pytest.LogCaptureFixture) -> None:
    with_code, _ = juriscraper("dpatel2004", client_code="SJ-0001")
    without, _ = juriscraper("dpatel2004")

    async def go() -> tuple[str | None, str | None]:
        await with_code.login()
        await without.login()  # signed in, with the note juriscraper logs
        return with_code.cookies.get("PacerClientCode"), without.cookies.get("PacerClientCode")

    with caplog.at_level(logging.INFO):
        assert run_core(go()) == ("SJ-0001", None)
    assert pacer_mock_tls.stats()["client_codes"] == {"dpatel2004:SJ-0001": 1}
    assert CLIENT_CODE_NOTE in caplog.text


def test_the_logout_service_brings_the_open_sessions_back_to_zero(
    juriscraper, pacer_mock_tls: MockServer, run_core
) -> None:
    session, _ = juriscraper("asmith2001")

    async def go() -> tuple[dict[str, Any], int]:
        await session.login()
        token = session.cookies.get("NextGenCSO", domain=".uscourts.gov")
        before = sum(pacer_mock_tls.stats()["open_sessions"].values())
        answer = await session.post(LOGOUT, json={"nextGenCSO": token}, auto_login=False)
        return answer.json(), before

    answer, before = run_core(go())
    assert before == 1 and answer["loginResult"] == "0"
    assert pacer_mock_tls.stats()["open_sessions"] == {}
