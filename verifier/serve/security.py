"""What a reviewer at a firm demands of a page that takes passwords: strict headers on every answer
(errors included), an unexpected error kept to one line, small bodies, forms posted only from the
server's own pages, and rate limits."""

from __future__ import annotations

import logging
import os
import re
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from starlette.requests import ClientDisconnect, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from verifier.errors import RequestTooLarge
from verifier.serve.launch import origin_of

log = logging.getLogger(__name__)

#: Nothing from elsewhere, no inline script or style: the page's own files only.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = {
    # Same-origin, not no-referrer: under no-referrer a browser posts a form with `Origin: null`, and the
    # Origin check needs the real one. Nothing is sent to other sites either way.
    "referrer-policy": "same-origin",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "cache-control": "no-store",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}
HSTS = "max-age=31536000"
#: A form with a username, a password and a code is well under 1 KiB; 16 KiB leaves room and no more.
MAX_BODY_BYTES = 16 * 1024
DEBUG_ENV = "PACER_VERIFY_DEBUG"
#: Paths whose last part is a personal link or a check's id: never written to a log.
_PRIVATE_PATH = re.compile(r"^/(a|check)/[^/]+")


@dataclass(frozen=True)
class CookieNames:
    """`__Host-` names when cookies are Secure: a cookie of that name cannot be set by another host of
    the firm's domain, nor over plain HTTP (RFC 6265bis, cookie prefixes)."""

    csrf: str
    admin: str

    @classmethod
    def for_secure(cls, secure: bool) -> CookieNames:
        prefix = "__Host-" if secure else ""
        return cls(f"{prefix}pv_csrf", f"{prefix}pv_admin")


class SecurityHeaders:
    """The headers on every answer (a page that needs its own CSP, the admin report, sets it), and the
    last word on an unexpected error: a page of ours (500), one line on standard error, the traceback
    only under PACER_VERIFY_DEBUG=1."""

    def __init__(self, app: ASGIApp, *, secure: bool, error_page: Callable[[], bytes]) -> None:
        self.app = app
        self.extra = dict(HEADERS, **{"content-security-policy": CSP})
        if secure:
            self.extra["strict-transport-security"] = HSTS
        self.error_page = error_page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                present = {name.decode("latin-1").lower() for name, _ in headers}
                headers += [(k.encode(), v.encode()) for k, v in self.extra.items() if k not in present]
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except ClientDisconnect:
            log.debug("the client went before its request was read (too slow, or gone)")
        except Exception as exc:
            log.error(
                "internal error answering %s %s: %s%s",
                scope.get("method", "?"),
                _PRIVATE_PATH.sub(r"/\1/…", scope.get("path", "")),
                type(exc).__name__,
                "" if os.environ.get(DEBUG_ENV) else " (set PACER_VERIFY_DEBUG=1 for the traceback)",
                exc_info=exc if os.environ.get(DEBUG_ENV) else None,
            )
            if not started:
                await _answer(send_with_headers, 500, self.error_page(), b"text/html; charset=utf-8")


class OriginCheck:
    """A form is posted from the server's own pages or not at all: `Origin` (or, without it, `Referer`)
    must name one of the server's origins. The second layer after the CSRF token: a forged form from
    another site, or from a page reached under another name, is refused (403) before it is read."""

    def __init__(self, app: ASGIApp, *, origins: frozenset[str]) -> None:
        self.app = app
        self.origins = origins

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] not in ("GET", "HEAD", "OPTIONS"):
            headers = {name: value.decode("latin-1") for name, value in scope.get("headers", [])}
            said = headers.get(b"origin") or headers.get(b"referer") or ""
            if origin_of(said) not in self.origins:
                body = b"Forbidden: this form was not posted from this page; open the page again and use it.\n"
                await _answer(send, 403, body)
                return
        await self.app(scope, receive, send)


class BodyLimit:
    """413 for a body over the limit, whether it says its length or streams it."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length" and (not value.isdigit() or int(value) > self.limit):
                await _answer(send, 413, b"Request too large.\n")
                return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise RequestTooLarge
            return message

        try:
            await self.app(scope, limited, send)
        except RequestTooLarge:
            await _answer(send, 413, b"Request too large.\n")


async def _answer(send: Send, status: int, body: bytes, kind: bytes = b"text/plain; charset=utf-8") -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


@dataclass
class RateLimit:
    """At most `limit` events per `window_s` for each key (a link, a client address)."""

    limit: int
    window_s: float
    now: Callable[[], float] = time.monotonic
    _seen: dict[str, deque[float]] = field(default_factory=dict)

    def _recent(self, key: str) -> deque[float]:
        times = self._seen.setdefault(key, deque())
        while times and times[0] <= self.now() - self.window_s:
            times.popleft()
        return times

    def allow(self, key: str) -> bool:
        """Counts the event when it is allowed."""
        times = self._recent(key)
        if len(times) >= self.limit:
            return False
        times.append(self.now())
        return True

    def count(self, key: str) -> None:
        """Counts an event that was not asked about first (a wrong admin token)."""
        self._recent(key).append(self.now())

    def blocked(self, key: str) -> bool:
        return len(self._recent(key)) >= self.limit


def client_address(request: Request) -> str:
    """The peer's address as the socket says, or as a `--trusted-proxy` says (uvicorn reads its
    X-Forwarded-For only from that address; from anyone else the header is ignored)."""
    return request.client.host if request.client else "unknown"
