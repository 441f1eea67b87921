"""Courts' CM/ECF under `/ecf/{court}/cgi-bin/...` (the real `https://ecf.{court}.uscourts.gov/cgi-bin/...`).

NextGen courts sign on through Central Sign-On (`pscCourtId`), show filing menus once the PACER
account is linked to the attorney's old CM/ECF account, and offer the link under Utilities.
CurrentGen courts have their own login form (`GetPass`: login, key, clcode).
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response

from verifier.mock.faults import SESSION_COOKIE
from verifier.mock.render import delete_cookie, page, see_other, set_cookie, simple_page, to_sign_on
from verifier.mock.signon import PACER_SESSION_COOKIE
from verifier.mock.state import key_of

if TYPE_CHECKING:
    from verifier.mock.live import LiveState
    from verifier.mock.scenario import CmecfLogin, MockAccount, MockCourt
    from verifier.mock.state import MockState

#: The mock's own cookie for a CurrentGen court login (scoped to the court's path); the real
#: CurrentGen cookies are not needed by anything that reads this site.
CURRENTGEN_COOKIE = "MockEcfSession"
LINK_TITLE = "Link a CM/ECF account to my PACER account"
# The appellate wording (docs/real-site.md §4); appellate NextGen's own pages are not modelled.
APPELLATE_LINK_TITLE = "Link my filer account to my PACER account"
LOGIN_FAILED = "Login failed."  # the contract's text; the real CurrentGen wording is not public


@dataclass(frozen=True)
class MenuItem:
    text: str
    href: str
    accesskey: str = ""
    submenu: bool = False


def menu_bar(court: MockCourt, base: str, filer: bool) -> list[MenuItem]:
    """The `div#topmenu` items, as juriscraper's saved pages show them (docs/real-site.md §4).

    The real bar underlines an access-key letter (`C<u>i</u>vil`); the mock gives it as an
    `accesskey` attribute so that each item's text stays one text node.
    """
    cgi = f"{base}/cgi-bin"
    filing: list[MenuItem] = []
    if filer and court.kind == "bankruptcy":
        filing = [
            MenuItem("Bankruptcy", f"{cgi}/DisplayMenu.pl?BankruptcyEvents", "b", True),
            MenuItem("Adversary", f"{cgi}/DisplayMenu.pl?AdversaryEvents", "a", True),
        ]
    elif filer and court.kind == "appellate":
        filing = [MenuItem("Filing", f"{cgi}/DisplayMenu.pl?FilingEvents", "f", True)]  # a guess
    elif filer:
        filing = [
            MenuItem("Civil", f"{cgi}/DisplayMenu.pl?CivilEvents", "i", True),
            MenuItem("Criminal", f"{cgi}/DisplayMenu.pl?CriminalEvents", "n", True),
        ]
    common = [
        MenuItem("Query", f"{cgi}/iquery.pl", "q"),
        MenuItem("Reports", f"{cgi}/DisplayMenu.pl?Reports", "r", True),
        MenuItem("Utilities", f"{cgi}/DisplayMenu.pl?Utilities", "u", True),
    ]
    # The real Search item runs a script and Help has only an onclick; the mock links simple pages.
    search = [MenuItem("Search", f"{cgi}/SearchMenu.pl", "c")] if filer else []
    return [
        *filing,
        *common,
        *search,
        MenuItem("Help", f"{cgi}/Help.pl"),
        MenuItem("Log Out", f"{cgi}/login.pl?logout"),
    ]


def court_heading(court: MockCourt) -> str:
    kind = {"district": "District Court", "bankruptcy": "Bankruptcy Court", "appellate": "Court of Appeals"}
    return f"U.S. {kind[court.kind]}, {court.name}"


class CourtPages:
    def __init__(self, live: LiveState) -> None:
        self.live = live
        self.currentgen = CurrentGenPages(live)
        self.link_page = LinkPage(live)

    @property
    def state(self) -> MockState:
        return self.live.state

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


class LinkPage:
    """NextGen's Utilities → Link: old CM/ECF login and password → Submit → verify → Submit → confirmation."""

    def __init__(self, live: LiveState) -> None:
        self.live = live

    @property
    def state(self) -> MockState:
        return self.live.state

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


def simple_court_page(court: MockCourt, account: MockAccount | None, script: str, query: str, filer: bool) -> Response:
    titles = {
        ("DisplayMenu.pl", "Reports"): "Reports",
        ("iquery.pl", ""): "Query",
        ("SearchMenu.pl", ""): "Search",
        ("Help.pl", ""): "Help",
    }
    title = titles.get((script, query))
    if title is None:
        return court_page(
            court,
            account,
            "Not Found",
            filer=filer,
            status_code=404,
            paragraphs=["This CM/ECF page is not part of the mock site."],
        )
    return court_page(
        court, account, title, filer=filer, paragraphs=[f"{title} is not part of the mock site's CM/ECF."]
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


def court_page(
    court: MockCourt,
    account: MockAccount | None,
    heading: str,
    *,
    filer: bool = False,
    paragraphs: list[str] | None = None,
    links: list[tuple[str, str]] | None = None,
    sections: list[tuple[str, list[tuple[str, str]]]] | None = None,
    form: str = "",
    message: str = "",
    facts: list[tuple[str, str]] | None = None,
    status_code: int = 200,
) -> Response:
    base = f"/ecf/{court.id}"
    return page(
        "court.html",
        status_code,
        title=f"CM/ECF - {court.name} - Live",
        court=court,
        court_heading=court_heading(court),
        heading=heading,
        base=base,
        menus=menu_bar(court, base, filer) if account is not None else [],
        paragraphs=paragraphs or [],
        links=links or [],
        sections=sections or [],
        form=form,
        message=message,
        facts=facts or [],
    )


class CurrentGenPages:
    """A CurrentGen court: its own login form and session cookie, no single sign-on."""

    def __init__(self, live: LiveState) -> None:
        self.live = live

    @property
    def state(self) -> MockState:
        return self.live.state

    async def page(self, request: Request, court: MockCourt) -> Response:
        base, script, query = f"/ecf/{court.id}", request.path_params["script"], request.url.query
        cookie = request.cookies.get(CURRENTGEN_COOKIE, "")
        with self.state.lock:
            session = self.state.court_sessions.get(cookie)
        if session is not None and session[0] != court.id:
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
        account = self.state.account(session[1])
        if script == "login.pl" or script == "ShowIndex.pl":
            return court_page(
                court,
                account,
                f"{court.name} - CM/ECF",
                filer=session[2],
                paragraphs=[f"Welcome to CM/ECF for the {court_heading(court)}."],
            )
        return simple_court_page(court, account, script, query, session[2])

    def _pacer_session(self, token: str, court: MockCourt) -> tuple[str, str, bool] | None:
        """A PACER session in the `PacerSession` cookie (juriscraper sets it to the API's token for
        CurrentGen servers, docs/real-site.md §1): the court's pages for a PACER user, no filing menus."""
        if not token or token in self.state.browser_sign_on_due:
            return None
        account = self.state.session_account(token)
        return (court.id, key_of(account.username), False) if account is not None else None

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
            self.state.court_sessions[token] = (court.id, key_of(owner.username), filer)
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


def linked(account: MockAccount, court: MockCourt) -> bool:
    old = account.cmecf.get(court.id)
    return old is not None and old.linked


def no_such_court() -> Response:
    return simple_page("Not Found", ["There is no such court on the mock site."], status_code=404)
