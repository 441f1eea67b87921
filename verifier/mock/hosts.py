"""The mock under PACER's own host names, for clients that cannot be given a base URL.

A client such as juriscraper asks `https://pacer.login.uscourts.gov/services/cso-auth` and
`https://ecf.cod.uscourts.gov/cgi-bin/...`; routed to the mock by a transport that changes only where
the connection goes (the request keeps its `Host`), the mock answers as the real site would:

- `ecf.<court>.uscourts.gov` serves that court's CM/ECF at the real paths (`/cgi-bin/...`), which the
  mock keeps under `/ecf/<court>/...` (both work on that host);
- redirects to sign-on are absolute, on `pacer.login.uscourts.gov`, with the court's `appurl` on its own
  host, as real court pages send them (docs/real-site.md §1);
- PACER's cookies are set for `.uscourts.gov`, so the session made at sign-on reaches the courts.

Reached by its own address (`--base-url http://127.0.0.1:8765`, the bundled flows), every page is on
that one origin, and the same rules give absolute URLs on it.
"""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

REAL_DOMAIN = "uscourts.gov"
SIGN_ON_HOST = "pacer.login.uscourts.gov"
ACCOUNT_HOST = "pacer.psc.uscourts.gov"
#: Names a TLS certificate for the mock covers besides the court hosts (verifier.mock.tls).
PACER_HOSTS = (SIGN_ON_HOST, ACCOUNT_HOST)
_COURT_HOST = re.compile(r"^ecf\.([a-z0-9]+)\.uscourts\.gov$")
_COURT_PATH = re.compile(r"^/ecf/([a-z0-9]+)(/.*)?$")


def court_host(court_id: str) -> str:
    return f"ecf.{court_id.lower()}.{REAL_DOMAIN}"


def _host(request_or_host: Request | str) -> str:
    host = request_or_host if isinstance(request_or_host, str) else request_or_host.url.hostname or ""
    return host.lower().rstrip(".")


def is_real_host(request_or_host: Request | str) -> bool:
    """The request came under one of PACER's own names (a client routing `*.uscourts.gov` here)."""
    host = _host(request_or_host)
    return host == REAL_DOMAIN or host.endswith("." + REAL_DOMAIN)


def _origin(request: Request, host: str | None = None) -> str:
    if host is None:
        return f"{request.url.scheme}://{request.url.netloc}"
    return f"{request.url.scheme}://{host}"


def sign_on_origin(request: Request) -> str:
    """Where sign-on lives for this request: PACER's sign-on host, or the mock's own origin."""
    return _origin(request, SIGN_ON_HOST) if is_real_host(request) else _origin(request)


def public_url(request: Request, path: str) -> str:
    """The absolute address of one of the mock's paths as this client sees the site: on PACER's hosts
    (a court's pages on the court's own host), or on the mock's origin."""
    if not is_real_host(request):
        return _origin(request) + path
    court = _COURT_PATH.match(path.split("?", 1)[0])
    if court:
        rest = path[len(f"/ecf/{court.group(1)}") :] or "/"
        return _origin(request, court_host(court.group(1))) + rest
    if path.startswith("/pscof/"):
        return _origin(request, ACCOUNT_HOST) + path
    return _origin(request, SIGN_ON_HOST) + path


def cookie_domain(request: Request) -> str | None:
    """PACER's cookies live on `.uscourts.gov` (docs/real-site.md §1); on the mock's own address, on its host."""
    return "." + REAL_DOMAIN if is_real_host(request) else None


def allowed_host(request: Request, host: str) -> bool:
    """Whether sign-on may send the browser on to `host`: the mock's own, or any PACER host when the
    client came under PACER's names (sign-on on one host, the court on another)."""
    host = _host(host)
    return host == _host(request) or (is_real_host(request) and is_real_host(host))


class CourtHosts:
    """ASGI middleware: `ecf.<court>.uscourts.gov/cgi-bin/...` is the mock's `/ecf/<court>/cgi-bin/...`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            host = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"host"), "")
            court = _COURT_HOST.match(host.split(":", 1)[0].lower().rstrip("."))
            path: str = scope["path"]
            if court and not path.startswith("/ecf/"):
                path = f"/ecf/{court.group(1)}{path if path != '/' else ''}"
                scope = {**scope, "path": path, "raw_path": path.encode()}
        await self.app(scope, receive, send)
