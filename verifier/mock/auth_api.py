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
    from verifier.mock.live import LiveState
    from verifier.mock.scenario import MockAccount

AUTH_PATH = "/services/cso-auth"
LOGOUT_PATH = "/services/cso-logout"

SUCCESS = "0"
REFUSED = "13"  # wrong login, password or code (third-party tests quoting the guide)
NEEDS_REDACTION = "1"  # a filer who did not send redactFlag "1" (same source)
NOT_ACTIVE = "1"  # disabled or inactive: the code is a guess

INVALID = "Invalid username, password, or one-time passcode."
NEEDS_CODE = "A one-time passcode is needed to continue."
# A wrong code once the password is right: the guide's combined wording is the only published one, so
# "Invalid one-time passcode." (the form's wording for a wrong code) is the mock's guess.
WRONG_CODE = "Invalid one-time passcode."
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
MFA_REQUIRED_NOW = "User Update Required: multifactor authentication (MFA) is now required for your account."
REMINDER = "Reminder: your password must be changed by {date}."
# A success note third-party code quotes (docs/real-site.md §6): signed in, but no PACER search.
CLIENT_CODE_NOTE = (
    "A required Client Code was not entered. You may continue to log in and perform other activities "
    "(e.g., e-file, request filing privileges), but you will not have PACER search privileges."
)
LONG_CLIENT_CODE = "Client code must be 32 characters or fewer."  # the form's rule; the API's wording is a guess
#: Other wordings a person reads the same way (scenario `api_wording`); all guesses. "verbose" also answers a
#: wrong code with the combined refusal. `loginResult` is a string in every wording, as the API guide types it.
WORDINGS: dict[str, dict[str, str]] = {
    "guide": {"invalid": INVALID, "needs_code": NEEDS_CODE, "wrong_code": WRONG_CODE, "locked": LOCKED},
    "verbose": {
        "invalid": INVALID + " Your account will be locked after {left} more failed attempts.",
        "needs_code": "Login Failed. A one-time passcode (OTP) is required for this account.",
        "wrong_code": INVALID + " Your account will be locked after {left} more failed attempts.",
        "locked": "Your account has been locked due to too many failed login attempts.",
    },
    "plain": {
        "invalid": "Login failed: the user name or password is incorrect. Your account is not locked.",
        "needs_code": "Two-factor authentication code required.",
        "wrong_code": "The one-time code you entered is not valid.",
        "locked": "This account is locked. Please contact the PACER Service Center.",
    },
}
BAD_REQUEST = "The request could not be read."
NO_SESSION = "No session for this token."  # a guess: the real answer for an unknown token is not public

FIELDS = ("loginId", "password", "clientCode", "redactFlag", "otpCode")


class AuthApi:
    def __init__(self, live: LiveState) -> None:
        self.live = live

    async def login(self, request: Request) -> Response:
        if self.live.scenario.api_absent is not None:
            return Response("Not Found", status_code=self.live.scenario.api_absent, media_type="text/plain")
        as_xml = "xml" in request.headers.get("accept", "") and "json" not in request.headers.get("accept", "")
        body = _parse(await request.body(), request.headers.get("content-type", ""))
        if body is None:
            return _answer({"loginResult": REFUSED, "errorDescription": BAD_REQUEST}, as_xml, status=400)
        return _answer(self.authenticate(body), as_xml)

    def authenticate(self, body: dict[str, str]) -> dict[str, object]:
        state = self.live.state
        username = body.get("loginId", "").strip()
        if username:
            with state.lock:
                state.api_login_posts[key_of(username)] += 1
        account = state.account(username) if username else None
        if account is None:
            return self._answer(_refused(self._say("invalid", username)))
        if state.is_locked(username):
            return self._answer(_refused(self._say("locked", username), NOT_ACTIVE))
        if not secrets.compare_digest(account.password.encode(), body.get("password", "").encode()):
            if state.count_failure(username):
                return self._answer(_refused(self._say("locked", username), NOT_ACTIVE))
            return self._answer(_refused(self._say("invalid", username)))
        if account.state != "active":
            return self._answer(_refused(DISABLED if account.state == "disabled" else INACTIVE, NOT_ACTIVE))
        problem = self._code_problem(account, body.get("otpCode", ""))
        if problem:
            return self._answer(problem)
        if account.filer and body.get("redactFlag") != "1":
            return self._answer(_refused(REDACTION, NEEDS_REDACTION))
        client_code = body.get("clientCode", "").strip()
        if len(client_code) > 32:
            return self._answer(_refused(LONG_CLIENT_CODE))
        state.clear_failures(username)
        token = state.start_session(account.username)
        with state.lock:
            if client_code:
                state.client_codes[f"{key_of(username)}:{client_code}"] += 1
            if account.update_required or not state.scenario.api_opens_account:
                state.browser_sign_on_due.add(token)
        # Signed in with the forced update pending: a browser meets it on the sign-on page.
        pending = " ".join(
            note
            for note in (
                _pending(account),
                CLIENT_CODE_NOTE if account.client_code_required and not client_code else "",
            )
            if note
        )
        return self._answer({"loginResult": SUCCESS, "nextGenCSO": token, "errorDescription": pending})

    def _say(self, what: str, username: str) -> str:
        state = self.live.state
        limit = state.scenario.lockout_after or 5  # without a lockout, a made-up count to warn with
        with state.lock:
            failures = state.wrong_attempts.get(key_of(username), 0)
        return WORDINGS[state.scenario.api_wording][what].format(left=max(limit - failures, 1))

    def _answer(self, fields: dict[str, str]) -> dict[str, object]:
        return dict(fields)

    def _code_problem(self, account: MockAccount, code: str) -> dict[str, str] | None:
        if account.otp_secret is None:
            return None
        code = "".join(code.split())
        if not code:
            return _refused(self._say("needs_code", account.username))
        if not self.live.state.accept_code(account.username, account.otp_secret, code):
            if self.live.state.count_failure(account.username):
                return _refused(self._say("locked", account.username), NOT_ACTIVE)
            return _refused(self._say("wrong_code", account.username))
        return None

    async def logout(self, request: Request) -> Response:
        """`{"nextGenCSO": token}` ends that session. The real answer's fields are not public beyond a
        200 (docs/real-site.md §2); the mock answers like cso-auth, "0" for a session it ended and "13"
        for a token it does not know (already ended, expired, or never issued)."""
        if self.live.scenario.api_absent is not None:
            return Response("Not Found", status_code=self.live.scenario.api_absent, media_type="text/plain")
        as_xml = "xml" in request.headers.get("accept", "") and "json" not in request.headers.get("accept", "")
        body = _parse(await request.body(), request.headers.get("content-type", ""))
        if body is None:
            return _answer({"loginResult": REFUSED, "errorDescription": BAD_REQUEST}, as_xml, status=400)
        ended = self.live.state.end_session(body.get("nextGenCSO"))
        if not ended:
            return _answer({"loginResult": REFUSED, "errorDescription": NO_SESSION}, as_xml)
        return _answer({"loginResult": SUCCESS, "errorDescription": ""}, as_xml)


def _pending(account: MockAccount) -> str:
    """The description that comes with a success: a forced update, a reminder, or nothing."""
    if account.update_required:
        if account.update_kind == "password":
            return UPDATE_REQUIRED
        skips = (
            f"You may skip this {account.skips_left} more times."
            if account.skips_left
            else "Account access is restricted until you enroll."
        )
        return f"{MFA_REQUIRED_NOW} {skips}"
    if account.password_reminder:
        return REMINDER.format(date=account.password_reminder)
    return ""


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
    return {key: text for key, value in data.items() if (text := _as_text(value)) is not None}


def _as_text(value: object) -> str | None:
    """A JSON field as the text it stands for: a number (`"redactFlag": 1`) as its digits, as a server that
    binds the fields to strings reads it; objects, lists, booleans and null are no field's value."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _answer(fields: dict[str, object], as_xml: bool, status: int = 200) -> Response:
    if not as_xml:
        return JSONResponse(fields, status_code=status)
    root = ElementTree.Element("CsoAuth")
    for name, value in fields.items():
        ElementTree.SubElement(root, name).text = str(value)
    return Response(ElementTree.tostring(root, encoding="unicode"), status_code=status, media_type="application/xml")
