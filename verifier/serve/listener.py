"""The HTTP server itself (uvicorn, on asyncio and h11 alone, so it runs the same on Windows), with what
a page on a firm's network needs below the app:

- slow clients cut off: a request's headers must be in within 10 s of its connection (or of the end of
  the previous answer on a kept-alive one), and the whole request within 30 s. uvicorn's keep-alive
  timeout covers only the wait *between* requests, so a client sending a byte of headers every few
  seconds held its connection for ever; the protocol below closes it;
- at most `max_connections` connections at once (uvicorn's `limit_concurrency`: 503 beyond);
- the client's address from the socket. uvicorn believes `X-Forwarded-For` from 127.0.0.1 unless told
  otherwise, which let anyone behind a local proxy, or on the machine, pick their address per request
  and walk past every per-address limit: here no peer is believed unless `--trusted-proxy` names it.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from verifier.serve.launch import Listen


@dataclass(frozen=True)
class Timeouts:
    headers_s: float = 10.0
    request_s: float = 30.0
    keep_alive_s: int = 5
    max_connections: int = 100


class GuardedH11(H11Protocol):
    """uvicorn's h11 protocol with a deadline for the request's headers and one for the whole request."""

    headers_s = Timeouts.headers_s
    request_s = Timeouts.request_s

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._round = 0
        self._deadlines: list[asyncio.TimerHandle] = []

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm()  # the next request on this connection gets its own deadlines

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self._round += 1
        self._deadlines = [
            self.loop.call_later(self.headers_s, self._too_slow, self._round, (h11.IDLE,)),
            self.loop.call_later(self.request_s, self._too_slow, self._round, (h11.IDLE, h11.SEND_BODY)),
        ]

    def _disarm(self) -> None:
        for deadline in self._deadlines:
            deadline.cancel()
        self._deadlines = []

    def _too_slow(self, round_: int, unfinished: tuple[object, ...]) -> None:
        """Close the connection when, at the deadline, the client has still not sent what it should have
        (its headers; its whole request). A request already read and being answered is left alone."""
        if round_ == self._round and self.conn.their_state in unfinished and not self.transport.is_closing():
            self.transport.close()


def guarded_protocol(timeouts: Timeouts) -> type[GuardedH11]:
    return type("GuardedH11", (GuardedH11,), {"headers_s": timeouts.headers_s, "request_s": timeouts.request_s})


def server_config(app: Any, listen: Listen, trusted_proxies: list[str], timeouts: Timeouts) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        host=listen.host,
        port=listen.port,
        ssl_certfile=str(listen.certfile) if listen.certfile else None,
        ssl_keyfile=str(listen.keyfile) if listen.keyfile else None,
        loop="asyncio",
        http=guarded_protocol(timeouts),
        ws="none",
        proxy_headers=bool(trusted_proxies),
        forwarded_allow_ips=trusted_proxies or None,
        timeout_keep_alive=timeouts.keep_alive_s,
        limit_concurrency=timeouts.max_connections,
        log_level="warning",
        access_log=False,  # request lines carry personal links
        lifespan="on",
        timeout_graceful_shutdown=5,
        server_header=False,
    )
