"""PACER's Authentication API (`POST /services/cso-auth`, `POST /services/cso-logout`), as the mock has it.

PACER offers this API for automated sign-in (docs/real-site.md, "Authentication API"): a JSON (or XML,
root `<CsoAuth>`) body with `loginId`, `password`, optional `clientCode`, `redactFlag` ("1" for filers)
and `otpCode`; the answer carries `nextGenCSO` (the session token, used as the `NextGenCSO` cookie),
`loginResult` ("0" is success) and `errorDescription` (with "0": signed in, something pending).

Which texts and codes the real API gives for each case comes from third-party code and tests that
appear to quote the user guide's "Common Error Message Examples"; the codes for disabled and inactive
accounts, and what a forced password update says, are the mock's guesses. The API shares the mock's
sessions, lockout counter and fault rules with the browser sign-on.
"""

from __future__ import annotations

import json
import secrets
from typing import TYPE_CHECKING
from xml.etree import ElementTree

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from verifier.mock.state import key_of

if TYPE_CHECKING:
    from verifier.mock.app import MockSite
    from verifier.mock.scenario import MockAccount

AUTH_PATH = "/services/cso-auth"
LOGOUT_PATH = "/services/cso-logout"

SUCCESS = "0"
REFUSED = "13"  # wrong login, password or code (third-party tests quoting the guide)
NEEDS_REDACTION = "1"  # a filer who did not send redactFlag "1" (same source)
NOT_ACTIVE = "1"  # disabled or inactive: the code is a guess

INVALID = "Invalid username, password, or one-time passcode."
NEEDS_CODE = "A one-time passcode is needed to continue."
REDACTION = (
    "All filers must redact: Social Security or taxpayer-identification numbers; dates of birth; names of "
    "minor children; financial account numbers; and, in criminal cases, home addresses, in compliance with "
    "Fed. R. App. P. 25(a)(5), Fed. R. Civ. P. 5.2, Fed. R. Crim. P. 49.1, or Fed. R. Bankr. P. 9037."
)
# Guesses: no public source shows these answers.
DISABLED = "Your PACER account has been disabled. Please contact the PACER Service Center."
INACTIVE = "Your PACER account is currently inactive. Please contact the PACER Service Center."
LOCKED = "Your PACER account has been locked. Please contact the PACER Service Center."
UPDATE_REQUIRED = "User Update Required: your password must be changed at login before you can continue."
BAD_REQUEST = "The request could not be read."

FIELDS = ("loginId", "password", "clientCode", "redactFlag", "otpCode")


class AuthApi:
    def __init__(self, site: MockSite) -> None:
        self.site = site

    async def login(self, request: Request) -> Response:
        as_xml = "xml" in request.headers.get("accept", "") and "json" not in request.headers.get("accept", "")
        body = _parse(await request.body(), request.headers.get("content-type", ""))
        if body is None:
            return _answer({"loginResult": REFUSED, "errorDescription": BAD_REQUEST}, as_xml, status=400)
        return _answer(self.authenticate(body), as_xml)

    def authenticate(self, body: dict[str, str]) -> dict[str, str]:
        state = self.site.state
        username = body.get("loginId", "").strip()
        if username:
            with state.lock:
                state.api_login_posts[key_of(username)] += 1
        account = state.account(username) if username else None
        if account is None:
            return _refused(INVALID)
        if state.is_locked(username):
            return _refused(LOCKED, NOT_ACTIVE)
        if not secrets.compare_digest(account.password.encode(), body.get("password", "").encode()):
            return _refused(LOCKED, NOT_ACTIVE) if state.count_failure(username) else _refused(INVALID)
        if account.state != "active":
            return _refused(DISABLED if account.state == "disabled" else INACTIVE, NOT_ACTIVE)
        problem = self._code_problem(account, body.get("otpCode", ""))
        if problem:
            return problem
        if account.filer and body.get("redactFlag") != "1":
            return _refused(REDACTION, NEEDS_REDACTION)
        state.clear_failures(username)
        token = state.start_session(account.username)
        if account.update_required or not state.scenario.api_opens_account:
            with state.lock:
                state.browser_sign_on_due.add(token)
        # Signed in with the forced update pending: a browser meets it on the sign-on page.
        return {
            "loginResult": SUCCESS,
            "nextGenCSO": token,
            "errorDescription": UPDATE_REQUIRED if account.update_required else "",
        }

    def _code_problem(self, account: MockAccount, code: str) -> dict[str, str] | None:
        if account.otp_secret is None:
            return None
        code = "".join(code.split())
        if not code:
            return _refused(NEEDS_CODE)
        if not self.site.state.accept_code(account.username, account.otp_secret, code):
            return (
                _refused(LOCKED, NOT_ACTIVE) if self.site.state.count_failure(account.username) else _refused(INVALID)
            )
        return None

    async def logout(self, request: Request) -> Response:
        body = _parse(await request.body(), request.headers.get("content-type", "")) or {}
        self.site.state.end_session(body.get("nextGenCSO"))
        return JSONResponse({"loginResult": SUCCESS, "errorDescription": ""})


def _refused(description: str, code: str = REFUSED) -> dict[str, str]:
    return {"loginResult": code, "nextGenCSO": "", "errorDescription": description}


def _parse(raw: bytes, content_type: str) -> dict[str, str] | None:
    """The request's fields as text, from JSON or `<CsoAuth>` XML; None when it cannot be read."""
    try:
        if "xml" in content_type:
            root = ElementTree.fromstring(raw)
            return {child.tag: (child.text or "") for child in root}
        data = json.loads(raw or b"{}")
    except (ValueError, ElementTree.ParseError):
        return None
    if not isinstance(data, dict):
        return None
    return {key: value for key, value in data.items() if isinstance(value, str)}


def _answer(fields: dict[str, str], as_xml: bool, status: int = 200) -> Response:
    if not as_xml:
        return JSONResponse(fields, status_code=status)
    root = ElementTree.Element("CsoAuth")
    for name, value in fields.items():
        ElementTree.SubElement(root, name).text = value
    return Response(ElementTree.tostring(root, encoding="unicode"), status_code=status, media_type="application/xml")
