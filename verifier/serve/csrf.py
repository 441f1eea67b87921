"""The forms' CSRF tokens, made by the server (OWASP's signed double-submit cookie): the browser gets a
random value signed with the server's key in an HttpOnly, SameSite=Strict cookie, and each form the
HMAC of that value under the same key. A cookie the server did not sign (one a client chose, or one
from before a restart) is replaced by a new one, so no token can be had for a value someone picked.
`OriginCheck` (verifier.serve.security) is the second layer on every post."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from starlette.requests import Request
from starlette.responses import Response

_NONCE_BYTES = 24


class Csrf:
    def __init__(self, key: bytes, cookie_name: str, *, secure: bool) -> None:
        self._key = key
        self.cookie_name = cookie_name
        self.secure = secure

    def _sign(self, purpose: bytes, value: str) -> str:
        return hmac.new(self._key, purpose + b"\0" + value.encode(), hashlib.sha256).hexdigest()

    def _nonce(self, cookie: str) -> str | None:
        """The random value in a cookie this server signed, or None."""
        nonce, _, signature = cookie.partition(".")
        if not nonce or len(cookie) > 200:
            return None
        good = hmac.compare_digest(signature.encode(), self._sign(b"csrf-cookie", nonce).encode())
        return nonce if good else None

    def cookie_for(self, request: Request) -> tuple[str, bool]:
        """The browser's CSRF cookie if this server signed it, else a new one (True: set it on the answer)."""
        current = request.cookies.get(self.cookie_name, "")
        if self._nonce(current) is not None:
            return current, False
        nonce = secrets.token_urlsafe(_NONCE_BYTES)
        return f"{nonce}.{self._sign(b'csrf-cookie', nonce)}", True

    def token(self, cookie: str) -> str:
        """The form's token for a cookie this server signed."""
        nonce = self._nonce(cookie)
        return self._sign(b"csrf-form", nonce) if nonce is not None else ""

    def valid(self, request: Request, field_value: str) -> bool:
        nonce = self._nonce(request.cookies.get(self.cookie_name, ""))
        if nonce is None or not field_value:
            return False
        return hmac.compare_digest(self._sign(b"csrf-form", nonce).encode(), field_value.encode())

    def set_cookie(self, response: Response, cookie: str) -> None:
        response.set_cookie(self.cookie_name, cookie, httponly=True, samesite="strict", secure=self.secure, path="/")
