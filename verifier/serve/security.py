"""What a reviewer at a firm demands of a page that takes passwords: strict headers, small bodies,
a CSRF token on every form, rate limits, and the admin token compared in constant time."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections import deque
from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from verifier.errors import RequestTooLarge

#: Nothing from elsewhere, no inline script or style: the page's own files only.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = {
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "cache-control": "no-store",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}
#: A form with a username, a password and a code is well under 1 KiB; 16 KiB leaves room and no more.
MAX_BODY_BYTES = 16 * 1024
CSRF_COOKIE = "pv_csrf"
CSRF_FIELD = "csrf"
ADMIN_COOKIE = "pv_admin"


class SecurityHeaders:
    """Adds the headers to every answer; a page that needs its own CSP (the admin report) sets it."""

    def __init__(self, app: ASGIApp, *, tls: bool) -> None:
        self.app = app
        self.tls = tls

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.decode("latin-1").lower() for name, _ in headers}
                extra = dict(HEADERS, **{"content-security-policy": CSP})
                if self.tls:
                    extra["strict-transport-security"] = "max-age=31536000"
                headers += [(k.encode(), v.encode()) for k, v in extra.items() if k not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


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
                await _too_large(send)
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
            await _too_large(send)


async def _too_large(send: Send) -> None:
    body = b"Request too large.\n"
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


class Csrf:
    """Double submit, signed: a random cookie (HttpOnly, SameSite=Strict) and, in each form, its HMAC
    under the server's key. A post whose field does not match its cookie is refused (403)."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def cookie_for(self, request: Request) -> tuple[str, bool]:
        """The browser's CSRF cookie, or a new one (True: it must be set on the answer)."""
        current = request.cookies.get(CSRF_COOKIE, "")
        if 20 <= len(current) <= 64:
            return current, False
        return secrets.token_urlsafe(24), True

    def token(self, cookie: str) -> str:
        return hmac.new(self._key, b"csrf\0" + cookie.encode(), hashlib.sha256).hexdigest()

    def valid(self, request: Request, field_value: str) -> bool:
        cookie = request.cookies.get(CSRF_COOKIE, "")
        return bool(cookie) and hmac.compare_digest(self.token(cookie).encode(), field_value.encode())


@dataclass
class RateLimit:
    """At most `limit` events per `window_s` for each key (a link, a client address, a username)."""

    limit: int
    window_s: float
    _seen: dict[str, deque[float]] = field(default_factory=dict)

    def allow(self, key: str, now: float | None = None) -> bool:
        """Counts the event when it is allowed."""
        now = time.monotonic() if now is None else now
        times = self._seen.setdefault(key, deque())
        while times and times[0] <= now - self.window_s:
            times.popleft()
        if len(times) >= self.limit:
            return False
        times.append(now)
        return True

    def count(self, key: str) -> None:
        """Counts an event that was not asked about first (a rejected sign-in)."""
        self._seen.setdefault(key, deque()).append(time.monotonic())

    def blocked(self, key: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        times = self._seen.get(key, deque())
        return sum(1 for t in times if t > now - self.window_s) >= self.limit


class AdminToken:
    """IT's token: `Authorization: Bearer <token>`, or a cookie holding its HMAC (never the token) set by
    the sign-in form. Compared in constant time."""

    def __init__(self, token: str, key: bytes) -> None:
        self._token = token.encode()
        self._cookie = hmac.new(key, b"admin\0" + self._token, hashlib.sha256).hexdigest()

    def matches(self, given: str) -> bool:
        return hmac.compare_digest(given.encode(), self._token)

    @property
    def cookie_value(self) -> str:
        return self._cookie

    def allows(self, request: Request) -> bool:
        header = request.headers.get("authorization", "")
        scheme, _, value = header.partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            return self.matches(value.strip())
        cookie = request.cookies.get(ADMIN_COOKIE, "")
        return bool(cookie) and hmac.compare_digest(cookie.encode(), self._cookie.encode())


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"
