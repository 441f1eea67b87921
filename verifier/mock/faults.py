"""Fault injection for the mock: which requests misbehave (`FaultPlan`, verifier.mock.fault_plan), and
how (`FaultInjector`, an ASGI middleware in front of the site).

Faults are counted deterministically (the first N hits, or a share drawn from a seeded generator),
so a test can say exactly what the verifier should have seen, and `stats()["faults"]` says what
fired. The plan lives in the site's state: `MockServer.set_faults()` swaps it at run time and
`reset()` starts its counters again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from http import HTTPStatus
from http.cookies import CookieError, SimpleCookie
from typing import TYPE_CHECKING, Protocol
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from verifier.errors import DroppedConnection
from verifier.mock.fault_plan import FaultRequest
from verifier.mock.scenario import FaultRule

if TYPE_CHECKING:
    from verifier.mock.state import MockState

SESSION_COOKIE = "NextGenCSO"
JSESSION_COOKIE = "JSESSIONID"
LOGIN_PATH = "/csologin/login.jsf"
SIGN_ON_PATHS = frozenset({LOGIN_PATH, "/pscof/login.xhtml"})
USERNAME_FIELD = "loginForm:loginName"

#: Finds the connection (transport) a request arrived on, so a fault can cut it. Supplied by
#: MockServer, which owns the uvicorn server; without it a cut becomes an exception in the app.
TransportFinder = Callable[[Scope], "asyncio.Transport | None"]


class SiteLike(Protocol):
    @property
    def state(self) -> MockState: ...

    transport_for: TransportFinder | None


class FaultInjector:
    """ASGI middleware: counts every request, then applies the faults that fire for it."""

    def __init__(self, app: ASGIApp, site: SiteLike) -> None:
        self.app = app
        self.site = site

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = self.site.state  # read per request: reset() swaps in a fresh state
        path, method = scope["path"], scope["method"]
        with state.lock:
            state.requests[path] += 1
        if state.scenario.latency_ms:
            await asyncio.sleep(state.scenario.latency_ms / 1000)
        cookies = _cookies(scope)
        token = cookies.get(SESSION_COOKIE)
        username = state.username_for(token, cookies.get(JSESSION_COOKIE))
        if username is None and method == "POST" and path in SIGN_ON_PATHS:
            body, receive = await _buffered(receive)
            username = _typed_username(body)
        account = state.account(username) if username else None
        request = FaultRequest(path, method, username, state.session_account(token) is not None)
        with state.lock:
            rules = state.faults.select(request, account.faults if account else ())
        for rule in rules:
            if rule.kind == "latency":
                await asyncio.sleep(rule.delay_s)
            elif rule.kind == "expire_session":
                state.end_session(token)
            else:
                await self._answer(rule, scope, receive, send)
                return
        await self.app(scope, receive, send)

    async def _answer(self, rule: FaultRule, scope: Scope, receive: Receive, send: Send) -> None:
        if rule.kind == "status":
            await _error_page(send, rule.status)
        elif rule.kind == "retry_after":
            await _error_page(send, 429, [(b"retry-after", str(rule.retry_after_s).encode())])
        elif rule.kind == "drop":
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [
                        (b"content-type", b"text/html; charset=utf-8"),
                        (b"content-length", b"4096"),
                        (b"cache-control", b"no-store"),
                    ],
                }
            )
            partial = b"<!DOCTYPE html>\n<html><head><title>"
            await send({"type": "http.response.body", "body": partial, "more_body": True})
            await self._cut(scope, receive)
        elif rule.kind == "protocol_error":
            await self._cut(scope, receive, b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\nContent-Length: 20\r\n\r\n")
        else:  # "empty"
            await self._cut(scope, receive)

    async def _cut(self, scope: Scope, receive: Receive, raw: bytes = b"") -> None:
        transport = self.site.transport_for(scope) if self.site.transport_for else None
        if transport is None:
            raise DroppedConnection(scope["path"])
        if raw:
            transport.write(raw)
        transport.close()  # flushes what was written, then closes: the reply is cut where it stands
        # Wait until the server has seen the connection go, so it does not try to answer (a 500) or
        # log "returned without completing response" for it.
        try:
            async with asyncio.timeout(5):
                while (await receive())["type"] != "http.disconnect":
                    pass
        except TimeoutError:
            pass


async def _error_page(send: Send, status: int, headers: list[tuple[bytes, bytes]] | None = None) -> None:
    # The real site's error pages are not public; a plain server error page is a guess.
    text = f"{status} {HTTPStatus(status).phrase}"
    body = (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{text}</title></head>'
        f"<body><h1>{text}</h1><p>The server could not handle the request. Please try again later.</p>"
        "</body></html>"
    ).encode()
    start: Message = {
        "type": "http.response.start",
        "status": status,
        "headers": [
            (b"content-type", b"text/html; charset=utf-8"),
            (b"content-length", str(len(body)).encode()),
            (b"cache-control", b"no-store"),
            *(headers or []),
        ],
    }
    await send(start)
    await send({"type": "http.response.body", "body": body})


async def _buffered(receive: Receive) -> tuple[bytes, Receive]:
    """Read the whole request body, and a `receive` that plays it back to the app."""
    messages: list[Message] = []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request" or not message.get("more_body", False):
            break
    body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.request")

    async def replay() -> Message:
        return messages.pop(0) if messages else await receive()

    return body, replay


def _typed_username(body: bytes) -> str | None:
    fields = dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    typed = fields.get(USERNAME_FIELD, "").strip().lower()
    return typed or None


def _cookies(scope: Scope) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            try:
                jar.load(value.decode("latin-1"))
            except CookieError:
                continue
    return {name: morsel.value for name, morsel in jar.items()}
