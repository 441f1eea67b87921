"""A CurrentGen court's CM/ECF: its own login form (`GetPass`: login, key, clcode) and session cookie, no
single sign-on; a PACER session in the `PacerSession` cookie also opens its pages, without filing menus."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response

from verifier.mock.court_page import court_heading, court_page, simple_court_page
from verifier.mock.live import PageSet
from verifier.mock.render import delete_cookie, page, set_cookie
from verifier.mock.signon import PACER_SESSION_COOKIE
from verifier.mock.state import CourtSession, key_of

if TYPE_CHECKING:
    from verifier.mock.scenario import MockCourt

#: The mock's own cookie for a CurrentGen court login (scoped to the court's path); the real
#: CurrentGen cookies are not needed by anything that reads this site.
CURRENTGEN_COOKIE = "MockEcfSession"
LOGIN_FAILED = "Login failed."  # the contract's text; the real CurrentGen wording is not public


class CurrentGenPages(PageSet):
    """A CurrentGen court: its own login form and session cookie, no single sign-on."""

    async def page(self, request: Request, court: MockCourt) -> Response:
        base, script, query = f"/ecf/{court.id}", request.path_params["script"], request.url.query
        cookie = request.cookies.get(CURRENTGEN_COOKIE, "")
        with self.state.lock:
            session = self.state.court_sessions.get(cookie)
        if session is not None and session.court != court.id:
            session = None
        pacer_token = request.cookies.get(PACER_SESSION_COOKIE, "")
        if script == "login.pl" and query == "logout":
            response = self.login_form(court, note="You have been logged out.")
            if session is not None:  # the court's own login ends; a PACER session beside it stays
                with self.state.lock:
                    self.state.court_sessions.pop(cookie, None)
                response.delete_cookie(CURRENTGEN_COOKIE, path=base)
            elif self._pacer_session(pacer_token, court) is not None:
                # Signed in here by the PACER session alone: Log Out ends it, as a NextGen court's does.
                self.state.end_session(pacer_token)
                delete_cookie(response, PACER_SESSION_COOKIE, request)
            return response
        if script == "login.pl" and request.method == "POST":
            return await self.login(request, court)
        if session is None and script != "login.pl":
            # login.pl stays the login form (a filer's CM/ECF login); the other pages take a PACER session.
            session = self._pacer_session(pacer_token, court)
        if session is None:
            return self.login_form(court)
        account = self.state.account(session.username)
        if script == "login.pl" or script == "ShowIndex.pl":
            return court_page(
                court,
                account,
                f"{court.name} - CM/ECF",
                filer=session.filer,
                paragraphs=[f"Welcome to CM/ECF for the {court_heading(court)}."],
            )
        return simple_court_page(court, account, script, query, session.filer)

    def _pacer_session(self, token: str, court: MockCourt) -> CourtSession | None:
        """A PACER session in the `PacerSession` cookie (juriscraper sets it to the API's token for
        CurrentGen servers, docs/real-site.md §1): the court's pages for a PACER user, no filing menus."""
        if not token or token in self.state.browser_sign_on_due:
            return None
        account = self.state.session_account(token)
        return CourtSession(court.id, key_of(account.username), False) if account is not None else None

    async def login(self, request: Request, court: MockCourt) -> Response:
        form = await request.form()
        login, key = form.get("login"), form.get("key")
        login = login.strip() if isinstance(login, str) else ""
        key = key if isinstance(key, str) else ""
        with self.state.lock:
            self.state.court_login_posts[f"{court.id}:{key_of(login)}"] += 1
        owner, filer = None, False
        for account in self.state.accounts.values():
            old = account.cmecf.get(court.id)
            if old and old.login == login and secrets.compare_digest(old.password.encode(), key.encode()):
                owner, filer = account, True
                break
        if owner is None:
            # "CM/ECF Filer or PACER Login": a PACER login works too, without filing menus. Whether a
            # CurrentGen court still takes PACER logins of accounts with MFA is unknown; the mock says no.
            pacer = self.state.account(login)
            if (
                pacer is not None
                and pacer.state == "active"
                and pacer.otp_secret is None
                and secrets.compare_digest(pacer.password.encode(), key.encode())
            ):
                owner = pacer
        if owner is None:
            return self.login_form(court, message=LOGIN_FAILED)
        token = secrets.token_hex(24)
        with self.state.lock:
            self.state.court_sessions[token] = CourtSession(court.id, key_of(owner.username), filer)
        response = court_page(
            court,
            owner,
            f"{court.name} - CM/ECF",
            filer=filer,
            paragraphs=[f"Welcome to CM/ECF for the {court_heading(court)}."],
        )
        set_cookie(response, CURRENTGEN_COOKIE, token, path=f"/ecf/{court.id}")
        return response

    def login_form(self, court: MockCourt, message: str = "", note: str = "") -> Response:
        return page(
            "currentgen_login.html",
            title="CM/ECF Filer or PACER Login",
            court=court,
            heading=court_heading(court),
            base=f"/ecf/{court.id}",
            message=message,
            note=note,
        )
