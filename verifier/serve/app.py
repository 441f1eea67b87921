"""Routes and the server's life: `/` and `/a/<link>` (the attorney's page), `POST /check`, `/check/<id>`
(live progress, then the result), `/admin` (IT's view), `/static/*` (the page's own CSS and JS)."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import SecretStr
from starlette.applications import Starlette
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from verifier.check.site import SiteMap
from verifier.config import Settings
from verifier.models import Account, Result, Status
from verifier.readiness.courts import CourtRegistry
from verifier.reports.common import ReportMeta
from verifier.roster import username_problem
from verifier.serve import links as personal_links
from verifier.serve.checks import AlreadyChecking, CheckService, Job, QueueFull, Stage
from verifier.serve.people import People, Person
from verifier.serve.security import (
    ADMIN_COOKIE,
    CSRF_COOKIE,
    CSRF_FIELD,
    AdminToken,
    BodyLimit,
    Csrf,
    RateLimit,
    SecurityHeaders,
    client_address,
)
from verifier.serve.views import STATIC, Pages, stage_text
from verifier.statuses import Source
from verifier.store.checkpoint import latest_results
from verifier.weekly.notices import court_links

log = logging.getLogger(__name__)

MAX_PASSWORD = 256
ADMIN_REFRESH_S = 30


@dataclass
class Limits:
    """Posts per client address and per personal link, and rejected logins per username."""

    per_address: int = 10
    per_link: int = 5
    rejected_per_username: int = 2
    window_s: float = 600.0
    rejected_window_s: float = 3600.0


@dataclass
class ServeConfig:
    settings: Settings
    out_dir: Path
    people: People
    courts: CourtRegistry
    admin_token: str
    link_key: bytes
    secret_key: bytes
    """For CSRF tokens and the admin cookie: new at every start (a restart signs IT out)."""
    roster_name: str = ""
    firm: str = "Your firm"
    tls: bool = False
    max_waiting: int = 20
    limits: Limits = field(default_factory=Limits)
    as_of: dt.date | None = None
    site: SiteMap | None = None
    """The command's, built once (verifier.commands.common.site_for); without it, the settings'."""


class FormView:
    """The app's pages as responses: those with a form get the CSRF token, and its cookie when the
    browser has none yet."""

    def __init__(self, pages: Pages, csrf: Csrf, *, tls: bool) -> None:
        self.pages = pages
        self.csrf = csrf
        self.tls = tls

    def html(self, request: Request, name: str, status: int = 200, **values: object) -> HTMLResponse:
        cookie, new = self.csrf.cookie_for(request)
        response = HTMLResponse(self.pages.render(name, csrf=self.csrf.token(cookie), **values), status_code=status)
        if new:
            response.set_cookie(CSRF_COOKIE, cookie, httponly=True, samesite="strict", secure=self.tls, path="/")
        return response

    def message(self, request: Request, status: int, heading: str, text: str, back: str = "/") -> HTMLResponse:
        return self.html(request, "message.html.j2", status, heading=heading, text=text, back=back)


class AdminPages:
    """IT's view: the live report behind the admin token, and the reports written at the end."""

    def __init__(
        self, config: ServeConfig, checks: CheckService, view: FormView, admin: AdminToken, tries: RateLimit
    ) -> None:
        self.config = config
        self.checks = checks
        self.view = view
        self.admin = admin
        self.tries = tries

    async def admin_view(self, request: Request) -> Response:
        if not self.admin.allows(request):
            response = self.view.html(request, "admin_sign_in.html.j2", 401, error="")
            response.headers["www-authenticate"] = 'Bearer realm="pacer-verify serve"'
            return response
        from verifier.reports.html import LiveView, render, report_policy

        results = latest_results(self.checks.checkpoint)
        checked = {r.username.strip().lower() for r in results}
        not_checked = [
            (p.display_name, p.username) for p in self.config.people.people if p.username.lower() not in checked
        ]
        meta = self._meta("PACER NextGen readiness: self-checks (live)")
        live = LiveView(not_checked, ADMIN_REFRESH_S)
        response = HTMLResponse(render(results, meta, courts=self.config.courts, live=live))
        response.headers["content-security-policy"] = report_policy()
        return response

    def _meta(self, title: str) -> ReportMeta:
        return ReportMeta(
            title=title,
            roster=self.config.roster_name,
            site=self.config.settings.base_url or "PACER (pacer.uscourts.gov)",
            as_of=self.config.as_of or dt.date.today(),
            source=Source.TYPED,  # the status legend's next steps speak of what attorneys typed
        )

    def write_reports(self) -> None:
        """At the end, every report `bulk` writes (report.html, results.csv, …) beside results.jsonl."""
        from verifier.reports import write_all

        results = latest_results(self.checks.checkpoint)
        write_all(results, self.config.out_dir, self._meta("PACER NextGen readiness: self-checks"), self.config.courts)

    async def admin_sign_in(self, request: Request) -> Response:
        form = await request.form(max_files=0, max_fields=4)
        if not self.view.csrf.valid(request, _field(form, CSRF_FIELD)):
            return PlainTextResponse("Forbidden: the form's security token is missing or stale; reload the page.", 403)
        if self.tries.blocked(client_address(request)):
            return self.view.message(request, 429, "Too many tries", "Please wait ten minutes.", "/admin")
        if not self.admin.matches(_field(form, "token").strip()):
            self.tries.count(client_address(request))
            return self.view.html(request, "admin_sign_in.html.j2", 401, error="That is not the admin token.")
        response = RedirectResponse("/admin", status_code=303)
        response.set_cookie(
            ADMIN_COOKIE, self.admin.cookie_value, httponly=True, samesite="strict", secure=self.config.tls, path="/"
        )
        return response


class CheckForm:
    """POST /check: the attorney's form, refused before any sign-in when it must be (a stale form, too many
    checks from one address or link, a username PACER rejected twice), else handed to the check service."""

    def __init__(self, config: ServeConfig, view: FormView, person_for: Callable[[str], Person | None]) -> None:
        self.config = config
        self.view = view
        self.person_for = person_for
        limits = config.limits
        self.by_address = RateLimit(limits.per_address, limits.window_s)
        self.by_link = RateLimit(limits.per_link, limits.window_s)
        self.rejected = RateLimit(limits.rejected_per_username, limits.rejected_window_s)
        self.checks = CheckService(
            config.settings,
            config.out_dir,
            config.courts,
            config.people.findings(),
            max_waiting=config.max_waiting,
            as_of=config.as_of,
            on_result=self._note_result,
            site=config.site,
        )

    def _note_result(self, result: Result) -> None:
        if result.status is Status.INVALID_CREDENTIALS:
            self.rejected.count(result.username.strip().lower())

    async def check(self, request: Request) -> Response:
        form = await request.form(max_files=0, max_fields=8)
        if not self.view.csrf.valid(request, _field(form, CSRF_FIELD)):
            return PlainTextResponse("Forbidden: the form's security token is missing or stale; reload the page.", 403)
        if not self.by_address.allow(client_address(request)):
            return self.view.message(
                request, 429, "Too many checks from here", "Please wait ten minutes, then try again."
            )
        token = _field(form, "link")
        person = self.person_for(token) if token else None
        if token and person is None:
            return self.view.message(request, 404, "This link does not work", "It has expired; ask IT for a new one.")
        back = f"/a/{token}" if person else "/"
        if person and not self.by_link.allow(f"row:{person.row}"):
            return self.view.message(
                request, 429, "Too many checks with this link", "Please wait ten minutes, then try again.", back
            )
        username = person.username if person else _field(form, "username").strip()
        password = _field(form, "password")
        code = "".join(_field(form, "otp_code").split())
        problem = _form_problem(username, password, code)
        if problem:
            return self._form_again(request, person, token, username, problem)
        if self.rejected.blocked(username.lower()):
            return self.view.message(
                request,
                429,
                "Not checked: PACER rejected this login twice",
                "Each failed sign-in counts towards a lockout, so this username is not tried again for an hour. "
                "Check your password on pacer.uscourts.gov first.",
                back,
            )
        account = _account(person or self.config.people.by_username(username), username, password, code)
        del password, code, form  # only the account holds them now, for this one check
        return self._submit(request, account, back)

    def _form_again(self, request: Request, person: Person | None, token: str, username: str, problem: str) -> Response:
        """The form again with the one line that says what to fix; a username shown back only if it is one."""
        shown_name = "" if username_problem(username) else username
        return self.view.html(
            request,
            "attorney.html.j2",
            400,
            person=person,
            link=token,
            error=problem,
            username=shown_name,
            court_names=_court_names(self.config.courts, person),
        )

    def _submit(self, request: Request, account: Account, back: str) -> Response:
        try:
            job = self.checks.submit(account)
        except AlreadyChecking:
            return self.view.message(
                request, 409, "Already checking", "A check of this account is running; wait for it."
            )
        except QueueFull:
            return self.view.message(
                request, 503, "Busy", "Many checks are waiting; please try again in a few minutes."
            )
        job.back = back
        return RedirectResponse(f"/check/{job.id}", status_code=303)


class ServeApp:
    def __init__(self, config: ServeConfig) -> None:
        self.config = config
        settings = config.settings
        self.pacer_host = urlsplit(settings.base_url).netloc if settings.base_url else "pacer.uscourts.gov"
        self.pages = Pages(config.firm, self.pacer_host)
        self.csrf = Csrf(config.secret_key)
        self.view = FormView(self.pages, self.csrf, tls=config.tls)
        self.court_links = court_links(config.courts)
        self.form = CheckForm(config, self.view, self._person)
        self.checks = self.form.checks
        tries = RateLimit(config.limits.per_address, config.limits.window_s)
        self.it = AdminPages(config, self.checks, self.view, AdminToken(config.admin_token, config.secret_key), tries)

    # --- helpers ---------------------------------------------------------------------------------------

    def _today(self) -> dt.date:
        return self.config.as_of or dt.date.today()

    def _person(self, token: str) -> Person | None:
        return personal_links.person_for(self.config.link_key, token, self.config.people, dt.datetime.now(dt.UTC))

    # --- the attorney's pages ----------------------------------------------------------------------------

    async def home(self, request: Request) -> Response:
        return self.view.html(request, "attorney.html.j2", person=None, link="", error="", username="", court_names=[])

    async def personal(self, request: Request) -> Response:
        token = request.path_params["token"]
        person = self._person(token)
        if person is None:
            return self.view.message(
                request,
                404,
                "This link does not work",
                "It has expired or is not a link the firm sent. Ask IT for a new one, or check without it.",
            )
        return self.view.html(
            request,
            "attorney.html.j2",
            person=person,
            link=token,
            error="",
            username="",
            court_names=_court_names(self.config.courts, person),
        )

    async def progress(self, request: Request) -> Response:
        job = self.checks.job(request.path_params["job"])
        if job is None:
            return self.view.message(request, 404, "Not found", "This check is over or unknown; check again.")
        if job.stage is Stage.DONE:
            return HTMLResponse(self.pages.result(job, self.court_links, self._today(), job.back))
        return self.view.html(request, "progress.html.j2", job=job, stage_text=self._stage_text(job))

    async def state(self, request: Request) -> Response:
        job = self.checks.job(request.path_params["job"])
        if job is None:
            return JSONResponse({"done": True, "text": "unknown"}, status_code=404)
        return JSONResponse({"done": job.stage is Stage.DONE, "stage": job.stage.value, "text": self._stage_text(job)})

    def _stage_text(self, job: Job) -> str:
        seconds = int(time.monotonic() - job.started) if job.started else 0
        return stage_text(job.stage, self.checks.position(job), seconds)

    async def health(self, request: Request) -> Response:
        return PlainTextResponse("ok\n")

    # --- the app --------------------------------------------------------------------------------------

    def starlette(self) -> Starlette:
        @contextlib.asynccontextmanager
        async def lifespan(app: Starlette) -> AsyncIterator[None]:
            await self.checks.start()
            try:
                yield
            finally:
                await self.checks.close()
                self.it.write_reports()

        app = Starlette(
            routes=[
                Route("/", self.home),
                Route("/a/{token}", self.personal),
                Route("/check", self.form.check, methods=["POST"]),
                Route("/check/{job}", self.progress),
                Route("/check/{job}/state", self.state),
                Route("/admin", self.it.admin_view),
                Route("/admin/sign-in", self.it.admin_sign_in, methods=["POST"]),
                Route("/healthz", self.health),
                Mount("/static", StaticFiles(directory=STATIC), name="static"),
            ],
            lifespan=lifespan,
        )
        app.add_middleware(BodyLimit)
        app.add_middleware(SecurityHeaders, tls=self.config.tls)
        return app


def _court_names(courts: CourtRegistry, person: Person | None) -> list[str]:
    """The person's courts by name, as the registry writes them (the id kept, as the checklist uses it)."""
    if person is None:
        return []
    names = []
    for court_id in person.courts:
        court = courts.get(court_id)
        names.append(f"{court.name} ({court_id})" if court else court_id)
    return names


def _field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _form_problem(username: str, password: str, code: str) -> str:
    """One line naming the field; never repeating what was typed in Password or One-time code."""
    if not username:
        return "PACER username: please fill it in."
    problem = username_problem(username)
    if problem:
        return f"PACER username: {problem}."
    if not password:
        return "Password: please fill it in."
    if len(password) > MAX_PASSWORD:
        return f"Password: longer than {MAX_PASSWORD} characters; PACER's are shorter."
    if code and not (len(code) == 6 and code.isascii() and code.isdigit()):
        if len(code) > 6:
            return "One-time code: the 6 digits your authenticator app shows now, not its secret key."
        return "One-time code: 6 digits, or leave it empty."
    return ""


def _account(person: Person | None, username: str, password: str, code: str) -> Account:
    secret_password = SecretStr(password)
    otp = SecretStr(code) if code else None
    if person is not None:
        return person.account(secret_password, otp)
    return Account(username=username, password=secret_password, otp_code=otp)


def create_app(config: ServeConfig) -> Starlette:
    return ServeApp(config).starlette()
