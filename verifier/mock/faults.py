"""Fault injection for the mock: an ASGI middleware that makes chosen requests fail.

Faults are counted deterministically (first N hits, or a seeded share), so a test can say exactly
what the verifier should have seen.
"""

from __future__ import annotations

import asyncio
import random
import re
from collections.abc import Callable
from http.cookies import SimpleCookie

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from verifier.mock.scenario import FaultRule
from verifier.mock.state import MockState

SESSION_COOKIE = "NextGenCSO"


class DroppedConnection(Exception):
    """Raised after a partial response so that the server closes the socket mid-body."""


class FaultInjector:
    def __init__(self, app: ASGIApp, state: Callable[[], MockState]) -> None:
        self.app = app
        self._state = state

    @property
    def state(self) -> MockState:
        # Read on every request: the site's reset() swaps in fresh state (and fresh fault counters).
        return self._state()

    def _rules(self, token: str | None) -> list[FaultRule]:
        rules = list(self.state.scenario.faults)
        account = self.state.session_account(token)
        if account is not None:
            rules = account.faults + rules
        return rules

    def _fires(self, rule: FaultRule, path: str, method: str) -> bool:
        if not re.search(rule.path, path) or (rule.method and rule.method.upper() != method):
            return False
        key = id(rule)
        with self.state.lock:
            self.state.fault_hits[key] += 1
            hit = self.state.fault_hits[key]
            if rule.times is not None:
                return hit <= rule.times
            if rule.rate is not None:
                generator = self.state.fault_random.setdefault(key, random.Random(rule.seed))
                return generator.random() < rule.rate
        return True

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path, method = scope["path"], scope["method"]
        with self.state.lock:
            self.state.requests[path] += 1
        if self.state.scenario.latency_ms:
            await asyncio.sleep(self.state.scenario.latency_ms / 1000)
        token = _cookie(scope, SESSION_COOKIE)
        signed_in = self.state.session_account(token) is not None
        for rule in self._rules(token):
            if rule.kind == "expire_session" and not signed_in:
                continue  # only a live session can expire; counting other hits would hide the fault
            if not self._fires(rule, path, method):
                continue
            if rule.kind == "latency":
                await asyncio.sleep(rule.delay_s)
                break
            if rule.kind == "expire_session":
                self.state.end_session(token)
                break
            if rule.kind == "status":
                await _plain(send, rule.status, f"{rule.status} Service Unavailable: the server is busy.")
                return
            if rule.kind == "retry_after":
                await _plain(send, 429, "429 Too Many Requests", [(b"retry-after", str(rule.retry_after_s).encode())])
                return
            if rule.kind == "drop":
                await send({"type": "http.response.start", "status": 200,
                            "headers": [(b"content-type", b"text/html"), (b"content-length", b"4096")]})
                await send({"type": "http.response.body", "body": b"<html><body>", "more_body": True})
                raise DroppedConnection(path)
        await self.app(scope, receive, send)


async def _plain(send: Send, status: int, text: str, headers: list[tuple[bytes, bytes]] | None = None) -> None:
    body = f"<html><head><title>{text}</title></head><body><h1>{text}</h1></body></html>".encode()
    start: Message = {
        "type": "http.response.start",
        "status": status,
        "headers": [(b"content-type", b"text/html; charset=utf-8"), (b"content-length", str(len(body)).encode()),
                    *(headers or [])],
    }
    await send(start)
    await send({"type": "http.response.body", "body": body})


def _cookie(scope: Scope, name: str) -> str | None:
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            jar: SimpleCookie = SimpleCookie()
            jar.load(value.decode("latin-1"))
            if name in jar:
                return jar[name].value
    return None
