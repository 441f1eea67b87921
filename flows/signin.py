"""PACER Central Sign-On as a page object: username and password, one-time code, the filers'
Redaction Agreement, and the "User Update Required" prompt.

Elements are found the way a person finds them: by their label text and role. The real site's
JSF ids (`loginForm:loginName`, ...) are not needed, so the flow survives markup changes.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urljoin

import pyotp
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Locator, Page
from pydantic import SecretStr

from flows.classify import LoginMessage, classify_login_message
from flows.errors import CredentialOriginRefused, TransientSiteError
from flows.navigation import DocumentWatch, submit
from verifier.site import SiteMap, origin_of

USERNAME_LABEL = re.compile(r"^\s*(user\s*name|login(\s*id)?)\s*\*?\s*:?\s*$", re.I)
PASSWORD_LABEL = re.compile(r"^\s*password\s*\*?\s*:?\s*$", re.I)
LOGIN_BUTTON = re.compile(r"^\s*(log\s*in|sign\s*in|login)\s*$", re.I)
# The real wording of the one-time-code prompt was not found (docs/real-site.md §1): accept the usual ones.
CODE_LABEL = re.compile(
    r"one[\s-]*time\s*(pass\s*)?code|verification\s*code|authenticat\w*\s*code|2fa\s*code|mfa", re.I
)
CODE_BUTTON = re.compile(r"^\s*(submit|verify|continue|ok)\s*$", re.I)
REDACTION = re.compile(r"redaction", re.I)
REDACTION_CHECKBOX = re.compile(r"i understand|i have read", re.I)
CONTINUE_BUTTON = re.compile(r"^\s*continue\s*$", re.I)
USER_UPDATE = re.compile(r"user\s+update\s+required", re.I)
INACTIVE = re.compile(r"inactive|not\s+activated", re.I)

MAX_STEPS = 8


class SignInOutcome(StrEnum):
    SIGNED_IN = "signed_in"
    INVALID_CREDENTIALS = "invalid_credentials"
    LOCKED = "locked"
    MFA_REQUIRED = "mfa_required"
    PASSWORD_CHANGE_REQUIRED = "password_change_required"
    UNRECOGNIZED = "unrecognized"


@dataclass(frozen=True)
class SignInResult:
    outcome: SignInOutcome
    message: str = ""


class SignOnPage:
    """The sign-on form and the steps that can follow it, on whatever page currently shows them."""

    def __init__(self, page: Page, site: SiteMap, watch: DocumentWatch, timeout_ms: float = 30_000) -> None:
        self.page = page
        self.site = site
        self.watch = watch
        self.timeout_ms = timeout_ms

    # --- what is on screen ------------------------------------------------------------------------

    @property
    def username_field(self) -> Locator:
        return self.page.get_by_label(USERNAME_LABEL)

    @property
    def password_field(self) -> Locator:
        return self.page.get_by_label(PASSWORD_LABEL)

    @property
    def code_field(self) -> Locator:
        return self.page.get_by_label(CODE_LABEL)

    def dialog(self, name: re.Pattern[str]) -> Locator:
        return self.page.get_by_role("dialog", name=name)

    async def is_showing(self) -> bool:
        return await _visible(self.password_field) and await _visible(self.username_field)

    async def alert_text(self) -> str:
        alerts = self.page.get_by_role("alert").filter(has_text=re.compile(r"\S"))
        texts = [" ".join(t.split()) for t in await alerts.all_inner_texts()]
        return " ".join(t for t in texts if t)

    # --- the flow -------------------------------------------------------------------------------------

    async def sign_in(
        self, username: str, password: SecretStr, otp_secret: SecretStr | None = None
    ) -> SignInResult:
        await self._refuse_foreign_origin()
        await self.username_field.fill(username)
        await self.password_field.fill(password.get_secret_value())
        await submit(self.page, self.watch, self.page.get_by_role("button", name=LOGIN_BUTTON), self.timeout_ms)

        for _ in range(MAX_STEPS):
            alert = await self.alert_text()
            if alert:
                return self._from_message(alert)
            if await _visible(self.dialog(USER_UPDATE)) or await _visible(self.page.get_by_text(USER_UPDATE)):
                # Never press Skip: the few skips PACER allows belong to the attorney.
                return SignInResult(SignInOutcome.PASSWORD_CHANGE_REQUIRED, await self._dialog_text(USER_UPDATE))
            if await _visible(self.dialog(INACTIVE)):
                return SignInResult(SignInOutcome.LOCKED, await self._dialog_text(INACTIVE))
            if await _visible(self.code_field):
                if otp_secret is None:
                    return SignInResult(SignInOutcome.MFA_REQUIRED, "PACER asked for a one-time passcode")
                await self._enter_code(otp_secret)
                continue
            if await _visible(self.dialog(REDACTION)):
                await self._accept_redaction()
                continue
            if await self.is_showing():
                # No message means no rejection: the session was lost on the way (expired, cookies
                # dropped). Safe to try again, unlike a rejected login.
                raise TransientSiteError("the sign-on form came back without a message (session lost)")
            return SignInResult(SignInOutcome.SIGNED_IN)
        return SignInResult(SignInOutcome.UNRECOGNIZED, "too many sign-on steps")

    async def _refuse_foreign_origin(self) -> None:
        """Type nothing into a form served from, or posting to, an origin other than PACER's."""
        if not self.site.may_receive_pacer_credentials(self.page.url):
            raise CredentialOriginRefused(f"the sign-on form is served from {origin_of(self.page.url)}, "
                                          "not the configured PACER origin; nothing was typed")
        form = self.page.locator("form").filter(has=self.password_field).first
        action = urljoin(self.page.url, await form.get_attribute("action") or "")
        if not self.site.may_receive_pacer_credentials(action):
            raise CredentialOriginRefused(f"the sign-on form posts to {origin_of(action)}, "
                                          "not the configured PACER origin; nothing was typed")

    async def _enter_code(self, otp_secret: SecretStr) -> None:
        code = pyotp.TOTP(otp_secret.get_secret_value()).now()
        await self.code_field.fill(code)
        await submit(self.page, self.watch, self.page.get_by_role("button", name=CODE_BUTTON), self.timeout_ms)

    async def _accept_redaction(self) -> None:
        dialog = self.dialog(REDACTION)
        await dialog.get_by_label(REDACTION_CHECKBOX).check()
        await submit(self.page, self.watch, dialog.get_by_role("button", name=CONTINUE_BUTTON), self.timeout_ms)

    async def _dialog_text(self, name: re.Pattern[str]) -> str:
        try:
            text = await self.dialog(name).first.inner_text(timeout=2_000)
        except PlaywrightError:
            text = await self.page.locator("body").inner_text()
        return " ".join(text.split())[:300]

    def _from_message(self, alert: str) -> SignInResult:
        kind = classify_login_message(alert)
        if kind is LoginMessage.INVALID:
            return SignInResult(SignInOutcome.INVALID_CREDENTIALS, alert)
        if kind in (LoginMessage.LOCKED, LoginMessage.INACTIVE):
            return SignInResult(SignInOutcome.LOCKED, alert)
        if kind is LoginMessage.SESSION_EXPIRED:
            raise TransientSiteError(f"the sign-on session expired: {alert}")
        return SignInResult(SignInOutcome.UNRECOGNIZED, alert)


async def _visible(locator: Locator) -> bool:
    try:
        return await locator.first.is_visible()
    except PlaywrightError:
        await asyncio.sleep(0)
        return False
