"""PACER Central Sign-On (`/csologin/login.jsf`): the username/password form, then, in this order,
the one-time code, the Redaction Agreement and "User Update Required"; and logout.

Like the real page (PrimeFaces), each step is posted by the page's script as an AJAX request
(`Faces-Request: partial/ajax`, `javax.faces.partial.ajax=true`) and answered, after the scenario's
`ajax_delay_ms`, with `<partial-response>` XML: `<update>` blocks that replace parts of the page in
place, or a `<redirect>`. A post without those markers (a browser without JavaScript, or the
scenario's `signon_mode="plain"`) gets whole pages and a 303 at the end. Every form carries the
ViewState bound to the JSESSIONID cookie.
"""

from __future__ import annotations

import asyncio
import re
import secrets
from typing import TYPE_CHECKING, Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from verifier.mock.faults import JSESSION_COOKIE, SESSION_COOKIE
from verifier.mock.render import (
    ACCOUNT_PATH,
    LOGIN_PATH,
    PSCOF_LOGIN_PATH,
    TEMPLATES,
    delete_cookie,
    page,
    partial_response,
    same_origin_target,
    see_other,
    set_cookie,
)
from verifier.mock.state import PendingSignOn, key_of

if TYPE_CHECKING:
    from verifier.mock.live import LiveState
    from verifier.mock.scenario import MockAccount
    from verifier.mock.state import MockState

PACER_SESSION_COOKIE = "PacerSession"

#: The one-time-code step's wording per scenario `otp_wording`: heading, sentence, field label, and
#: the message for a wrong code. Only the "2fa_code" sentence is reported from the real site (on
#: Manage My Account's own sign-in); the rest are guesses (docs/real-site.md).
OTP_WORDINGS: dict[str, dict[str, str]] = {
    "one_time_passcode": {
        "heading": "Multi-Factor Authentication",
        "label": "One-Time Passcode",
        "sentence": "Enter the one-time passcode from your authentication app.",
        "wrong": "Invalid one-time passcode",
    },
    "2fa_code": {
        "heading": "Two-Factor Authentication",
        "label": "2FA Code",
        "sentence": "Enter your current 2FA code from your authentication app and click Submit",
        "wrong": "Invalid 2FA code",
    },
    "verification_code": {
        "heading": "Verify Your Identity",
        "label": "Verification Code",
        "sentence": "Enter the verification code shown in your authenticator app.",
        "wrong": "Invalid verification code",
    },
}

# Texts the real site is known to use (docs/real-site.md §1) ...
INVALID = "Invalid username or password"
SHORT_USERNAME = "Username must be at least 6 characters"
SHORT_PASSWORD = "Password must be at least 8 characters"
DISABLED = "Your PACER account has been disabled. Please contact the PACER Service Center."
# ... and guesses: no public source shows these wordings.
LOCKED = "Your PACER account has been locked. Please contact the PACER Service Center."
EXPIRED = "Your session has expired. Please log in again."
LONG_CLIENT_CODE = "Client code must be 32 characters or fewer"

# PACER's password standard from Aug 25, 2025 (docs/real-site.md §1): 14-45 characters, a lower-case
# and an upper-case letter, a special character, and no part of the username.
PASSWORD_RULES = (
    "Passwords must be 14 to 45 characters, with an upper-case letter, a lower-case letter and a "
    "special character, and must not contain your username."
)

STEP_FIELDS = {
    "mfa": ("mfaForm:mfaInput", "mfaForm:btnOk"),
    "redaction": ("regmsg:bpmConfirm",),
    "update": ("frmUserUpdate:bpmSkip", "frmUserUpdate:bpmUpdate"),
    "change_password": ("pwdForm:btnSave", "pwdForm:newPassword"),
    "notice": ("noticeForm:btnReview", "noticeForm:btnSkip"),
}


class SignOnPages:
    def __init__(self, live: LiveState) -> None:
        self.live = live
        self.form = SignOnForm(live).render

    @property
    def state(self) -> MockState:
        return self.live.state  # read per request: reset() swaps in a fresh state

    async def get(self, request: Request) -> Response:
        appurl = request.query_params.get("appurl", "")
        if appurl and self.live.signed_in(request):
            # Single sign-on: a live NextGenCSO session goes straight on to the court or application.
            return see_other(same_origin_target(request, appurl))
        return self.form(request, appurl=appurl, court_id=request.query_params.get("pscCourtId", ""))

    # --- POST --------------------------------------------------------------------------------------

    async def post(self, request: Request) -> Response:
        response = await self.answer(request)
        if is_ajax(request) and self.live.scenario.ajax_delay_ms:
            # Processed at once, answered later: a flow must wait for the answer, not for a time.
            await asyncio.sleep(self.live.scenario.ajax_delay_ms / 1000)
        return response

    async def answer(self, request: Request) -> Response:
        form = await request.form()
        jsession = request.cookies.get(JSESSION_COOKIE, "")
        appurl, court_id = _text(form, "appurl"), _text(form, "pscCourtId")
        if not self.state.view_state_ok(jsession, _text(form, self.live.scenario.view_state_name)):
            return self.form(request, [EXPIRED], appurl=appurl, court_id=court_id)
        if "loginForm:loginName" in form or "loginForm:fbtnLogin" in form:
            return self.password_step(request, form, jsession)
        with self.state.lock:
            pending = self.state.pending.get(jsession)
        account = self.state.account(pending.username) if pending else None
        if pending is None or account is None:
            return self.form(request, [EXPIRED])
        with self.state.lock:
            self.state.step_posts[key_of(account.username)] += 1
        current = pending.steps[0]
        if not any(name in form for name in STEP_FIELDS[current]):
            return self.show(request, pending)  # steps run in order: none can be skipped by posting another
        if current == "mfa":
            return self.code_step(request, form, jsession, pending, account)
        if current == "redaction":
            if _text(form, "regmsg:chkRedact_input") not in ("on", "true", "1"):
                return self.show(request, pending)  # the box is required, JavaScript or not
            return self.advance(request, jsession, pending)
        if current == "notice":
            return self.advance(request, jsession, pending)
        if current == "update":
            if "frmUserUpdate:bpmUpdate" in form:
                pending.steps[0] = "change_password"
                return self.show(request, pending)
            if account.skips_left > 0:
                with self.state.lock:
                    account.skips_left -= 1
                return self.advance(request, jsession, pending)
            return self.show(request, pending)
        return self.change_password_step(request, form, jsession, pending, account)

    def password_step(self, request: Request, form: FormData, jsession: str) -> Response:
        username = _text(form, "loginForm:loginName").strip()
        password = _text(form, "loginForm:password")
        appurl, court_id = _text(form, "appurl"), _text(form, "pscCourtId")
        if username:
            with self.state.lock:
                self.state.login_posts[key_of(username)] += 1
                self.state.pending.pop(jsession, None)  # a new sign-on replaces a half-finished one

        def again(*messages: str) -> Response:
            return self.form(request, list(messages), appurl=appurl, court_id=court_id, username=username)

        client_code = _text(form, "loginForm:clientCode").strip()
        problems = _refusals(self.state, username, password, client_code)
        account = self.state.account(username)
        if problems or account is None:
            return again(*problems)
        if client_code:
            with self.state.lock:
                self.state.client_codes[f"{key_of(username)}:{client_code}"] += 1
        if account.state == "inactive":
            return self.form(request, appurl=appurl, court_id=court_id, username=username, step="inactive")
        self.state.clear_failures(username)
        steps = ["password", *_steps_due(account)]
        return self.advance(request, jsession, PendingSignOn(account.username, steps, appurl))

    def code_step(
        self, request: Request, form: FormData, jsession: str, pending: PendingSignOn, account: MockAccount
    ) -> Response:
        code = re.sub(r"\s+", "", _text(form, "mfaForm:mfaInput"))
        secret = account.otp_secret
        if secret and self.state.accept_code(account.username, secret, code):
            return self.advance(request, jsession, pending)
        if self.state.count_failure(account.username):
            with self.state.lock:
                self.state.pending.pop(jsession, None)
            return self.form(request, [LOCKED], appurl=pending.appurl)
        return self.show(request, pending, [OTP_WORDINGS[self.live.scenario.otp_wording]["wrong"]])

    def change_password_step(
        self, request: Request, form: FormData, jsession: str, pending: PendingSignOn, account: MockAccount
    ) -> Response:
        new = _text(form, "pwdForm:newPassword")
        problem = _new_password_problem(form, new, account)
        if problem:
            return self.show(request, pending, [problem])
        with self.state.lock:
            account.password = new
            account.update_required = False
        return self.advance(request, jsession, pending)

    # --- moving on ----------------------------------------------------------------------------------

    def advance(self, request: Request, jsession: str, pending: PendingSignOn) -> Response:
        """The current step is done: show the next one, or finish the sign-on."""
        pending.steps.pop(0)
        account = self.state.account(pending.username)
        if pending.steps and account is not None:
            with self.state.lock:
                self.state.pending[jsession] = pending
            return self.show(request, pending)
        with self.state.lock:
            self.state.pending.pop(jsession, None)
        if account is None:
            return self.form(request, [EXPIRED])
        self.state.clear_failures(account.username)
        return _signed_on(request, pending, self.state.start_session(account.username))

    def show(self, request: Request, pending: PendingSignOn, messages: list[str] | None = None) -> Response:
        return self.form(
            request,
            messages,
            appurl=pending.appurl,
            step=pending.steps[0],
            account=self.state.account(pending.username),
        )

    # --- logout --------------------------------------------------------------------------------------

    async def logout(self, request: Request) -> Response:
        # The real CSO logout address is not public; /csologin/logout is the mock's guess.
        self.state.end_session(request.cookies.get(SESSION_COOKIE))
        response = see_other(LOGIN_PATH)
        delete_cookie(response, SESSION_COOKIE, request)
        delete_cookie(response, PACER_SESSION_COOKIE, request)
        return response


def _steps_due(account: MockAccount) -> list[str]:
    """The steps after the password this account's sign-on goes through, in the site's order."""
    due = (
        ("mfa", account.otp_secret is not None),
        ("redaction", account.filer),
        ("update", account.update_required),
        ("notice", account.notice_step),
    )
    return [step for step, needed in due if needed]


def _new_password_problem(form: FormData, new: str, account: MockAccount) -> str | None:
    problem = password_problem(new, account)
    if problem is None and "pwdForm:confirmPassword" in form and _text(form, "pwdForm:confirmPassword") != new:
        problem = "The passwords do not match"
    return problem


def _signed_on(request: Request, pending: PendingSignOn, token: str) -> Response:
    """The answer that ends a sign-on: on to the application asked for, with the new session's cookies."""
    target = same_origin_target(request, pending.appurl or (ACCOUNT_PATH if _application(request) == "/pscof" else ""))
    response = partial_response(redirect=target) if is_ajax(request) else see_other(target)
    set_cookie(response, SESSION_COOKIE, token, request=request)
    # CurrentGen's cookie; juriscraper sets it to the same token (docs/real-site.md §1).
    set_cookie(response, PACER_SESSION_COOKIE, token, request=request)
    return response


class SignOnForm:
    """Renders the sign-on page (and its AJAX parts) for the scenario's markup and wording."""

    def __init__(self, live: LiveState) -> None:
        self.live = live

    def render(
        self,
        request: Request,
        messages: list[str] | None = None,
        *,
        appurl: str = "",
        court_id: str = "",
        username: str = "",
        step: str | None = None,
        account: MockAccount | None = None,
    ) -> Response:
        """The sign-on page: the form, or a step of it (a dialog over the form, or a page of its own);
        for an AJAX post, the parts of it that changed, as a `<partial-response>`."""
        jsession = request.cookies.get(JSESSION_COOKIE) or secrets.token_hex(16).upper()
        context = self.context(
            request,
            messages or [],
            appurl=appurl,
            court_id=court_id,
            username=username,
            step=step,
            skips_left=account.skips_left if account else 0,
            update_kind=account.update_kind if account else "password",
            view_state=self.live.state.new_view_state(jsession),
        )
        if is_ajax(request):
            # The macros of a template module are attributes only at run time.
            parts: Any = TEMPLATES.get_template("signon_parts.html").make_module(vars=context)
            response: Response = partial_response(
                updates=[
                    ("pscLoginPanel", str(parts.login_panel())),
                    ("signOnOverlay", str(parts.overlay())),
                    ("redactionConfirmation", str(parts.redaction_dialog())),
                    ("stepDialog", str(parts.step_dialog())),
                    # The ViewState last, as JSF writes it: a client knows the answer is applied when it is.
                    (context["view_state_id"], context["view_state"]),
                ]
            )
        else:
            response = page("signon.html", **context)
        # Path is a guess: a Java servlet container scopes JSESSIONID to its application (/csologin).
        set_cookie(response, JSESSION_COOKIE, jsession, path=_application(request))
        return response

    def context(self, request: Request, messages: list[str], **values: Any) -> dict[str, Any]:
        scenario = self.live.scenario
        step, presentation = values.get("step"), scenario.step_presentation
        own = request.url.path == PSCOF_LOGIN_PATH
        return {
            **values,
            "title": "PACER Login",
            "heading": "Log in to PACER Systems" if own else "PACER Login",
            "messages": messages,
            "mode": scenario.signon_mode,
            "presentation": presentation,
            "page_step": step if presentation == "page" else None,
            "dialog_step": step if presentation == "dialog" else None,
            "otp": OTP_WORDINGS[scenario.otp_wording],
            "action": PSCOF_LOGIN_PATH if own else LOGIN_PATH,
            "view_state_name": scenario.view_state_name,
            "view_state_id": f"j_id1:{scenario.view_state_name}:{scenario.view_state_index}",
        }


def _refusals(state: MockState, username: str, password: str, client_code: str) -> list[str]:
    """Why a sign-on with these credentials is refused (nothing when it is not), counting a wrong
    password as a failure; form validation never reaches the account, so never counts."""
    problems = [
        m
        for m, bad in (
            (SHORT_USERNAME, len(username) < 6),
            (SHORT_PASSWORD, len(password) < 8),
            (LONG_CLIENT_CODE, len(client_code) > 32),
        )
        if bad
    ]
    if problems:
        return problems
    account = state.account(username)
    if account is None:
        return [INVALID]
    if state.is_locked(username):
        return [LOCKED]
    if not secrets.compare_digest(account.password.encode(), password.encode()):
        return [LOCKED if state.count_failure(username) else INVALID]
    if account.state == "disabled":
        return [DISABLED]
    return []


def password_problem(password: str, account: MockAccount) -> str | None:
    """Why `password` does not meet PACER's 2025 password standard, or None."""
    if not 14 <= len(password) <= 45:
        return "Password must be 14 to 45 characters"
    if not (re.search(r"[a-z]", password) and re.search(r"[A-Z]", password)):
        return "Password must contain an upper-case and a lower-case letter"
    if not re.search(r"[^A-Za-z0-9]", password):
        return "Password must contain a special character"
    if account.username.lower() in password.lower():
        return "Password must not contain your username"
    if password == account.password:
        return "The new password must differ from the current one"
    return None


def is_ajax(request: Request) -> bool:
    """A PrimeFaces AJAX post (the page's script), as opposed to a whole-page form post."""
    return request.method == "POST" and request.headers.get("faces-request", "").lower() == "partial/ajax"


def _application(request: Request) -> str:
    return "/pscof" if request.url.path.startswith("/pscof/") else "/csologin"


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""
