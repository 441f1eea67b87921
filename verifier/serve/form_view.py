"""The app's pages as responses: those with a form get the CSRF token, and its cookie when the browser
has none the server signed yet."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse

from verifier.readiness.courts import CourtRegistry
from verifier.serve.csrf import Csrf
from verifier.serve.people import Person
from verifier.serve.views import Pages


class FormView:
    def __init__(self, pages: Pages, csrf: Csrf) -> None:
        self.pages = pages
        self.csrf = csrf

    def html(self, request: Request, name: str, status: int = 200, **values: object) -> HTMLResponse:
        cookie, new = self.csrf.cookie_for(request)
        response = HTMLResponse(self.pages.render(name, csrf=self.csrf.token(cookie), **values), status_code=status)
        if new:
            self.csrf.set_cookie(response, cookie)
        return response

    def message(
        self, request: Request, status: int, heading: str, text: str, back: str = "/", notes: Sequence[str] = ()
    ) -> HTMLResponse:
        return self.html(request, "message.html.j2", status, heading=heading, text=text, back=back, notes=notes)

    def forbidden(self) -> HTMLResponse:
        return HTMLResponse(
            self.pages.render(
                "message.html.j2",
                csrf="",
                heading="This form is out of date",
                text="Its security token is missing or stale: open the page again, then try once more.",
                back="/",
            ),
            status_code=403,
        )


def court_names(courts: CourtRegistry, person: Person | None) -> list[str]:
    """The person's courts by name, as the registry writes them (the id kept, as the checklist uses it)."""
    if person is None:
        return []
    names = []
    for court_id in person.courts:
        court = courts.get(court_id)
        names.append(f"{court.name} ({court_id})" if court else court_id)
    return names


def form_field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""
