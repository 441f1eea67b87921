"""Templates and responses for the mock: every page `no-store`, cookies set the same way everywhere."""

from __future__ import annotations

from html import escape
from pathlib import Path
from urllib.parse import quote, urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from verifier.mock.hosts import allowed_host, cookie_domain, public_url, sign_on_origin

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


def set_cookie(response: Response, name: str, value: str, path: str = "/", request: Request | None = None) -> None:
    """Secure over https only (the mock also serves plain http on loopback); on PACER's own host names
    (verifier.mock.hosts) scoped to `.uscourts.gov`, as the real cookies are."""
    secure = request is not None and request.url.scheme == "https"
    domain = cookie_domain(request) if request is not None else None
    response.set_cookie(name, value, httponly=True, samesite="lax", path=path, secure=secure, domain=domain)


def delete_cookie(response: Response, name: str, request: Request, path: str = "/") -> None:
    response.delete_cookie(name, path=path, domain=cookie_domain(request))


def origin(request: Request) -> str:
    return f"{request.url.scheme}://{request.url.netloc}"


def to_sign_on(request: Request, target: str, court_cso_id: str = "") -> RedirectResponse:
    """To Central Sign-On, by an absolute address on the sign-on host as the real site sends it, with
    `appurl` (absolute) and maybe `pscCourtId`: `https://pacer.login.uscourts.gov/csologin/login.jsf?
    pscCourtId=CODC&appurl=https%3A%2F%2Fecf.cod.uscourts.gov%2F...`, or the same on the mock's origin."""
    query = f"appurl={quote(public_url(request, target), safe='')}"
    if court_cso_id:
        query = f"pscCourtId={quote(court_cso_id)}&{query}"
    return see_other(f"{sign_on_origin(request)}{LOGIN_PATH}?{query}")


def same_origin_target(request: Request, appurl: str) -> str:
    """Where `appurl` may send the browser: a path on this site (or, under PACER's host names, an address on
    another of them), never another site (→ "/")."""
    appurl = appurl.strip()
    if not appurl or any(c in appurl for c in "\r\n\t\\"):
        return "/"
    parts = urlsplit(appurl)
    if not parts.path.startswith("/") or parts.path.startswith("//"):
        return "/"  # "//evil.example" is another origin to a browser
    local = parts.path + (f"?{parts.query}" if parts.query else "")
    if not (parts.scheme or parts.netloc):
        return local
    if parts.scheme.lower() != request.url.scheme or not parts.hostname:
        return "/"
    if parts.netloc.lower() == request.url.netloc.lower():
        return local
    return appurl if allowed_host(request, parts.hostname) and parts.port == request.url.port else "/"
