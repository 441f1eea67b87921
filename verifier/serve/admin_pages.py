"""IT's view: the live report behind the admin token (verifier.serve.admin_auth), each account's last
reading with the failed sign-ins since (verifier.serve.record), and the reports written at the end."""

from __future__ import annotations

from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from verifier.reports.common import ReportMeta
from verifier.serve.admin_auth import SESSION_S, Access, AdminAuth
from verifier.serve.checks import CheckService
from verifier.serve.form_view import FormView, form_field
from verifier.serve.people import People
from verifier.serve.record import what_is_known
from verifier.store.checkpoint import latest_results

ADMIN_REFRESH_S = 30
CSRF_FIELD = "csrf"


class AdminPages:
    def __init__(
        self,
        token: str,
        cookie_name: str,
        secure: bool,
        view: FormView,
        checks: CheckService,
        people: People,
        meta: Callable[[str], ReportMeta],
    ) -> None:
        self.auth = AdminAuth(token, cookie_name)
        self.secure = secure
        self.view = view
        self.checks = checks
        self.people = people
        self.meta = meta

    def _too_many(self, request: Request) -> Response:
        return self.view.message(
            request,
            429,
            "Too many tries",
            "Too many wrong admin tokens from this address: please wait ten minutes.",
            "/admin",
        )

    async def admin_view(self, request: Request) -> Response:
        access = self.auth.access(request)
        if access is Access.TOO_MANY:
            return self._too_many(request)
        if access is Access.REFUSED:
            response = self.view.html(request, "admin_sign_in.html.j2", 401, error="")
            response.headers["www-authenticate"] = 'Bearer realm="pacer-verify serve"'
            return response
        from verifier.reports.html import LiveView, live_key, render, report_policy

        known = what_is_known(self.checks.checkpoint)
        results = [item.shown for item in known]
        checked = {r.username.strip().lower() for r in results}
        not_checked = [(p.display_name, p.username) for p in self.people.people if p.username.lower() not in checked]
        cookie, new = self.view.csrf.cookie_for(request)
        by_session = "authorization" not in request.headers  # a Bearer client has nothing to sign out of
        live = LiveView(
            not_checked,
            ADMIN_REFRESH_S,
            attempts={live_key(item.shown): item.attempts for item in known if item.attempts},
            sign_out_csrf=self.view.csrf.token(cookie) if by_session else "",
        )
        response = HTMLResponse(
            render(results, self.meta("PACER NextGen readiness: self-checks (live)"), self.checks.courts, live)
        )
        response.headers["content-security-policy"] = report_policy(live=True)
        if new and by_session:
            self.view.csrf.set_cookie(response, cookie)
        return response

    async def sign_in(self, request: Request) -> Response:
        form = await request.form(max_files=0, max_fields=4)
        if not self.view.csrf.valid(request, form_field(form, CSRF_FIELD)):
            return self.view.forbidden()
        access, session = self.auth.sign_in(request, form_field(form, "token").strip())
        if access is Access.TOO_MANY:
            return self._too_many(request)
        if access is Access.REFUSED:
            return self.view.html(request, "admin_sign_in.html.j2", 401, error="That is not the admin token.")
        response = RedirectResponse("/admin", status_code=303)
        response.set_cookie(
            self.auth.cookie_name,
            session,
            max_age=int(SESSION_S),
            httponly=True,
            samesite="strict",
            secure=self.secure,
            path="/",
        )
        return response

    async def sign_out(self, request: Request) -> Response:
        form = await request.form(max_files=0, max_fields=2)
        if not self.view.csrf.valid(request, form_field(form, CSRF_FIELD)):
            return self.view.forbidden()
        self.auth.sign_out(request)
        response = self.view.message(request, 200, "Signed out", "IT's view is closed in this browser.", "/admin")
        response.delete_cookie(self.auth.cookie_name, path="/", secure=self.secure, httponly=True, samesite="strict")
        return response

    def write_reports(self) -> None:
        """At the end, every report `bulk` writes (report.html, results.csv, …) beside results.jsonl."""
        from verifier.reports import write_all

        results = latest_results(self.checks.checkpoint)
        write_all(results, self.checks.out_dir, self.meta("PACER NextGen readiness: self-checks"), self.checks.courts)
