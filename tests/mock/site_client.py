"""A browserless client for the mock PACER site: keeps cookies and the page's current ViewState."""

from __future__ import annotations

import html as html_lib
import re
import ssl
from typing import Any

import httpx
import pyotp

from verifier.mock.scenario import MockAccount
from verifier.mock.server import MockServer

LOGIN = "/csologin/login.jsf"
ACCOUNT = "/pscof/manage/maint.jsf"
UPGRADE = "/pscof/upgrade.jsf"
# The mock is plain http; one TLS context for every client saves building one (~50 ms) per client.
_TLS = ssl.create_default_context()


def view_state_of(page: str) -> str:
    match = re.search(r'name="javax\.faces\.ViewState" value="([^"]+)"', page)
    assert match, "no ViewState on the page"
    return html_lib.unescape(match.group(1))


def visible_text(page: str) -> str:
    """The page's text with tags removed and whitespace collapsed (roughly what a person reads)."""
    page = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", page)
    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", page))).strip()


def alert_text(page: str) -> str:
    """The text of the sign-on messages (the role="alert" regions)."""
    blocks = re.findall(r'role="alert"[^>]*>((?:<div class="ui-messages-error">.*?</div>)?)</div>', page, re.S)
    return visible_text(" ".join(blocks))


class SiteClient:
    def __init__(self, server: MockServer) -> None:
        self.server = server
        self.http = httpx.Client(base_url=server.url, follow_redirects=False, timeout=15, verify=_TLS)
        self.page = ""

    def close(self) -> None:
        self.http.close()

    def account(self, username: str) -> MockAccount:
        account = self.server.state.account(username)
        assert account is not None, username
        return account

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        response = self.http.get(path, **kwargs)
        if response.headers.get("content-type", "").startswith("text/html"):
            self.page = response.text
        return response

    def post(self, path: str, data: dict[str, str], **kwargs: Any) -> httpx.Response:
        response = self.http.post(path, data=data, **kwargs)
        if response.headers.get("content-type", "").startswith("text/html"):
            self.page = response.text
        return response

    def sign_in(
        self, username: str, password: str | None = None, *, appurl: str = "", court: str = "", client_code: str = ""
    ) -> httpx.Response:
        """Open the sign-on page and post the username and password (no later steps)."""
        params = {k: v for k, v in (("appurl", appurl), ("pscCourtId", court)) if v}
        self.get(LOGIN, params=params)
        if password is None:
            password = self.account(username).password
        return self.post(
            LOGIN,
            {
                "loginForm:loginName": username,
                "loginForm:password": password,
                "loginForm:clientCode": client_code,
                "appurl": appurl,
                "pscCourtId": court,
                "javax.faces.ViewState": view_state_of(self.page),
                "loginForm:fbtnLogin": "loginForm:fbtnLogin",
            },
        )

    def step(self, fields: dict[str, str]) -> httpx.Response:
        """Post a later sign-on step with the current page's ViewState."""
        return self.post(LOGIN, {**fields, "javax.faces.ViewState": view_state_of(self.page)})

    def code(self, code: str) -> httpx.Response:
        return self.step({"mfaForm:mfaInput": code, "mfaForm:btnOk": "mfaForm:btnOk"})

    def redaction(self, ticked: bool = True) -> httpx.Response:
        fields = {"regmsg:bpmConfirm": "regmsg:bpmConfirm"}
        if ticked:
            fields["regmsg:chkRedact_input"] = "on"
        return self.step(fields)

    def full_sign_in(self, username: str, *, appurl: str = "") -> httpx.Response:
        """Sign in through every step an attorney would (never pressing Skip)."""
        account = self.account(username)
        response = self.sign_in(username, appurl=appurl)
        for _ in range(4):
            if response.status_code == 303:
                return response
            if 'id="mfaForm"' in self.page:
                assert account.otp_secret
                response = self.code(pyotp.TOTP(account.otp_secret).now())
            elif 'id="redactionConfirmation"' in self.page:
                response = self.redaction()
            else:
                break
        assert response.status_code == 303, alert_text(self.page) or visible_text(self.page)[:300]
        return response
