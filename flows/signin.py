"""PACER Central Sign-On as a page object: username and password, one-time code, the filers'
Redaction Agreement, and the "User Update Required" prompt.

Each step is read as a person reads it (flows.screen): what the top of the screen says, whether it
is a dialog over the form or a page of its own. After each button the flow waits for the site's
answer (flows.navigation.press): a new page, or a PrimeFaces AJAX answer applied in place. It only
presses buttons it understands (Login, the code's Submit, the agreement's Continue): never Skip,
never a button of a step it does not know.
"""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from playwright.async_api import Locator, Page
from pydantic import SecretStr

from flows.answers import read_answer, verdict
from flows.errors import CredentialOriginRefused, Phase, SignInProgress, TransientSiteError
from flows.navigation import DocumentWatch, press, read_screen
from flows.on_page import OnPage
from flows.otp import CodeSource, code_now
from flows.outcome import SignInOutcome
from flows.screen import PASSWORD_LABEL, USERNAME_LABEL, Screen, Step, step_of
from flows.signon_steps import accept_redaction, enter_code
from flows.update_prompt import SKIP_BUTTON, UpdateDemand, read_update_prompt
from flows.urls import LOGIN_PATH, SiteUrls, origin_of, require_post_to

LOGIN_BUTTON = re.compile(r"^\s*(log\s*in|sign\s*in|login)\s*$", re.I)
CLIENT_CODE_LABEL = re.compile(r"^\s*client\s*-?\s*code\s*:?\s*$", re.I)
#: Sign-on pages: Central Sign-On's, and Manage My Account's own (docs/real-site.md: both exist).
SIGN_ON_PATHS = frozenset({LOGIN_PATH, "/pscof/login.xhtml"})
#: How long a screen may take to show its step after the answer arrived (a dialog's opening effect).
SETTLE_S = 2.0
MAX_STEPS = 8


@dataclass(frozen=True)
class SignInResult:
    outcome: SignInOutcome
    message: str = ""
    update: UpdateDemand | None = None
    """What "User Update Required" demanded, read from the prompt."""


def is_sign_on_url(url: str) -> bool:
    return urlsplit(url).path in SIGN_ON_PATHS


class SignOnPage(OnPage):
    """The sign-on form and the steps that can follow it, on whatever page currently shows them."""

    def __init__(
        self,
        page: Page,
        site: SiteUrls,
        watch: DocumentWatch,
        timeout_ms: float = 30_000,
        progress: SignInProgress | None = None,
        codes: CodeSource = code_now,
    ) -> None:
        super().__init__(page, site, watch, timeout_ms)
        self.progress = progress or SignInProgress()
        self.codes = codes

    # --- what is on screen ------------------------------------------------------------------------

    @property
    def username_field(self) -> Locator:
        return self.page.get_by_label(USERNAME_LABEL)

    @property
    def password_field(self) -> Locator:
        return self.page.get_by_label(PASSWORD_LABEL)

    @property
    def _login_button(self) -> Locator:
        return self.page.get_by_role("button", name=LOGIN_BUTTON).first

    async def screen(self) -> Screen:
        return await read_screen(self.page, self.timeout_ms)

    async def is_showing(self) -> bool:
        screen = await self.screen()
        return screen.login_form and step_of(screen) in (Step.LOGIN_FORM, Step.MESSAGE)

    # --- the flow -------------------------------------------------------------------------------------

    async def sign_in(
        self,
        username: str,
        password: SecretStr,
        otp_secret: SecretStr | None = None,
        *,
        otp_code: SecretStr | None = None,
        client_code: str | None = None,
    ) -> SignInResult:
        """`otp_code`: a code the attorney typed, used as is and once, instead of one from `otp_secret`.
        `client_code`: typed into the form's Client Code field (a firm's billing code; not a secret)."""
        await self._send_password(username, password, client_code)
        done: set[Step] = set()
        for _ in range(MAX_STEPS):
            screen = await self._settled()
            step = step_of(screen)
            if step is Step.MESSAGE:
                # After the code step the site had taken the password: a refusal now is the code's.
                return _from_message(" ".join(screen.alerts), screen, code_sent=Step.CODE in done)
            if step is Step.LOGIN_FORM:
                # No message means no answer to read: the site may have lost the session. The
                # password may have been processed, so this is not tried again in this run.
                if self.progress.phase is Phase.ACCEPTED:
                    raise TransientSiteError("signed in, but the session ended: the site showed the sign-on form again")
                raise TransientSiteError(
                    "the sign-on form came back without a message (the session may have been lost)"
                )
            self.progress.accepted()  # the site moved past the password
            ended = _ended_past_the_password(step, screen, done)
            if ended is not None:
                return ended
            if step is Step.CODE:
                if otp_code is not None:
                    code, otp_code = otp_code.get_secret_value(), None  # spent once
                elif otp_secret is not None:
                    code = await self.codes(otp_secret)  # a new 30-s step, never one already spent
                else:
                    return SignInResult(SignInOutcome.MFA_REQUIRED, "PACER asked for a one-time passcode")
                problem = await enter_code(self.page, self.site, code, self.timeout_ms)
            elif step is Step.REDACTION:
                problem = await accept_redaction(self.page, self.timeout_ms)
            elif is_sign_on_url(screen.url):
                return SignInResult(
                    SignInOutcome.UNRECOGNIZED,
                    f"a sign-on step pacer-verify does not know (nothing was pressed): {screen.describe()}",
                )
            else:
                return SignInResult(SignInOutcome.SIGNED_IN)
            if problem:
                return SignInResult(SignInOutcome.UNRECOGNIZED, problem)
            done.add(step)
        return SignInResult(SignInOutcome.UNRECOGNIZED, "too many sign-on steps")

    async def _send_password(self, username: str, password: SecretStr, client_code: str | None = None) -> None:
        """Fill the form and press Login once, only into a form of PACER's that posts to PACER."""
        await self._refuse_foreign_origin()
        await self.username_field.first.fill(username)
        await self.password_field.first.fill(password.get_secret_value())
        if client_code:
            # Optional on the real form (`loginForm:clientCode`, docs/real-site.md §1); a form without it
            # signs in without one, and the sign-in says what that costs.
            field = self.page.get_by_label(CLIENT_CODE_LABEL)
            if await field.count():
                await field.first.fill(client_code)
        # Again now: a script may have changed the form's action or method while the fields were filled.
        await self._refuse_foreign_origin()
        self.progress.before_sending()
        went_to = await press(
            self.page,
            self._login_button,
            self.timeout_ms,
            self.progress,
            "the sign-in",
        )
        if any(not is_sign_on_url(url) for url in went_to):
            self.progress.accepted()  # the site sent the browser on: it took the password

    async def _settled(self) -> Screen:
        """The screen once it shows a step: the answer is in, but a dialog may still be opening."""
        deadline = time.monotonic() + SETTLE_S
        while True:
            screen = await self.screen()
            step = step_of(screen)
            undecided = step is Step.LOGIN_FORM or (step is Step.OTHER and is_sign_on_url(screen.url))
            if not undecided or time.monotonic() >= deadline:
                return screen
            await asyncio.sleep(0.2)

    async def _refuse_foreign_origin(self) -> None:
        """Type nothing into a form served from, or posting to, an origin other than PACER's."""
        if not self.site.may_receive_pacer_credentials(self.page.url):
            raise CredentialOriginRefused(
                f"the sign-on form is served from {origin_of(self.page.url)}, "
                "not the configured PACER origin; nothing was typed"
            )
        form = self.page.locator("form").filter(has=self.password_field).first
        await require_post_to(form, self._login_button, self.site.may_receive_pacer_credentials, "the sign-on form")


def _ended_past_the_password(step: Step, screen: Screen, done: set[Step]) -> SignInResult | None:
    """Where a sign-on past the password stops without pacer-verify answering anything: the update
    prompt, an inactive account, or a step that came back after it was answered."""
    if step is Step.USER_UPDATE:
        # Never press Skip: the few skips PACER allows belong to the attorney.
        has_skip = any(SKIP_BUTTON.match(text) for text, _ in screen.buttons)
        update = read_update_prompt(screen.text, has_skip_button=has_skip)
        return SignInResult(SignInOutcome.UPDATE_REQUIRED, update.summary(), update)
    if step is Step.INACTIVE:
        return SignInResult(SignInOutcome.LOCKED, _excerpt(screen))
    if step in done:
        return SignInResult(
            SignInOutcome.UNRECOGNIZED, f"the {step.value} step came back after it was answered: {screen.describe()}"
        )
    return None


def _from_message(alert: str, screen: Screen, *, code_sent: bool = False) -> SignInResult:
    """What a message on the sign-on form means, read as the API's answers are (flows.answers); a
    session that expired is a fault to retry. `code_sent`: the message answers the one-time code,
    after the site had taken the password."""
    kind, message = verdict(read_answer(alert), alert, code_sent=code_sent, password_accepted=code_sent)
    if kind is SignInOutcome.SESSION_EXPIRED:
        raise TransientSiteError(f"the sign-on session expired: {alert}")
    if kind is SignInOutcome.UNRECOGNIZED:
        return SignInResult(
            SignInOutcome.UNRECOGNIZED, f"a sign-on message pacer-verify does not know: {alert!r} ({screen.describe()})"
        )
    if kind is SignInOutcome.UPDATE_REQUIRED:
        update = read_update_prompt(alert)
        return SignInResult(SignInOutcome.UPDATE_REQUIRED, f"{update.summary()}: {alert}", update)
    return SignInResult(kind, message)


def _excerpt(screen: Screen, limit: int = 300) -> str:
    return screen.text[:limit]
