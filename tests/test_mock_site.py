"""The mock PACER site over plain HTTP: pages, steps, messages and faults, as the contract says."""

from __future__ import annotations

import re

import httpx
import pyotp
import pytest

from verifier.mock.scenario import FaultRule, MockScenario
from verifier.mock.server import MockServer

LOGIN = "/csologin/login.jsf"
ACCOUNT = "/pscof/manage/maint.jsf"


def account(scenario: MockScenario, username: str):
    return next(a for a in scenario.accounts if a.username == username)


def view_state(html: str) -> str:
    match = re.search(r'name="javax\.faces\.ViewState" value="([^"]+)"', html)
    assert match, "no ViewState on the page"
    return match.group(1)


def client(server: MockServer) -> httpx.Client:
    return httpx.Client(base_url=server.url, follow_redirects=False, timeout=10)


def sign_in(http: httpx.Client, username: str, password: str, appurl: str = "") -> httpx.Response:
    page = http.get(LOGIN, params={"appurl": appurl} if appurl else None)
    return http.post(LOGIN, data={"loginForm:loginName": username, "loginForm:password": password,
                                  "javax.faces.ViewState": view_state(page.text), "appurl": appurl,
                                  "loginForm:fbtnLogin": "loginForm:fbtnLogin"})


def test_login_page_has_the_real_form(pacer_mock: MockServer) -> None:
    html = client(pacer_mock).get(LOGIN).text
    for needle in ('id="loginForm"', 'id="loginForm:loginName"', 'id="loginForm:password"', 'id="loginForm:clientCode"',
                   'id="loginForm:fbtnLogin"', "<title>PACER Login</title>", 'for="loginForm:loginName">Username<',
                   'for="loginForm:password">Password<', "accept cookies"):
        assert needle in html


def test_account_page_without_session_goes_to_sign_on(pacer_mock: MockServer) -> None:
    response = client(pacer_mock).get(ACCOUNT)
    assert response.status_code == 303
    assert response.headers["location"].startswith(f"{LOGIN}?appurl=")


def test_sign_on_then_account_page(pacer_mock: MockServer) -> None:
    http = client(pacer_mock)
    user = account(pacer_mock.scenario, "egarcia2005")
    response = sign_in(http, user.username, user.password, appurl=pacer_mock.url + ACCOUNT)
    assert response.status_code == 303 and response.headers["location"] == ACCOUNT
    assert len(http.cookies["NextGenCSO"]) == 128
    page = http.get(ACCOUNT).text
    assert "Legacy PACER Account" in page and "(Upgrade)" in page and "Account Number:" in page


def test_view_state_must_round_trip(pacer_mock: MockServer) -> None:
    http = client(pacer_mock)
    http.get(LOGIN)
    user = account(pacer_mock.scenario, "asmith2001")
    response = http.post(LOGIN, data={"loginForm:loginName": user.username, "loginForm:password": user.password,
                                      "javax.faces.ViewState": "forged"})
    assert "Your session has expired" in response.text
    assert "NextGenCSO" not in http.cookies


@pytest.mark.parametrize(("username", "password", "message"), [
    ("asmith2001", "Wrong-Password-1", "Invalid username or password"),
    ("nobody9999", "Whatever-123", "Invalid username or password"),
    ("abc", "Whatever-123", "Username must be at least 6 characters"),
    ("asmith2001", "short", "Password must be at least 8 characters"),
    ("imartin2009", None, "Your PACER account has been disabled"),
])
def test_failure_messages(pacer_mock: MockServer, username: str, password: str | None, message: str) -> None:
    real = next((a.password for a in pacer_mock.scenario.accounts if a.username == username), "")
    response = sign_in(client(pacer_mock), username, password or real)
    assert message in response.text
    assert 'role="alert"' in response.text


def test_inactive_account_dialog(pacer_mock: MockServer) -> None:
    user = account(pacer_mock.scenario, "jbrown2010")
    html = sign_in(client(pacer_mock), user.username, user.password).text
    assert "PACER User Inactive" in html and 'role="dialog"' in html


def test_one_time_code_right_and_wrong(pacer_mock: MockServer) -> None:
    user = account(pacer_mock.scenario, "gnguyen2007")
    assert user.otp_secret
    http = client(pacer_mock)
    step = sign_in(http, user.username, user.password)
    assert 'id="mfaForm:mfaInput"' in step.text and "One-Time Passcode" in step.text
    wrong = http.post(LOGIN, data={"mfaForm:mfaInput": "000000", "mfaForm:btnOk": "1",
                                   "javax.faces.ViewState": view_state(step.text)})
    assert "Invalid one-time passcode" in wrong.text
    right = http.post(LOGIN, data={"mfaForm:mfaInput": pyotp.TOTP(user.otp_secret).now(), "mfaForm:btnOk": "1",
                                   "javax.faces.ViewState": view_state(wrong.text)})
    assert right.status_code == 303 and "NextGenCSO" in http.cookies


def test_redaction_agreement_needs_the_box(pacer_mock: MockServer) -> None:
    user = account(pacer_mock.scenario, "bjones2002")
    http = client(pacer_mock)
    step = sign_in(http, user.username, user.password)
    assert "Redaction Agreement" in step.text and 'id="regmsg:bpmConfirm"' in step.text
    unticked = http.post(LOGIN, data={"regmsg:bpmConfirm": "1", "javax.faces.ViewState": view_state(step.text)})
    assert "Redaction Agreement" in unticked.text
    ticked = http.post(LOGIN, data={"regmsg:bpmConfirm": "1", "regmsg:chkRedact_input": "on",
                                    "javax.faces.ViewState": view_state(unticked.text)})
    assert ticked.status_code == 303


def test_user_update_skip_counts_down_and_runs_out(pacer_mock: MockServer) -> None:
    user = account(pacer_mock.scenario, "lwilson2012")
    http = client(pacer_mock)
    step = sign_in(http, user.username, user.password)
    assert "User Update Required" in step.text and "skip this update 2 more" in step.text
    skipped = http.post(LOGIN, data={"frmUserUpdate:bpmSkip": "1", "javax.faces.ViewState": view_state(step.text)})
    assert skipped.status_code == 303
    assert pacer_mock.state.account(user.username).skips_left == 1
    none_left = account(pacer_mock.scenario, "mmoore2013")
    html = sign_in(client(pacer_mock), none_left.username, none_left.password).text
    assert "Account access is restricted" in html and "bpmSkip" not in html


def test_lockout_after_wrong_passwords(pacer_mock_factory) -> None:
    server = pacer_mock_factory(lockout_after=3)
    user = account(server.scenario, "asmith2001")
    for _ in range(3):
        sign_in(client(server), user.username, "Wrong-Password-1")
    html = sign_in(client(server), user.username, user.password).text
    assert "has been locked" in html
    assert server.stats()["login_posts"]["asmith2001"] == 4


def test_foreign_appurl_is_ignored(pacer_mock: MockServer) -> None:
    user = account(pacer_mock.scenario, "asmith2001")
    response = sign_in(client(pacer_mock), user.username, user.password, appurl="https://evil.example/steal")
    assert response.headers["location"] == "/"


def test_single_sign_on_to_a_court(pacer_mock: MockServer) -> None:
    http = client(pacer_mock)
    user = account(pacer_mock.scenario, "asmith2001")
    first = http.get("/ecf/cod/cgi-bin/login.pl")
    assert "pscCourtId=CODC" in first.headers["location"]
    sign_in(http, user.username, user.password)
    again = http.get(first.headers["location"])
    assert again.status_code == 303 and again.headers["location"] == "/ecf/cod/cgi-bin/ShowIndex.pl"
    menu = http.get("/ecf/cod/cgi-bin/ShowIndex.pl").text
    assert 'id="topmenu"' in menu and ">Civil<" in menu and ">Criminal<" in menu


def test_link_flow_adds_filing_menus(pacer_mock: MockServer) -> None:
    http = client(pacer_mock)
    user = account(pacer_mock.scenario, "bjones2002")
    step = sign_in(http, user.username, user.password)
    http.post(LOGIN, data={"regmsg:bpmConfirm": "1", "regmsg:chkRedact_input": "on",
                           "javax.faces.ViewState": view_state(step.text)})
    assert ">Bankruptcy<" not in http.get("/ecf/utb/cgi-bin/ShowIndex.pl").text
    assert "Link a CM/ECF account to my PACER account" in http.get("/ecf/utb/cgi-bin/DisplayMenu.pl?Utilities").text
    bad = http.post("/ecf/utb/cgi-bin/LinkAccount.pl", data={"step": "credentials", "login": "bjones", "password": "x"})
    assert "incorrect" in bad.text
    verify = http.post("/ecf/utb/cgi-bin/LinkAccount.pl",
                       data={"step": "credentials", "login": "bjones", "password": "Cmecf-Old-2"})
    assert "Verify" in verify.text
    done = http.post("/ecf/utb/cgi-bin/LinkAccount.pl", data={"step": "confirm"})
    assert "has been linked" in done.text and ">Bankruptcy<" in done.text and ">Adversary<" in done.text


def test_currentgen_court_login(pacer_mock: MockServer) -> None:
    http = client(pacer_mock)
    page = http.get("/ecf/nysd/cgi-bin/login.pl").text
    assert "CM/ECF Filer or PACER Login" in page and 'name="GetPass"' in page and 'name="clcode"' in page
    assert "Login failed" in http.post("/ecf/nysd/cgi-bin/login.pl", data={"login": "xhall", "key": "nope"}).text
    ok = http.post("/ecf/nysd/cgi-bin/login.pl", data={"login": "xhall", "key": "Cmecf-Old-6"}).text
    assert ">Civil<" in ok


def test_upgrade_flow(pacer_mock: MockServer) -> None:
    http = client(pacer_mock)
    user = account(pacer_mock.scenario, "egarcia2005")
    sign_in(http, user.username, user.password)
    assert "Person" in http.get("/pscof/upgrade.jsf").text
    http.post("/pscof/upgrade.jsf", data={"step": "person", "dob": "01/02/1970"})
    http.post("/pscof/upgrade.jsf", data={"step": "address", "county": "Denver"})
    done = http.post("/pscof/upgrade.jsf", data={"step": "security", "newPassword": "A-New-Password-123!"})
    assert "Upgrade complete" in done.text
    assert "Upgraded PACER Account" in http.get(ACCOUNT).text
    pacer_mock.reset()
    assert pacer_mock.state.account("egarcia2005").account_type == "legacy"


@pytest.mark.parametrize("variant", ["split", "table", "dl", "spacing", "link", "inline"])
def test_markup_variants_keep_label_and_value(pacer_mock_factory, variant: str) -> None:
    server = pacer_mock_factory(variant=variant)
    http = client(server)
    user = account(server.scenario, "egarcia2005")
    sign_in(http, user.username, user.password)
    text = re.sub(r"<[^>]+>", " ", http.get(ACCOUNT).text)
    assert re.search(r"account\s+type", text, re.I)
    assert re.search(r"legacy\s+pacer\s+account", text, re.I)


def test_status_fault_first_n_then_recovers(pacer_mock: MockServer) -> None:
    pacer_mock.set_faults([FaultRule(kind="status", path="^/csologin/", status=500, times=2)])
    http = client(pacer_mock)
    assert [http.get(LOGIN).status_code for _ in range(3)] == [500, 500, 200]


def test_rate_fault_is_repeatable(pacer_mock: MockServer) -> None:
    pacer_mock.set_faults([FaultRule(kind="status", rate=0.5, seed=7)])
    first = [client(pacer_mock).get("/").status_code for _ in range(20)]
    pacer_mock.set_faults([FaultRule(kind="status", rate=0.5, seed=7)])
    assert [client(pacer_mock).get("/").status_code for _ in range(20)] == first
    assert 503 in first and 200 in first


def test_retry_after(pacer_mock: MockServer) -> None:
    pacer_mock.set_faults([FaultRule(kind="retry_after", retry_after_s=3, times=1)])
    response = client(pacer_mock).get(LOGIN)
    assert response.status_code == 429 and response.headers["retry-after"] == "3"


def test_dropped_connection(pacer_mock: MockServer) -> None:
    pacer_mock.set_faults([FaultRule(kind="drop", times=1)])
    with pytest.raises(httpx.TransportError):
        client(pacer_mock).get(LOGIN)
    assert client(pacer_mock).get(LOGIN).status_code == 200


def test_session_expiry_between_sign_on_and_account_page(pacer_mock: MockServer) -> None:
    pacer_mock.set_faults([FaultRule(kind="expire_session", path="^/pscof/manage/", times=1)])
    http = client(pacer_mock)
    user = account(pacer_mock.scenario, "asmith2001")
    sign_in(http, user.username, user.password)
    assert http.get(ACCOUNT).status_code == 303


def test_per_account_fault(pacer_mock: MockServer) -> None:
    http = client(pacer_mock)
    user = account(pacer_mock.scenario, "oanderson2015")
    sign_in(http, user.username, user.password)
    assert http.get(ACCOUNT).status_code == 503
