"""Central Sign-On on the mock: the form, ViewState, every failure message, the steps, sessions."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import pyotp
import pytest
from site_client import ACCOUNT, LOGIN, SiteClient, alert_text, view_state_of, visible_text

from verifier.mock.scenario import MockAccount
from verifier.mock.server import MockServer


def test_sign_on_page_has_the_contract_form(client: SiteClient) -> None:
    response = client.get(LOGIN, params={"appurl": client.server.url + ACCOUNT, "pscCourtId": "CODC"})
    page = response.text
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert "<title>PACER Login</title>" in page and "<h1>PACER Login</h1>" in page
    assert "Your browser must be set to accept cookies in order to log in to this site" in page
    assert '<form id="loginForm" name="loginForm" method="post"' in page
    for field_id, label in (
        ("loginForm:loginName", "Username"),
        ("loginForm:password", "Password"),
        ("loginForm:clientCode", "Client Code"),
    ):
        assert f'<label for="{field_id}">{label}</label>' in page
        assert f'id="{field_id}" name="{field_id}"' in page
    assert 'type="password" id="loginForm:password"' in page
    assert re.search(
        r'<button type="submit" id="loginForm:fbtnLogin" name="loginForm:fbtnLogin"[^>]*>Login</button>', page
    )
    assert 'id="j_id1:javax.faces.ViewState:0" name="javax.faces.ViewState"' in page
    assert 'id="loginForm:pclLoginMessages" class="ui-messages" role="alert" aria-live="polite"' in page
    assert 'name="pscCourtId" value="CODC"' in page
    assert f'name="appurl" value="{client.server.url}{ACCOUNT}"' in page
    assert "JSESSIONID" in response.cookies


def test_no_external_resources(client: SiteClient) -> None:
    pages = [client.get(path).text for path in (LOGIN, "/", "/ecf/nysd/cgi-bin/login.pl")]
    pages += [client.sign_in("bjones2002").text, client.sign_in("lwilson2012").text, client.sign_in("gnguyen2007").text]
    client.full_sign_in("egarcia2005")
    pages += [
        client.get(path).text
        for path in (
            ACCOUNT,
            "/pscof/manage/settings.jsf",
            "/pscof/upgrade.jsf",
            "/ecf/cod/cgi-bin/ShowIndex.pl",
            "/ecf/cod/cgi-bin/LinkAccount.pl",
        )
    ]
    for page in pages:
        assert "<html" in page
        assert not re.search(r'(src|href|action)="(https?:)?//', page)
        assert "@import" not in page and "url(" not in page and "<img" not in page and "<script src" not in page


def test_view_state_round_trip(client: SiteClient) -> None:
    client.get(LOGIN)
    first = view_state_of(client.page)
    client.get(LOGIN)  # a second tab of the same browser: both forms stay valid, as in JSF
    user = client.account("asmith2001")
    response = client.post(
        LOGIN,
        {"loginForm:loginName": user.username, "loginForm:password": user.password, "javax.faces.ViewState": first},
    )
    assert response.status_code == 303


@pytest.mark.parametrize("how", ["forged", "missing", "other_browser"])
def test_view_state_mismatch_means_expired(
    client: SiteClient, clients: Callable[[MockServer], SiteClient], how: str
) -> None:
    client.get(LOGIN)
    view_state = {"forged": "1:2", "missing": "", "other_browser": ""}[how]
    if how == "other_browser":
        other = clients(client.server)
        other.get(LOGIN)
        view_state = view_state_of(other.page)
    user = client.account("asmith2001")
    response = client.post(
        LOGIN,
        {
            "loginForm:loginName": user.username,
            "loginForm:password": user.password,
            "javax.faces.ViewState": view_state,
        },
    )
    assert response.status_code == 200
    assert alert_text(response.text) == "Your session has expired. Please log in again."
    assert "NextGenCSO" not in client.http.cookies
    assert client.server.stats()["login_posts"] == {}  # never reached the account


@pytest.mark.parametrize(
    ("username", "password", "messages"),
    [
        ("asmith2001", "Wrong-Password-1", ["Invalid username or password"]),
        ("nobody9999", "Whatever-123", ["Invalid username or password"]),
        ("abc", "Whatever-123", ["Username must be at least 6 characters"]),
        ("asmith2001", "short", ["Password must be at least 8 characters"]),
        ("abc", "short", ["Username must be at least 6 characters", "Password must be at least 8 characters"]),
        ("imartin2009", None, ["Your PACER account has been disabled. Please contact the PACER Service Center."]),
    ],
)
def test_failure_messages(client: SiteClient, username: str, password: str | None, messages: list[str]) -> None:
    response = client.sign_in(username, password)
    assert response.status_code == 200
    assert alert_text(response.text) == " ".join(messages)
    assert f'name="loginForm:loginName" autocomplete="username" maxlength="80" value="{username}"' in response.text
    assert "NextGenCSO" not in client.http.cookies
    assert client.server.stats()["login_posts"][username] == 1


def test_too_long_client_code(client: SiteClient) -> None:
    response = client.sign_in("asmith2001", client_code="x" * 33)
    assert "Client code must be 32 characters or fewer" in alert_text(response.text)


def test_inactive_account_shows_the_dialog(client: SiteClient) -> None:
    page = client.sign_in("jbrown2010").text
    dialog = re.search(r'<div id="inactiveDlg"[^>]*role="dialog"[^>]*aria-labelledby="([^"]+)"', page)
    assert dialog
    assert re.search(rf'id="{dialog.group(1)}"[^>]*>PACER User Inactive<', page)
    assert "your account is currently inactive" in page
    assert alert_text(page) == ""
    assert "NextGenCSO" not in client.http.cookies


def test_success_sets_the_session_cookies_and_goes_to_appurl(client: SiteClient) -> None:
    response = client.sign_in("egarcia2005", appurl=client.server.url + ACCOUNT + "?x=1")
    assert response.status_code == 303
    assert response.headers["location"] == ACCOUNT + "?x=1"
    assert response.headers["cache-control"] == "no-store"
    cookies = response.headers.get_list("set-cookie")
    session = next(c for c in cookies if c.startswith("NextGenCSO="))
    token = session.split(";")[0].split("=", 1)[1]
    assert re.fullmatch(r"[A-Za-z0-9]{128}", token)
    assert "HttpOnly" in session and "Path=/" in session and "SameSite=lax" in session.replace("Lax", "lax")
    assert any(c.startswith(f"PacerSession={token};") for c in cookies)
    assert client.server.stats()["sign_ons"] == {"egarcia2005": 1}


def test_without_appurl_goes_home(client: SiteClient) -> None:
    assert client.sign_in("egarcia2005").headers["location"] == "/"


@pytest.mark.parametrize(
    "appurl",
    [
        "https://evil.example/steal",
        "//evil.example/steal",
        "/\\evil.example",
        "javascript:alert(1)",
        "http://127.0.0.1:1/pscof/manage/maint.jsf",
        "pscof/manage/maint.jsf",
        "https://pacer.psc.uscourts.gov/x",
    ],
)
def test_appurl_to_another_origin_is_ignored(client: SiteClient, appurl: str) -> None:
    assert client.sign_in("asmith2001", appurl=appurl).headers["location"] == "/"


def test_single_sign_on_with_a_session(client: SiteClient) -> None:
    client.sign_in("asmith2001")
    again = client.get(LOGIN, params={"appurl": client.server.url + ACCOUNT})
    assert again.status_code == 303 and again.headers["location"] == ACCOUNT
    assert client.get(LOGIN).status_code == 200  # no appurl: the form


def test_one_time_code_accepted_and_rejected(client: SiteClient) -> None:
    user = client.account("gnguyen2007")
    assert user.otp_secret
    step = client.sign_in(user.username)
    assert step.status_code == 200 and 'id="mfaForm"' in step.text
    assert '<label for="mfaForm:mfaInput">One-Time Passcode</label>' in step.text
    assert "Multi-Factor Authentication" in step.text and "one-time passcode from your authentication app" in step.text
    assert re.search(r'<button type="submit" id="mfaForm:btnOk"[^>]*>Submit</button>', step.text)
    wrong = client.code("000000" if pyotp.TOTP(user.otp_secret).now() != "000000" else "111111")
    assert alert_text(wrong.text) == "Invalid one-time passcode"
    assert client.code("12ab56").status_code == 200
    previous = pyotp.TOTP(user.otp_secret).at(time.time() - 30)  # one step back is still accepted (±1)
    right = client.code(previous)
    assert right.status_code == 303 and "NextGenCSO" in client.http.cookies
    assert client.server.stats()["step_posts"]["gnguyen2007"] == 3


def test_an_old_code_is_rejected(client: SiteClient) -> None:
    user = client.account("cwong2003")
    assert user.otp_secret
    client.sign_in(user.username)
    old = pyotp.TOTP(user.otp_secret).at(time.time() - 300)
    if old in {pyotp.TOTP(user.otp_secret).at(time.time() + d) for d in (-30, 0, 30)}:
        pytest.skip("the old code happens to equal a current one")
    assert alert_text(client.code(old).text) == "Invalid one-time passcode"


def test_redaction_agreement_requires_the_box(client: SiteClient) -> None:
    page = client.sign_in("bjones2002").text
    assert re.search(
        r'<div id="redactionConfirmation"[^>]*role="dialog"[^>]*'
        r'aria-labelledby="redactionConfirmation_title"',
        page,
    )
    assert ">Redaction Agreement<" in page
    assert "IMPORTANT NOTICE OF REDACTION RESPONSIBILITY:</strong> All filers must redact:" in page
    # The PrimeFaces checkbox: a visible box over a visually hidden native input, and the item label.
    assert re.search(
        r'<div class="ui-helper-hidden-accessible"><input type="checkbox" id="regmsg:chkRedact_input" '
        r'name="regmsg:chkRedact_input"',
        page,
    )
    assert '<div class="ui-chkbox-box' in page
    assert (
        '<span class="ui-chkbox-label" id="regmsg:chkRedact_label">I understand that, if I file, I must comply '
        "with the redaction rules. I have read this notice.</span>"
    ) in page
    assert re.search(r'id="regmsg:bpmConfirm"[^>]*aria-disabled="true">Continue</button>', page)
    assert '<form id="regmsg"' in page
    unticked = client.redaction(ticked=False)
    assert unticked.status_code == 200 and 'id="redactionConfirmation"' in unticked.text
    assert "NextGenCSO" not in client.http.cookies
    assert client.redaction().status_code == 303


def test_steps_run_in_order_and_cannot_be_skipped(
    pacer_mock_factory: Callable[..., MockServer], clients: Callable[[MockServer], SiteClient]
) -> None:
    secret = pyotp.random_base32()
    everything = MockAccount(
        username="allsteps01",
        password="Mock-Passw0rd-all",
        otp_secret=secret,
        filer=True,
        update_required=True,
        skips_left=1,
    )
    client = clients(pacer_mock_factory(accounts=[everything]))
    client.sign_in("allsteps01")
    assert 'id="mfaForm"' in client.page
    # Posting a later step's form does not get past the code.
    assert 'id="mfaForm"' in client.redaction().text
    assert 'id="mfaForm"' in client.step({"frmUserUpdate:bpmSkip": "x"}).text
    assert 'id="redactionConfirmation"' in client.code(pyotp.TOTP(secret).now()).text
    assert 'id="userUpdateDlg"' in client.redaction().text
    assert client.step({"frmUserUpdate:bpmSkip": "x"}).status_code == 303


def test_user_update_with_skips_left(client: SiteClient) -> None:
    page = client.sign_in("lwilson2012").text
    assert re.search(r'id="userUpdateDlg"[^>]*role="dialog"[^>]*aria-labelledby="userUpdateDlg_title"', page)
    assert ">User Update Required<" in page
    assert "Multifactor authentication (MFA) is now required for your account." in page  # the usual demand
    assert "You may skip this update 2 more time(s)." in page
    assert ">Skip</button>" in page and ">Update Now</button>" in page
    assert client.step({"frmUserUpdate:bpmSkip": "frmUserUpdate:bpmSkip"}).status_code == 303
    assert client.account("lwilson2012").skips_left == 1


def test_user_update_without_skips(client: SiteClient) -> None:
    page = client.sign_in("mmoore2013").text
    assert "Your password must be changed to meet the current PACER password requirements." in page
    assert "Account access is restricted until you update your account." in page
    assert "bpmSkip" not in page and ">Update Now</button>" in page
    assert client.step({"frmUserUpdate:bpmSkip": "x"}).status_code == 200  # a forged Skip does nothing
    assert "NextGenCSO" not in client.http.cookies


def test_update_now_changes_the_password(client: SiteClient, clients: Callable[[MockServer], SiteClient]) -> None:
    old = client.account("mmoore2013").password
    client.sign_in("mmoore2013")
    page = client.step({"frmUserUpdate:bpmUpdate": "frmUserUpdate:bpmUpdate"}).text
    assert '<label for="pwdForm:newPassword">New Password</label>' in page
    weak = client.step({"pwdForm:newPassword": "short", "pwdForm:confirmPassword": "short", "pwdForm:btnSave": "1"})
    assert alert_text(weak.text) == "Password must be 14 to 45 characters"
    new = "A-Much-Longer-Passw0rd!"
    mismatch = client.step({"pwdForm:newPassword": new, "pwdForm:confirmPassword": new + "x", "pwdForm:btnSave": "1"})
    assert alert_text(mismatch.text) == "The passwords do not match"
    done = client.step({"pwdForm:newPassword": new, "pwdForm:confirmPassword": new, "pwdForm:btnSave": "1"})
    assert done.status_code == 303
    assert client.account("mmoore2013").update_required is False
    assert clients(client.server).sign_in("mmoore2013", new).status_code == 303
    assert "Invalid username or password" in alert_text(clients(client.server).sign_in("mmoore2013", old).text)


def test_lockout_after_n_failures(
    pacer_mock_factory: Callable[..., MockServer], clients: Callable[[MockServer], SiteClient]
) -> None:
    server = pacer_mock_factory(lockout_after=3)
    for _ in range(2):
        assert (
            alert_text(clients(server).sign_in("asmith2001", "Wrong-Password-1").text) == "Invalid username or password"
        )
    third = clients(server).sign_in("asmith2001", "Wrong-Password-1")
    locked = "Your PACER account has been locked. Please contact the PACER Service Center."
    assert alert_text(third.text) == locked
    assert alert_text(clients(server).sign_in("asmith2001").text) == locked  # even the right password
    stats = server.stats()
    assert stats["login_posts"]["asmith2001"] == 4 and stats["locked"] == ["asmith2001"]
    assert clients(server).sign_in("egarcia2005").status_code == 303  # other accounts are not affected


def test_wrong_codes_count_towards_lockout_and_success_resets(
    pacer_mock_factory: Callable[..., MockServer], clients: Callable[[MockServer], SiteClient]
) -> None:
    server = pacer_mock_factory(lockout_after=2)
    clients(server).sign_in("asmith2001", "Wrong-Password-1")
    assert clients(server).sign_in("asmith2001").status_code == 303
    assert server.stats()["wrong_attempts"] == {}
    client = clients(server)
    client.sign_in("gnguyen2007")
    assert alert_text(client.code("abcdef").text) == "Invalid one-time passcode"
    assert "has been locked" in alert_text(client.code("abcdef").text)
    assert 'id="loginForm"' in client.page


def test_logout_ends_the_session(client: SiteClient) -> None:
    client.sign_in("asmith2001")
    assert client.get(ACCOUNT).status_code == 200
    response = client.get("/csologin/logout")
    assert response.status_code == 303 and response.headers["location"] == LOGIN
    assert client.get(ACCOUNT).status_code == 303


def test_sessions_expire_after_their_lifetime(
    pacer_mock_factory: Callable[..., MockServer], clients: Callable[[MockServer], SiteClient]
) -> None:
    client = clients(pacer_mock_factory(session_ttl_s=0.2))
    client.sign_in("asmith2001")
    time.sleep(0.3)
    assert client.get(ACCOUNT).status_code == 303


def test_step_post_without_a_pending_sign_on(client: SiteClient) -> None:
    client.get(LOGIN)
    response = client.redaction()
    assert alert_text(response.text) == "Your session has expired. Please log in again."
    assert "Redaction" not in visible_text(response.text)
