"""The mock's HTTP `Date` header, written on the site's own clock (`MockScenario.clock_offset_s`), so
that a client can read how far its clock is from the site's, as it would against the real PACER."""

from __future__ import annotations

from email.utils import formatdate
from typing import Protocol

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class _Clocked(Protocol):
    @property
    def state(self) -> _HasNow: ...


class _HasNow(Protocol):
    def now(self) -> float: ...


class SiteDateHeader:
    """ASGI middleware: every answer's `Date` is the site's clock (any `Date` already set is replaced)."""

    def __init__(self, app: ASGIApp, site: _Clocked) -> None:
        self.app = app
        self.site = site

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def dated(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"date"]
                stamp = formatdate(self.site.state.now(), usegmt=True).encode("latin-1")
                message = {**message, "headers": [*headers, (b"date", stamp)]}
            await send(message)

        await self.app(scope, receive, dated)
