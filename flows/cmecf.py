"""A court's CM/ECF: does the signed-in PACER account have filing menus (linked), and does an old
CurrentGen CM/ECF login still work?

The menu bar's real markup is known (`div#topmenu.yuimenubar`, docs/real-site.md §4), but the flow
reads the menu items as a person does, by their link text, and uses the id only to narrow the search.
"""

from __future__ import annotations

import contextlib
import re

from pydantic import SecretStr

from flows.errors import CredentialOriginRefused, LogoutFailed, TransientSiteError
from flows.landmarks import read_menu, shows
from flows.logout import logout_control, logout_target, press_logout
from flows.navigation import goto, press
from flows.on_page import OnPage
from flows.pages import CourtCheck
from flows.screen import PASSWORD_LABEL
from flows.signin import SignOnPage
from flows.urls import origin_of, require_post_to

# Menus that appear only for an account with filing privileges in that court.
FILING_MENUS = frozenset({"civil", "criminal", "bankruptcy", "adversary", "file", "filing", "appellate filing"})
PACER_ONLY_MENUS = frozenset({"query", "reports", "utilities", "help", "log out", "logout", "search", "manual"})
LOGIN_FAILED = re.compile(r"login\s+failed|invalid\s+(login|password|user)|incorrect", re.I)
CMECF_LOGIN_LABEL = re.compile(r"^\s*(login|user\s*name|username)\s*:?\s*$", re.I)
CMECF_PASSWORD_LABEL = re.compile(r"^\s*password\s*:?\s*$", re.I)
LOGIN_BUTTON = re.compile(r"^\s*(log\s*in|login|submit|sign\s*in)\s*$", re.I)


class CourtCmEcf(OnPage):
    async def menu_items(self) -> list[str]:
        """The names on the court's menu bar (flows.landmarks.read_menu); none when it has no bar."""
        return await read_menu(self.page, self.timeout_ms) or []

    async def check_nextgen(self, court_id: str) -> CourtCheck:
        """Open the court's CM/ECF with the PACER session (single sign-on) and read the menus.

        The court may send the browser on by script (`document.location = ...`), so the flow waits for
        the menu bar or a sign-on form to appear. A sign-on form means the session did not carry over:
        the password is never typed a second time in a run, so the court is recorded as not checked.
        """
        await goto(self.page, self.watch, self.site.court_login_url(court_id), self.timeout_ms)
        with contextlib.suppress(TransientSiteError):  # neither appeared: read what is there
            await shows(
                self.page, None, menu=True, label=PASSWORD_LABEL, wait_ms=self.timeout_ms, timeout_ms=self.timeout_ms
            )
        if await SignOnPage(self.page, self.site, self.watch, self.timeout_ms).is_showing():
            return CourtCheck(
                court=court_id,
                nextgen=True,
                message=(
                    "not checked: the court asked to sign on again (the PACER session did not carry over); "
                    "pacer-verify sends the password only once per run"
                ),
            )
        return self._from_menus(court_id, await self.menu_items())

    async def log_out_of_court(self, court_id: str) -> None:
        """End a CurrentGen court login by its menu's Log Out (`login.pl?logout`), so that a login this check
        made is not left open. Presses only a Log Out on the court's own CM/ECF. Raises `LogoutFailed`."""
        control = logout_control(self.page)
        if not await control.count():
            raise LogoutFailed(f"the {court_id} CM/ECF page shows no Log Out")
        target = await logout_target(control, self.page.url)
        if not self.site.may_receive_court_credentials(target, court_id):
            raise LogoutFailed(f"the {court_id} CM/ECF Log Out goes to {origin_of(target)}; not pressed")
        await press_logout(self.page, self.timeout_ms)
        if await self.menu_items():
            raise LogoutFailed(f"the {court_id} CM/ECF menu still showed after Log Out")

    def _from_menus(self, court_id: str, menus: list[str]) -> CourtCheck:
        if not menus:
            return CourtCheck(court=court_id, nextgen=True, message="the court's menu bar was not found")
        lowered = {m.lower() for m in menus}
        linked = bool(lowered & FILING_MENUS)
        return CourtCheck(
            court=court_id,
            nextgen=True,
            linked=linked,
            menus=menus,
            message="filing menus shown" if linked else "only PACER menus shown (no filing privileges)",
        )

    async def check_currentgen_login(self, court_id: str, login: str, password: SecretStr) -> CourtCheck:
        """Try the old CM/ECF login on a court that is not on NextGen yet."""
        await goto(self.page, self.watch, self.site.court_login_url(court_id), self.timeout_ms)
        if not self.site.may_receive_court_credentials(self.page.url, court_id):
            raise CredentialOriginRefused(
                f"the {court_id} CM/ECF login is not on the court's own address; nothing was typed"
            )
        await self.page.get_by_label(CMECF_LOGIN_LABEL).first.fill(login)
        password_field = self.page.get_by_label(CMECF_PASSWORD_LABEL).first
        await password_field.fill(password.get_secret_value())
        button = self.page.get_by_role("button", name=LOGIN_BUTTON).first
        # Asked now, not at load: a script may have changed where the form goes while it was filled.
        await require_post_to(
            self.page.locator("form").filter(has=password_field).first,
            button,
            lambda url: self.site.may_receive_court_credentials(url, court_id),
            f"the {court_id} CM/ECF login form",
            to="the court's own address",
        )
        await press(self.page, button, self.timeout_ms, None, "the CM/ECF login")
        body = await self.page.locator("body").inner_text()
        if LOGIN_FAILED.search(body):
            return CourtCheck(
                court=court_id, nextgen=False, cmecf_login_ok=False, message="the court's CM/ECF rejected the login"
            )
        menus = await self.menu_items()
        return CourtCheck(
            court=court_id,
            nextgen=False,
            cmecf_login_ok=bool(menus),
            menus=menus,
            message="CM/ECF login works" if menus else "no menu after the CM/ECF login",
        )
