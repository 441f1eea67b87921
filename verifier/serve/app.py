"""Routes and the server's life: `/` (the attorney's page, or, with a roster, the page asking for the
personal link), `/a/<link>`, `POST /check`, `/check/<id>` (live progress, then the result), `/admin`
(IT's view) with its sign-in and sign-out, `/static/*` (the page's own CSS and JS).

Every answer passes through, outermost first: the security headers and the last word on errors
(verifier.serve.security), the `Host` check (starlette's TrustedHostMiddleware), the `Origin` check
on posts, the body limit; 404 and 405 are pages of ours."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from verifier.check.site import SiteMap
from verifier.config import Settings
from verifier.readiness.courts import CourtRegistry
from verifier.reports.common import ReportMeta
from verifier.serve import links as personal_links
from verifier.serve.admin_pages import AdminPages
from verifier.serve.check_form import CheckForm, Limits
from verifier.serve.checks import CheckService, Job, Stage
from verifier.serve.csrf import Csrf
from verifier.serve.failures import SignInFailures
from verifier.serve.form_view import FormView, court_names
from verifier.serve.launch import Address
from verifier.serve.people import People, Person
from verifier.serve.security import BodyLimit, CookieNames, OriginCheck, SecurityHeaders
from verifier.serve.views import STATIC, Pages, stage_text
from verifier.statuses import Source
from verifier.weekly.notices import court_links

log = logging.getLogger(__name__)

__all__ = ["Limits", "ServeApp", "ServeConfig", "create_app"]


@dataclass
class ServeConfig:
    settings: Settings
    out_dir: Path
    people: People
    courts: CourtRegistry
    admin_token: str
    link_key: bytes
    secret_key: bytes
    """For CSRF tokens: new at every start."""
    address: Address
    roster_only: bool = False
    """Given --roster: only the roster's attorneys, each through their personal link."""
    roster_name: str = ""
    firm: str = "Your firm"
    contact: str = "your firm's IT"
    max_waiting: int = 20
    limits: Limits = field(default_factory=Limits)
    as_of: dt.date | None = None
    site: SiteMap | None = None
    """The command's, built once (verifier.commands.common.site_for); without it, the settings'."""


class ServeApp:
    def __init__(self, config: ServeConfig) -> None:
        self.config = config
        settings = config.settings
        self.pacer_host = urlsplit(settings.base_url).netloc if settings.base_url else "pacer.uscourts.gov"
        self.pages = Pages(config.firm, self.pacer_host, config.contact)
        cookies = CookieNames.for_secure(config.address.secure)
        self.view = FormView(self.pages, Csrf(config.secret_key, cookies.csrf, secure=config.address.secure))
        self.court_links = court_links(config.courts)
        self.checks = CheckService(
            settings,
            config.out_dir,
            config.courts,
            config.people.findings(),
            SignInFailures(config.out_dir),
            max_waiting=config.max_waiting,
            as_of=config.as_of,
            site=config.site,
        )
        self.form = CheckForm(config.roster_only, config.limits, config.contact, self.view, self.checks, self._person)
        self.it = AdminPages(
            config.admin_token, cookies.admin, config.address.secure, self.view, self.checks, config.people, self._meta
        )

    def _today(self) -> dt.date:
        return self.config.as_of or dt.date.today()

    def _meta(self, title: str) -> ReportMeta:
        return ReportMeta(
            title=title,
            roster=self.config.roster_name,
            site=self.config.settings.base_url or "PACER (pacer.uscourts.gov)",
            as_of=self._today(),
            source=Source.TYPED,  # the status legend's next steps speak of what attorneys typed
        )

    def _person(self, token: str) -> Person | None:
        return personal_links.person_for(self.config.link_key, token, self.config.people, dt.datetime.now(dt.UTC))

    # --- the attorney's pages ----------------------------------------------------------------------------

    async def home(self, request: Request) -> Response:
        if self.config.roster_only:
            return self.view.html(request, "link_needed.html.j2", error="")
        return self.view.html(request, "attorney.html.j2", person=None, link="", error="", username="", court_names=[])

    async def open_link(self, request: Request) -> Response:
        """The link pasted into the page that asks for it: its page, or why not."""
        token = personal_links.token_in(request.query_params.get("link", ""))
        if self._person(token) is not None:
            return RedirectResponse(f"/a/{token}", status_code=303)
        error = "That is not a link that works here: it has expired, or part of it is missing."
        return self.view.html(request, "link_needed.html.j2", 404, error=error)

    async def personal(self, request: Request) -> Response:
        token = request.path_params["token"]
        person = self._person(token)
        if person is None:
            expired = f"It has expired or is not a link the firm sent. Ask {self.config.contact} for a new one."
            return self.view.message(request, 404, "This link does not work", expired)
        # Closed for now (two failed sign-ins in 24 h): said at once, with no form to go back to.
        if (closed := self.form.closed_page(request, person.username, "")) is not None:
            return closed
        return self.view.html(
            request,
            "attorney.html.j2",
            person=person,
            link=token,
            error="",
            username=person.username,
            court_names=court_names(self.config.courts, person),
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

    async def not_found(self, request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        if status == 405:
            response = self.view.message(request, 405, "Not here", "This address does not take that request.")
            response.headers["allow"] = (
                (exc.headers or {}).get("Allow", "GET") if isinstance(exc, HTTPException) else "GET"
            )
            return response
        return self.view.message(request, status, "Not found", "There is no page at this address.")

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
                Route("/link", self.open_link),
                Route("/a/{token}", self.personal),
                Route("/check", self.form.check, methods=["POST"]),
                Route("/check/{job}", self.progress),
                Route("/check/{job}/state", self.state),
                Route("/admin", self.it.admin_view),
                Route("/admin/sign-in", self.it.sign_in, methods=["POST"]),
                Route("/admin/sign-out", self.it.sign_out, methods=["POST"]),
                Route("/healthz", self.health),
                Mount("/static", StaticFiles(directory=STATIC), name="static"),
            ],
            lifespan=lifespan,
            exception_handlers={404: self.not_found, 405: self.not_found},
        )
        address = self.config.address
        app.add_middleware(BodyLimit)
        app.add_middleware(OriginCheck, origins=address.origins)
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(address.hosts), www_redirect=False)
        app.add_middleware(SecurityHeaders, secure=address.secure, error_page=self._error_page)
        return app

    def _error_page(self) -> bytes:
        return self.pages.render(
            "message.html.j2",
            csrf="",
            heading="Something went wrong",
            text="This page could not be shown. Please try again in a few minutes; if it goes on, tell "
            f"{self.config.contact}.",
            back="/",
        ).encode()


def create_app(config: ServeConfig) -> Starlette:
    return ServeApp(config).starlette()
