"""IT's way into /admin: the admin token (`Authorization: Bearer …`, or once through the sign-in form),
and sessions made by that form.

- Each sign-in gets its own random session id, kept only in this server's memory (a restart signs IT
  out); the cookie holds the id, never the token. A session ends after 8 hours, after 30 minutes
  without a request, or at `POST /admin/sign-out`.
- Wrong tokens, by header or by form, count together per client address: after 10 in 10 minutes that
  address gets 429 for the rest of the window, even with the right token.
- Tokens are compared in constant time.
"""

from __future__ import annotations

import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from starlette.requests import Request

from verifier.serve.security import RateLimit, client_address

SESSION_S = 8 * 3600.0
IDLE_S = 30 * 60.0
GUESSES = 10
GUESS_WINDOW_S = 600.0


class Access(Enum):
    ALLOWED = "allowed"
    REFUSED = "refused"  # no token, or a wrong one: 401
    TOO_MANY = "too many"  # this address guessed too often: 429


@dataclass
class _Session:
    started: float
    seen: float


class AdminAuth:
    def __init__(self, token: str, cookie_name: str, *, now: Callable[[], float] = time.monotonic) -> None:
        self._token = token.encode()
        self.cookie_name = cookie_name
        self._now = now
        self._sessions: dict[str, _Session] = {}
        self._guesses = RateLimit(GUESSES, GUESS_WINDOW_S, now)

    def _matches(self, given: str) -> bool:
        return hmac.compare_digest(given.encode(), self._token)

    def _try(self, request: Request, given: str) -> Access:
        """One try of the token from this request's address, counted when wrong."""
        address = client_address(request)
        if self._guesses.blocked(address):
            return Access.TOO_MANY
        if self._matches(given):
            return Access.ALLOWED
        self._guesses.count(address)
        return Access.REFUSED

    def access(self, request: Request) -> Access:
        """A Bearer token is tried (and counted) like the form's; else the session cookie decides."""
        scheme, _, value = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            return self._try(request, value.strip())
        return Access.ALLOWED if self.session(request) else Access.REFUSED

    def sign_in(self, request: Request, given: str) -> tuple[Access, str]:
        """The token typed into the form: a new session's id when it is right."""
        access = self._try(request, given)
        if access is not Access.ALLOWED:
            return access, ""
        session_id = secrets.token_urlsafe(32)
        now = self._now()
        self._sessions[session_id] = _Session(now, now)
        return access, session_id

    def session(self, request: Request) -> bool:
        """Whether the request's cookie names a live session (and it counts as activity)."""
        self._forget_ended()
        session = self._sessions.get(request.cookies.get(self.cookie_name, ""))
        if session is None:
            return False
        session.seen = self._now()
        return True

    def sign_out(self, request: Request) -> None:
        self._sessions.pop(request.cookies.get(self.cookie_name, ""), None)

    def _forget_ended(self) -> None:
        now = self._now()
        ended = [k for k, s in self._sessions.items() if now - s.started >= SESSION_S or now - s.seen >= IDLE_S]
        for key in ended:
            del self._sessions[key]
