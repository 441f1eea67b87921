"""Templates and responses for the mock: every page `no-store`, cookies set the same way everywhere."""

from __future__ import annotations

from html import escape
from pathlib import Path
from urllib.parse import quote, urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,  # a missing value in a template is a bug in the mock, not an empty string
    trim_blocks=True,
    lstrip_blocks=True,
)
NO_STORE = {"Cache-Control": "no-store"}

LOGIN_PATH = "/csologin/login.jsf"
ACCOUNT_PATH = "/pscof/manage/maint.jsf"
UPGRADE_PATH = "/pscof/upgrade.jsf"
LOGOUT_PATH = "/csologin/logout"
PSCOF_LOGIN_PATH = "/pscof/login.xhtml"


def page(template: str, status_code: int = 200, **context: object) -> HTMLResponse:
    html = TEMPLATES.get_template(template).render(**context)
    return HTMLResponse(html, status_code=status_code, headers=NO_STORE)


def partial_response(updates: list[tuple[str, str]] | None = None, redirect: str | None = None) -> Response:
    """A JSF `<partial-response>`: `<update id>` blocks (CDATA) in order, or a `<redirect url>`."""
    if redirect is not None:
        changes = f'<redirect url="{escape(redirect, quote=True)}"></redirect>'
    else:
        blocks = "".join(
            f'<update id="{escape(id_, quote=True)}"><![CDATA[{_cdata(html)}]]></update>' for id_, html in updates or []
        )
        changes = f"<changes>{blocks}</changes>"
    body = f"<?xml version='1.0' encoding='UTF-8'?>\n<partial-response id=\"j_id1\">{changes}</partial-response>"
    return Response(body, media_type="text/xml", headers=NO_STORE)


def _cdata(text: str) -> str:
    # "]]>" cannot appear inside CDATA: split it over two sections, as JSF does.
    return text.replace("]]>", "]]]]><![CDATA[>")


def simple_page(
    title: str,
    paragraphs: list[str] | None = None,
    links: list[tuple[str, str]] | None = None,
    status_code: int = 200,
    heading: str | None = None,
) -> HTMLResponse:
    return page(
        "page.html", status_code, title=title, heading=heading or title, paragraphs=paragraphs or [], links=links or []
    )


def see_other(location: str) -> RedirectResponse:
    return RedirectResponse(location, status_code=303, headers=NO_STORE)


def set_cookie(response: Response, name: str, value: str, path: str = "/") -> None:
    # No Secure flag: the mock is plain http on loopback. The real cookies live on .uscourts.gov.
    response.set_cookie(name, value, httponly=True, samesite="lax", path=path)


def origin(request: Request) -> str:
    return f"{request.url.scheme}://{request.url.netloc}"


def to_sign_on(request: Request, target: str, court_cso_id: str = "") -> RedirectResponse:
    """To Central Sign-On with `appurl` (absolute, as court sites send it) and maybe `pscCourtId`."""
    query = f"appurl={quote(origin(request) + target, safe='')}"
    if court_cso_id:
        query = f"pscCourtId={quote(court_cso_id)}&{query}"
    return see_other(f"{LOGIN_PATH}?{query}")


def same_origin_target(request: Request, appurl: str) -> str:
    """Where `appurl` may send the browser: a path on this site, never another origin (→ "/")."""
    appurl = appurl.strip()
    if not appurl or any(c in appurl for c in "\r\n\t\\"):
        return "/"
    parts = urlsplit(appurl)
    if (parts.scheme or parts.netloc) and (
        parts.scheme.lower() != request.url.scheme or parts.netloc.lower() != request.url.netloc.lower()
    ):
        return "/"
    if not parts.path.startswith("/") or parts.path.startswith("//"):
        return "/"  # "//evil.example" is another origin to a browser
    return parts.path + (f"?{parts.query}" if parts.query else "")
