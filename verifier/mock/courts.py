"""Courts' CM/ECF under `/ecf/{court}/cgi-bin/...` (the real `https://ecf.{court}.uscourts.gov/cgi-bin/...`).

NextGen courts sign on through Central Sign-On (`pscCourtId`), show filing menus once the PACER
account is linked to the attorney's old CM/ECF account, and offer the link under Utilities.
CurrentGen courts have their own login form (`GetPass`: login, key, clcode): verifier.mock.currentgen.
The page both draw is verifier.mock.court_page's.
"""

from __future__ import annotations

import json
import secrets
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response

from verifier.mock.court_page import court_heading, court_page, linked, no_such_court, simple_court_page
from verifier.mock.currentgen import CurrentGenPages
from verifier.mock.faults import SESSION_COOKIE
from verifier.mock.live import PageSet
from verifier.mock.render import delete_cookie, see_other, to_sign_on
from verifier.mock.signon import PACER_SESSION_COOKIE
from verifier.mock.state import key_of

if TYPE_CHECKING:
    from verifier.mock.live import LiveState
    from verifier.mock.scenario import CmecfLogin, MockAccount, MockCourt

LINK_TITLE = "Link a CM/ECF account to my PACER account"
# The appellate wording (docs/real-site.md §4); appellate NextGen's own pages are not modelled.
APPELLATE_LINK_TITLE = "Link my filer account to my PACER account"


class CourtPages(PageSet):
    def __init__(self, live: LiveState) -> None:
        super().__init__(live)
        self.currentgen = CurrentGenPages(live)
        self.link_page = LinkPage(live)

    def court(self, request: Request) -> MockCourt | None:
        wanted = str(request.path_params.get("court", "")).lower()
        return next((c for c in self.live.scenario.courts if c.id == wanted), None)

    async def root(self, request: Request) -> Response:
        court = self.court(request)
        if court is None:
            return no_such_court()
        return see_other(f"/ecf/{court.id}/cgi-bin/login.pl")

    async def cgi(self, request: Request) -> Response:
        court = self.court(request)
        if court is None:
            return no_such_court()
        if court.generation == "currentgen":
            return await self.currentgen.page(request, court)
        return await self.nextgen(request, court)

    # --- NextGen ---------------------------------------------------------------------------------------

    async def nextgen(self, request: Request, court: MockCourt) -> Response:
        base, script, query = f"/ecf/{court.id}", request.path_params["script"], request.url.query
        if script == "login.pl" and query == "logout":
            self.state.end_session(request.cookies.get(SESSION_COOKIE))
            return _logged_out(court, request)
        account = self.live.signed_in(request)
        if account is None:
            # Real NextGen pages send a signed-out browser to CSO with the court's id and a return URL.
            target = (
                f"{base}/cgi-bin/ShowIndex.pl"
                if script == "login.pl"
                else request.url.path + (f"?{query}" if query else "")
            )
            return court_sign_on(request, target, court, self.live.scenario.court_redirect)
        if script == "login.pl":
            return see_other(f"{base}/cgi-bin/ShowIndex.pl")
        filer = linked(account, court)
        if script == "ShowIndex.pl":
            return court_page(
                court,
                account,
                f"{court.name} - CM/ECF NextGen",
                paragraphs=[f"Welcome to CM/ECF for the {court_heading(court)}."],
                filer=filer,
            )
        if script == "DisplayMenu.pl" and query == "Utilities":
            return _utilities(court, account, filer)
        if script == "LinkAccount.pl":
            return await self.link_page.answer(request, court, account)
        if script == "DisplayMenu.pl" and query.endswith("Events"):
            return _events(court, account, query, filer)
        return simple_court_page(court, account, script, query, filer)


class LinkPage(PageSet):
    """NextGen's Utilities → Link: old CM/ECF login and password → Submit → verify → Submit → confirmation."""

    async def answer(self, request: Request, court: MockCourt, account: MockAccount) -> Response:
        token = self.live.session_token(request) or ""
        title = APPELLATE_LINK_TITLE if court.kind == "appellate" else LINK_TITLE
        existing = account.cmecf.get(court.id)
        if existing is not None and existing.linked:
            return court_page(
                court,
                account,
                title,
                filer=True,
                paragraphs=[f"Your PACER account is already linked to the CM/ECF account {existing.login}."],
            )
        ask = ["Enter your current CM/ECF login and password for this court, then click Submit."]
        if request.method == "GET":
            return court_page(court, account, title, paragraphs=ask, form="link")
        form = await request.form()
        step = form.get("step")
        with self.state.lock:
            verified = self.state.pending_links.get((token, court.id))
        if step == "confirm" and verified is not None and existing is not None and verified == existing.login:
            with self.state.lock:
                existing.linked = True
                self.state.pending_links.pop((token, court.id), None)
            return _link_done(court, account, title)
        login, password = form.get("login"), form.get("password")
        if step == "credentials":
            with self.state.lock:
                self.state.court_login_posts[f"{court.id}:{key_of(str(login or ''))}"] += 1
        if step != "credentials" or existing is None or not _same_login(existing, login, password):
            message = "The CM/ECF login or password is incorrect." if step == "credentials" else ""
            return court_page(court, account, title, paragraphs=ask, form="link", message=message)
        with self.state.lock:
            self.state.pending_links[(token, court.id)] = existing.login
        return court_page(
            court,
            account,
            title,
            form="confirm",
            paragraphs=["Verify the account information below, then click Submit to link the accounts."],
            facts=[("CM/ECF login", existing.login), ("Name", account.name), ("PACER username", account.username)],
        )


def _same_login(existing: CmecfLogin, login: object, password: object) -> bool:
    return (
        isinstance(login, str)
        and isinstance(password, str)
        and login == existing.login
        and secrets.compare_digest(password.encode(), existing.password.encode())
    )


def _link_done(court: MockCourt, account: MockAccount, title: str) -> Response:
    return court_page(
        court,
        account,
        title,
        filer=True,
        paragraphs=[
            "Your CM/ECF account has been linked to your PACER account. A confirmation e-mail has been sent. "
            "Additional filing options should appear on your menu."
        ],
    )


def _logged_out(court: MockCourt, request: Request) -> Response:
    base = f"/ecf/{court.id}"
    response = court_page(
        court,
        None,
        "Logged Out",
        paragraphs=["You have been logged out of CM/ECF."],
        links=[("Log in again", f"{base}/cgi-bin/login.pl")],
    )
    delete_cookie(response, SESSION_COOKIE, request)
    delete_cookie(response, PACER_SESSION_COOKIE, request)
    return response


def _utilities(court: MockCourt, account: MockAccount, filer: bool) -> Response:
    base = f"/ecf/{court.id}"
    link_title = APPELLATE_LINK_TITLE if court.kind == "appellate" else LINK_TITLE
    return court_page(
        court,
        account,
        "Utilities",
        filer=filer,
        sections=[
            (
                "Your Account",
                [
                    (link_title, f"{base}/cgi-bin/LinkAccount.pl"),
                    ("Change Client Code", f"{base}/cgi-bin/Help.pl"),
                    ("View Your Transaction Log", f"{base}/cgi-bin/Help.pl"),
                ],
            ),
            ("Miscellaneous", [("Legal Research", f"{base}/cgi-bin/Help.pl")]),
        ],
    )


def _events(court: MockCourt, account: MockAccount, query: str, filer: bool) -> Response:
    if not filer:
        return court_page(
            court,
            account,
            "Not Authorized",
            filer=filer,
            paragraphs=["You do not have permission to file in this court."],
            status_code=403,
        )
    return court_page(
        court,
        account,
        f"{query.removesuffix('Events')} Events",
        filer=filer,
        paragraphs=["Select the type of document to file."],
    )


def court_sign_on(request: Request, target: str, court: MockCourt, style: str) -> Response:
    """A signed-out browser goes to sign-on: by a 303, or (scenario `court_redirect`) by a page
    whose script sets `document.location = ...` or calls `location.assign(...)`, as real NextGen
    court pages do (docs/real-site.md §1, §6); their exact markup is the mock's own."""
    redirect = to_sign_on(request, target, court.cso_id)
    if style == "http":
        return redirect
    location = json.dumps(redirect.headers["location"]).replace("<", "\\u003c")
    statement = (
        f"document.location = {location};" if style == "document_location" else (f"location.assign({location});")
    )
    html = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>CM/ECF</title>'
        f"<script>{statement}</script></head><body><p>Redirecting to PACER sign-on.</p></body></html>"
    )
    return Response(html, media_type="text/html", headers={"Cache-Control": "no-store"})
