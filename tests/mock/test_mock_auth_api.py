"""The mock's Authentication API (`/services/cso-auth`): the answers a script gets, and what they leave
behind (a session the pages take, the lockout counter, the per-username count)."""

from __future__ import annotations

from collections.abc import Callable

import pyotp
from site_client import ACCOUNT, SiteClient

from verifier.mock.auth_api import INVALID, LOCKED, NEEDS_CODE, REDACTION, UPDATE_REQUIRED
from verifier.mock.scenario import MockAccount, MockScenario
from verifier.mock.server import MockServer

API = "/services/cso-auth"
PLAIN = MockAccount(username="plain2001", password="Plain-Passw0rd!")
FILER = MockAccount(username="filer2002", password="Filer-Passw0rd!", filer=True)
MFA = MockAccount(username="mfa2003", password="Mfa-Passw0rd!", otp_secret="7GIYCPFAMKVZ2CIPUBR42BBLN573O7R2")
UPDATE = MockAccount(username="update2004", password="Update-Passw0rd!", update_required=True)
OFF = MockAccount(username="off2005", password="Off-Passw0rd!", state="disabled")


def _server(factory: Callable[..., MockServer], **changes: object) -> MockServer:
    return factory(MockScenario(accounts=[PLAIN, FILER, MFA, UPDATE, OFF], **changes))


def _login(client: SiteClient, **body: str) -> dict[str, str]:
    response = client.http.post(API, json=body, headers={"Accept": "application/json"})
    assert response.status_code == 200
    return response.json()


def test_success_gives_a_token_that_opens_manage_my_account(pacer_mock_factory, clients) -> None:
    server = _server(pacer_mock_factory)
    client = clients(server)
    answer = _login(client, loginId="plain2001", password="Plain-Passw0rd!")
    assert answer["loginResult"] == "0" and answer["errorDescription"] == ""
    assert len(answer["nextGenCSO"]) == 128
    client.http.cookies.set("NextGenCSO", answer["nextGenCSO"])
    page = client.get(ACCOUNT)
    assert page.status_code == 200 and "Upgraded PACER Account" in page.text
    assert server.stats()["api_login_posts"] == {"plain2001": 1}
    assert server.stats()["login_posts"] == {}  # the sign-on form was never posted


def test_wrong_password_is_refused_and_counts_towards_lockout(pacer_mock_factory, clients) -> None:
    server = _server(pacer_mock_factory, lockout_after=2)
    client = clients(server)
    first = _login(client, loginId="plain2001", password="wrong-password")
    assert first == {"loginResult": "13", "nextGenCSO": "", "errorDescription": INVALID}
    second = _login(client, loginId="plain2001", password="wrong-password")
    assert second["errorDescription"] == LOCKED
    # Locked now: even the right password is refused.
    assert _login(client, loginId="plain2001", password="Plain-Passw0rd!")["errorDescription"] == LOCKED


def test_filer_must_send_the_redaction_flag(pacer_mock_factory, clients) -> None:
    client = clients(_server(pacer_mock_factory))
    refused = _login(client, loginId="filer2002", password="Filer-Passw0rd!")
    assert refused["loginResult"] == "1" and refused["errorDescription"] == REDACTION and not refused["nextGenCSO"]
    agreed = _login(client, loginId="filer2002", password="Filer-Passw0rd!", redactFlag="1")
    assert agreed["loginResult"] == "0" and agreed["nextGenCSO"]


def test_mfa_account_needs_the_current_code(pacer_mock_factory, clients) -> None:
    client = clients(_server(pacer_mock_factory))
    assert _login(client, loginId="mfa2003", password="Mfa-Passw0rd!")["errorDescription"] == NEEDS_CODE
    wrong = _login(client, loginId="mfa2003", password="Mfa-Passw0rd!", otpCode="000000")
    assert wrong["loginResult"] == "13" and not wrong["nextGenCSO"]
    code = pyotp.TOTP("7GIYCPFAMKVZ2CIPUBR42BBLN573O7R2").now()
    assert _login(client, loginId="mfa2003", password="Mfa-Passw0rd!", otpCode=code)["loginResult"] == "0"


def test_forced_update_signs_in_with_it_pending_and_pages_send_to_sign_on(pacer_mock_factory, clients) -> None:
    client = clients(_server(pacer_mock_factory))
    answer = _login(client, loginId="update2004", password="Update-Passw0rd!")
    assert answer["loginResult"] == "0" and answer["errorDescription"] == UPDATE_REQUIRED
    client.http.cookies.set("NextGenCSO", answer["nextGenCSO"])
    assert client.get(ACCOUNT).status_code == 303  # to the sign-on page, where the update is shown


def test_disabled_account_is_refused(pacer_mock_factory, clients) -> None:
    answer = _login(clients(_server(pacer_mock_factory)), loginId="off2005", password="Off-Passw0rd!")
    assert answer["loginResult"] != "0" and "disabled" in answer["errorDescription"]


def test_scenario_can_make_manage_my_account_refuse_api_sessions(pacer_mock_factory, clients) -> None:
    client = clients(_server(pacer_mock_factory, api_opens_account=False))
    answer = _login(client, loginId="plain2001", password="Plain-Passw0rd!")
    client.http.cookies.set("NextGenCSO", answer["nextGenCSO"])
    assert client.get(ACCOUNT).status_code == 303


def test_xml_request_and_answer(pacer_mock_factory, clients) -> None:
    client = clients(_server(pacer_mock_factory))
    body = "<CsoAuth><loginId>plain2001</loginId><password>Plain-Passw0rd!</password></CsoAuth>"
    response = client.http.post(
        API, content=body, headers={"Content-Type": "application/xml", "Accept": "application/xml"}
    )
    assert response.headers["content-type"].startswith("application/xml")
    assert "<loginResult>0</loginResult>" in response.text


def test_unreadable_body_is_a_bad_request(pacer_mock_factory, clients) -> None:
    client = clients(_server(pacer_mock_factory))
    response = client.http.post(API, content=b"{not json", headers={"Content-Type": "application/json"})
    assert response.status_code == 400 and response.json()["loginResult"] != "0"


def test_logout_ends_the_session(pacer_mock_factory, clients) -> None:
    client = clients(_server(pacer_mock_factory))
    token = _login(client, loginId="plain2001", password="Plain-Passw0rd!")["nextGenCSO"]
    client.http.post("/services/cso-logout", json={"nextGenCSO": token})
    client.http.cookies.set("NextGenCSO", token)
    assert client.get(ACCOUNT).status_code == 303
