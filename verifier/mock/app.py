"""The mock PACER site: Central Sign-On, Manage My Account, and courts' CM/ECF, on the real paths.

Plain form posts and 303 redirects (the real site posts the same fields by PrimeFaces AJAX), so it
works with JavaScript off. See docs/mock-site.md for the contract the flows rely on.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from urllib.parse import quote, urlsplit

import pyotp
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from verifier.mock.faults import SESSION_COOKIE, FaultInjector
from verifier.mock.scenario import MockAccount, MockCourt, MockScenario
from verifier.mock.state import MockState, PendingSignOn

TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"), autoescape=select_autoescape(["html"])
)
JSESSION = "JSESSIONID"
LOGIN_PATH = "/csologin/login.jsf"
ACCOUNT_PATH = "/pscof/manage/maint.jsf"
NO_STORE = {"Cache-Control": "no-store"}

# Real messages (pacer-reference.md §1); the locked wording is a guess: no source shows it.
INVALID = "Invalid username or password"
DISABLED = "Your PACER account has been disabled. Please contact the PACER Service Center."
LOCKED = "Your PACER account has been locked. Please contact the PACER Service Center."
EXPIRED = "Your session has expired. Please log in again."
WRONG_CODE = "Invalid one-time passcode"


def render(name: str, status_code: int = 200, **context: object) -> HTMLResponse:
    html = TEMPLATES.get_template(name).render(**context)
    return HTMLResponse(html, status_code=status_code, headers=NO_STORE)


class MockSite:
    """Request handlers over one MockState; `reset()` swaps in fresh state for the same scenario."""

    def __init__(self, scenario: MockScenario) -> None:
        self.state = MockState(scenario)

    def reset(self, scenario: MockScenario | None = None) -> None:
        """Fresh accounts, sessions and counters (for the same scenario, or a new one)."""
        self.state = MockState(scenario or self.state.scenario)

    @property
    def scenario(self) -> MockScenario:
        return self.state.scenario

    # --- helpers ----------------------------------------------------------------------------------

    def court(self, court_id: str) -> MockCourt | None:
        return next((c for c in self.scenario.courts if c.id == court_id.lower()), None)

    def signed_in(self, request: Request) -> MockAccount | None:
        return self.state.session_account(request.cookies.get(SESSION_COOKIE))

    @staticmethod
    def safe_appurl(request: Request, appurl: str) -> str:
        """Only this site's own pages: an appurl to another origin is ignored."""
        if not appurl:
            return "/"
        parts = urlsplit(appurl)
        if parts.netloc and parts.netloc != request.url.netloc:
            return "/"
        if not parts.path.startswith("/"):
            return "/"
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def to_sign_on(self, request: Request, target: str, court_cso_id: str = "") -> RedirectResponse:
        appurl = f"{request.url.scheme}://{request.url.netloc}{target}"
        query = f"appurl={quote(appurl, safe='')}"
        if court_cso_id:
            query = f"pscCourtId={court_cso_id}&{query}"
        return RedirectResponse(f"{LOGIN_PATH}?{query}", status_code=303, headers=NO_STORE)

    def login_page(self, request: Request, message: str = "", appurl: str = "", court_id: str = "",
                   username: str = "") -> HTMLResponse:
        jsession = request.cookies.get(JSESSION) or secrets.token_hex(16)
        view_state = self.state.new_view_state(jsession)
        response = render("login.html", title="PACER Login", message=message, appurl=appurl,
                          court_id=court_id, view_state=view_state, username=username)
        response.set_cookie(JSESSION, jsession, httponly=True, samesite="lax", path="/")
        return response

    def step_page(self, request: Request, step: str, message: str = "", skips_left: int = 0) -> HTMLResponse:
        jsession = request.cookies.get(JSESSION) or ""
        view_state = self.state.new_view_state(jsession)
        return render("step.html", title="PACER Login", step=step, message=message, skips_left=skips_left,
                      view_state=view_state)

    # --- Central Sign-On ----------------------------------------------------------------------------

    async def login_get(self, request: Request) -> Response:
        appurl = request.query_params.get("appurl", "")
        if appurl and self.signed_in(request):
            # Single sign-on: a valid NextGenCSO session goes straight back to the court or app.
            return RedirectResponse(self.safe_appurl(request, appurl), status_code=303, headers=NO_STORE)
        return self.login_page(request, appurl=appurl, court_id=request.query_params.get("pscCourtId", ""))

    async def login_post(self, request: Request) -> Response:
        form = await request.form()
        jsession = request.cookies.get(JSESSION, "")
        with self.state.lock:
            expected = self.state.view_states.get(jsession)
        if not jsession or expected is None or form.get("javax.faces.ViewState") != expected:
            return self.login_page(request, EXPIRED, appurl=str(form.get("appurl", "")))
        if "loginForm:loginName" in form:
            return self.password_step(request, form)
        pending = self.state.pending.get(jsession)
        if pending is None:
            return self.login_page(request, EXPIRED)
        account = self.state.account(pending.username)
        assert account is not None
        if "mfaForm:mfaInput" in form:
            code = str(form.get("mfaForm:mfaInput", "")).strip()
            if not account.otp_secret or not pyotp.TOTP(account.otp_secret).verify(code, valid_window=1):
                if self.count_wrong(account.username):
                    self.state.pending.pop(jsession, None)
                    return self.login_page(request, LOCKED)
                return self.step_page(request, "mfa", WRONG_CODE)
            return self.next_step(request, jsession, pending)
        if "regmsg:bpmConfirm" in form:
            if form.get("regmsg:chkRedact_input") not in ("on", "true", "1"):
                return self.step_page(request, "redaction")
            return self.next_step(request, jsession, pending)
        if "frmUserUpdate:bpmSkip" in form and account.skips_left > 0:
            account.skips_left -= 1
            return self.next_step(request, jsession, pending)
        if "frmUserUpdate:bpmUpdate" in form:
            return self.step_page(request, "change_password")
        if "pwdForm:btnSave" in form:
            new_password = str(form.get("pwdForm:newPassword", ""))
            if len(new_password) < 14 or new_password == account.password:
                return self.step_page(request, "change_password",
                                      "Password must be 14 to 45 characters and differ from the current one")
            account.password = new_password
            account.update_required = False
            return self.next_step(request, jsession, pending)
        return self.step_page(request, pending.steps[0], skips_left=account.skips_left)

    def count_wrong(self, username: str) -> bool:
        """Count a failed attempt; True when that locks the account."""
        key = username.lower()
        with self.state.lock:
            self.state.wrong_attempts[key] += 1
            limit = self.scenario.lockout_after
            if limit and self.state.wrong_attempts[key] >= limit:
                self.state.locked.add(key)
                return True
        return False

    def password_step(self, request: Request, form: object) -> Response:
        get = form.get  # type: ignore[attr-defined]
        username = str(get("loginForm:loginName", "")).strip()
        password = str(get("loginForm:password", ""))
        appurl = str(get("appurl", ""))
        court_id = str(get("pscCourtId", ""))
        with self.state.lock:
            self.state.login_posts[username.lower()] += 1

        def again(message: str) -> HTMLResponse:
            return self.login_page(request, message, appurl=appurl, court_id=court_id, username=username)

        if len(username) < 6:
            return again("Username must be at least 6 characters")
        if len(password) < 8:
            return again("Password must be at least 8 characters")
        account = self.state.account(username)
        if account is not None and username.lower() in self.state.locked:
            return again(LOCKED)
        if account is None or not secrets.compare_digest(account.password, password):
            if account is not None and self.count_wrong(username):
                return again(LOCKED)
            return again(INVALID)
        if account.state == "disabled":
            return again(DISABLED)
        if account.state == "inactive":
            return self.step_page(request, "inactive")
        with self.state.lock:
            self.state.wrong_attempts.pop(username.lower(), None)
        steps = [s for s, on in (("mfa", account.otp_secret), ("redaction", account.filer),
                                 ("update", account.update_required)) if on]
        jsession = request.cookies.get(JSESSION, "")
        pending = PendingSignOn(account.username, steps, appurl)
        return self.next_step(request, jsession, pending, first=True)

    def next_step(self, request: Request, jsession: str, pending: PendingSignOn, first: bool = False) -> Response:
        if not first and pending.steps:
            pending.steps.pop(0)
        account = self.state.account(pending.username)
        assert account is not None
        if pending.steps and pending.steps[0] == "update" and not account.update_required:
            pending.steps.pop(0)
        if pending.steps:
            self.state.pending[jsession] = pending
            return self.step_page(request, pending.steps[0], skips_left=account.skips_left)
        self.state.pending.pop(jsession, None)
        token = self.state.start_session(account.username)
        response = RedirectResponse(self.safe_appurl(request, pending.appurl), status_code=303, headers=NO_STORE)
        response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax", path="/")
        response.set_cookie("PacerSession", token, httponly=True, samesite="lax", path="/")
        return response

    async def logout(self, request: Request) -> Response:
        self.state.end_session(request.cookies.get(SESSION_COOKIE))
        response = RedirectResponse(LOGIN_PATH, status_code=303, headers=NO_STORE)
        response.delete_cookie(SESSION_COOKIE, path="/")
        response.delete_cookie("PacerSession", path="/")
        return response

    async def home(self, request: Request) -> Response:
        return render("page.html", title="PACER", heading="Public Access to Court Electronic Records",
                      paragraphs=["Welcome to PACER."],
                      links=[("Log in to Manage My Account", "/pscof/login.xhtml"), ("PACER Login", LOGIN_PATH)])

    # --- Manage My Account --------------------------------------------------------------------------

    async def pscof_login(self, request: Request) -> Response:
        # The real Manage-My-Account login is a separate page (pacer-reference.md §1); the mock sends it
        # to Central Sign-On with the account page as appurl, as court sites do. Uncertain.
        return self.to_sign_on(request, ACCOUNT_PATH)

    async def account_page(self, request: Request) -> Response:
        account = self.signed_in(request)
        if account is None:
            return self.to_sign_on(request, ACCOUNT_PATH)
        variant = self.scenario.variant or account.variant
        return render("account.html", title="Manage My Account", account=account, variant=variant)

    async def account_tab(self, request: Request) -> Response:
        account = self.signed_in(request)
        if account is None:
            return self.to_sign_on(request, request.url.path)
        tab = request.path_params["tab"]
        if account.account_type == "legacy":
            paragraphs = ["Your account must be upgraded before you can use this option."]
            links = [("Upgrade", "/pscof/upgrade.jsf")]
        else:
            options = {
                "settings": ["Set PACER Billing Preferences", "Update PACER Billing Email", "Manage MFA Settings",
                             "Remove Your PACER Account from a PAA"],
                "payments": ["Make One-Time PACER Fee Payment", "Manage My Stored Payment Information"],
                "usage": ["View Quarterly Invoice/Statement of Account", "View Detailed Transactions"],
            }.get(tab, [])
            paragraphs, links = [], [(o, "#") for o in options]
        return render("page.html", title="Manage My Account", heading=tab.capitalize(), paragraphs=paragraphs,
                      links=[*links, ("Back to Manage My Account", ACCOUNT_PATH)])

    async def upgrade(self, request: Request) -> Response:
        account = self.signed_in(request)
        if account is None:
            return self.to_sign_on(request, "/pscof/upgrade.jsf")
        if request.method == "GET":
            step = "done" if account.account_type == "upgraded" else "person"
            return render("upgrade.html", title="Upgrade PACER Account", step=step)
        form = await request.form()
        step = str(form.get("step", "person"))
        required = {"person": "dob", "address": "county", "security": "newPassword"}
        if not str(form.get(required.get(step, ""), "")).strip():
            return render("upgrade.html", title="Upgrade PACER Account", step=step,
                          message="Please complete every required field.")
        following = {"person": "address", "address": "security", "security": "done"}[step]
        if following == "done":
            account.account_type = "upgraded"
        return render("upgrade.html", title="Upgrade PACER Account", step=following)

    # --- Court CM/ECF ----------------------------------------------------------------------------------

    def menus(self, court: MockCourt, account: MockAccount | None, base: str) -> list[tuple[str, str]]:
        filing: list[tuple[str, str]] = []
        linked = account is not None and account.cmecf.get(court.id) is not None and account.cmecf[court.id].linked
        if court.generation == "currentgen":
            linked = True  # signed in with the CM/ECF login itself
        if linked:
            events = ("Bankruptcy", "Adversary") if court.kind == "bankruptcy" else ("Civil", "Criminal")
            filing = [(e, f"{base}/cgi-bin/DisplayMenu.pl?{e}Events") for e in events]
        common = [("Query", f"{base}/cgi-bin/iquery.pl"), ("Reports", f"{base}/cgi-bin/DisplayMenu.pl?Reports"),
                  ("Utilities", f"{base}/cgi-bin/DisplayMenu.pl?Utilities")]
        tail = [("Search", f"{base}/cgi-bin/search.pl")] if linked else []
        return [*filing, *common, *tail, ("Help", f"{base}/cgi-bin/help.pl"),
                ("Log Out", f"{base}/cgi-bin/login.pl?logout")]

    async def court_page(self, request: Request) -> Response:
        court = self.court(request.path_params["court"])
        if court is None:
            return render("page.html", 404, title="Not Found", heading="Not Found", paragraphs=["No such court."])
        base = f"/ecf/{court.id}"
        script = request.path_params["script"]
        if court.generation == "currentgen":
            return await self.currentgen(request, court, base, script)
        account = self.signed_in(request)
        if account is None:
            return self.to_sign_on(request, f"{base}/cgi-bin/ShowIndex.pl", court.cso_id)
        if script == "login.pl" and "logout" in request.url.query:
            return await self.logout(request)
        if script == "login.pl":
            return RedirectResponse(f"{base}/cgi-bin/ShowIndex.pl", status_code=303, headers=NO_STORE)
        menus = self.menus(court, account, base)
        heading = f"U.S. {court.kind.capitalize()} Court, {court.name}"
        if script == "DisplayMenu.pl" and request.url.query == "Utilities":
            return render("court.html", title=heading, heading="Utilities", menus=menus, base=base, links=[
                ("Link a CM/ECF account to my PACER account", f"{base}/cgi-bin/LinkAccount.pl"),
                ("Change Client Code", "#"), ("View Your Transaction Log", "#")])
        if script == "LinkAccount.pl":
            return await self.link_account(request, court, account, base, menus)
        return render("court.html", title=heading, heading=f"{court.name} - CM/ECF NextGen", menus=menus, base=base,
                      paragraphs=["Welcome to CM/ECF."])

    async def link_account(self, request: Request, court: MockCourt, account: MockAccount, base: str,
                           menus: list[tuple[str, str]]) -> Response:
        title = "Link a CM/ECF account to my PACER account"
        if request.method == "GET":
            return render("court.html", title=title, heading=title, menus=menus, base=base, form="link",
                          paragraphs=["Enter your current CM/ECF login and password for this court."])
        form = await request.form()
        existing = account.cmecf.get(court.id)
        if form.get("step") == "confirm" and existing is not None:
            existing.linked = True
            return render("court.html", title=title, heading=title, menus=self.menus(court, account, base),
                          base=base, paragraphs=["Your CM/ECF account has been linked to your PACER account. "
                                                 "Additional filing options should appear on your menu."])
        if existing is None or form.get("login") != existing.login or form.get("password") != existing.password:
            return render("court.html", title=title, heading=title, menus=menus, base=base, form="link",
                          message="The CM/ECF login or password is incorrect.")
        return render("court.html", title=title, heading=title, menus=menus, base=base, form="confirm",
                      paragraphs=[f"Verify: link CM/ECF login {existing.login} to PACER account {account.username}."])

    async def currentgen(self, request: Request, court: MockCourt, base: str, script: str) -> Response:
        session = request.cookies.get(f"ecf_{court.id}")
        title = "CM/ECF Filer or PACER Login"
        if request.method == "POST" and script == "login.pl":
            form = await request.form()
            login, key = str(form.get("login", "")), str(form.get("key", ""))
            owner = next((a for a in self.state.accounts.values()
                          if (c := a.cmecf.get(court.id)) and c.login == login and c.password == key), None)
            if owner is None:
                return render("currentgen_login.html", title=title, base=base, message="Login failed.")
            token = secrets.token_hex(16)
            self.state.court_sessions[token] = (court.id, owner.username)
            response = render("court.html", title=court.name, heading=f"{court.name} - CM/ECF",
                              menus=self.menus(court, owner, base), base=base, paragraphs=["Welcome to CM/ECF."])
            response.set_cookie(f"ecf_{court.id}", token, httponly=True, path=base)
            return response
        if session and session in self.state.court_sessions and script != "login.pl":
            owner = self.state.account(self.state.court_sessions[session][1])
            return render("court.html", title=court.name, heading=f"{court.name} - CM/ECF",
                          menus=self.menus(court, owner, base), base=base)
        return render("currentgen_login.html", title=title, base=base)


def create_app(scenario: MockScenario, site: MockSite | None = None) -> FaultInjector:
    """The ASGI app: the site's routes behind the fault injector."""
    site = site or MockSite(scenario)
    routes = [
        Route("/", site.home),
        Route(LOGIN_PATH, site.login_get, methods=["GET"]),
        Route(LOGIN_PATH, site.login_post, methods=["POST"]),
        Route("/csologin/logout", site.logout),
        Route("/pscof/login.xhtml", site.pscof_login),
        Route(ACCOUNT_PATH, site.account_page),
        Route("/pscof/manage/{tab}.jsf", site.account_tab),
        Route("/pscof/upgrade.jsf", site.upgrade, methods=["GET", "POST"]),
        Route("/ecf/{court}/cgi-bin/{script}", site.court_page, methods=["GET", "POST"]),
    ]
    app = Starlette(routes=routes)
    return FaultInjector(app, lambda: site.state)
