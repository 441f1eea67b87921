"""What the flows need to know about addresses: the sign-on path, how to name an origin, and the
site map they are given (verifier.site.SiteMap builds it; flows never decide where PACER lives)."""

from __future__ import annotations

from typing import Protocol
from urllib.parse import urlsplit

LOGIN_PATH = "/csologin/login.jsf"


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


class SiteUrls(Protocol):
    """The addresses a flow visits and the origins it may send a credential to."""

    @property
    def account_url(self) -> str: ...

    def court_login_url(self, court_id: str) -> str: ...

    def may_receive_pacer_credentials(self, url: str) -> bool: ...

    def may_receive_court_credentials(self, url: str, court_id: str) -> bool: ...
