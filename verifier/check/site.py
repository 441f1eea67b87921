"""Where each PACER page lives: the real hosts, or one `--base-url` origin with the real paths.

This is the only module that knows PACER's addresses; flows ask it for URLs, and the credential
guard asks it which origins may receive a password. It also says which URLs never leave the machine,
and whether a run is sealed to them (`PACER_VERIFY_LOOPBACK_ONLY`, the test suite's switch): the
browser's guard (verifier.browser.netguard) and the site clock's one plain request both ask.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from urllib.parse import urlsplit

from flows.urls import LOGIN_PATH, origin_of
from verifier.errors import UnsafeBaseUrl as UnsafeBaseUrl

REAL_LOGIN_ORIGIN = "https://pacer.login.uscourts.gov"
REAL_ACCOUNT_ORIGIN = "https://pacer.psc.uscourts.gov"

ACCOUNT_PATH = "/pscof/manage/maint.jsf"

LOOPBACK_ONLY_ENV = "PACER_VERIFY_LOOPBACK_ONLY"
# Schemes that never leave the machine.
LOCAL_SCHEMES = frozenset({"data", "blob", "about", "file", "chrome", "chrome-extension", "devtools"})


def is_loopback_host(host: str | None) -> bool:
    if not host:
        return False
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def loopback_only_requested() -> bool:
    return os.environ.get(LOOPBACK_ONLY_ENV, "") not in ("", "0", "false", "no")


def is_local_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in LOCAL_SCHEMES or is_loopback_host(parts.hostname)


_DEFAULT_PORTS = {"http": 80, "https": 443}


def _shown(text: str) -> str:
    # Whatever sits before an '@' may be a user name and password: never repeat it.
    return "(not shown: it holds user info)" if "@" in text else repr(text)


def normalize_base_url(base_url: str) -> str:
    """The origin a base URL names, as a browser writes it: scheme and host lower-case, no default port.

    Refuses (UnsafeBaseUrl, one line) an empty value, a scheme other than http(s), user info (without
    repeating it), a bad port, and a path, query or fragment: PACER's pages live on fixed paths under
    the origin, so anything after it would only make every account `unrecognized_page`.
    """
    text = base_url.strip()
    if not text:
        raise UnsafeBaseUrl("--base-url is empty; leave it unset to use the real PACER site")
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.netloc:
        raise UnsafeBaseUrl(f"--base-url {_shown(text)} is not an http(s) URL")
    if "@" in parts.netloc:
        raise UnsafeBaseUrl(
            "--base-url must not hold a user name or password (the part before '@'); give scheme://host[:port] only"
        )
    try:
        port = parts.port
    except ValueError:
        port = 0
    if port == 0:
        raise UnsafeBaseUrl(f"--base-url {text!r}: the port must be a number from 1 to 65535")
    host = (parts.hostname or "").lower()
    if not host:
        raise UnsafeBaseUrl(f"--base-url {text!r} has no host")
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        netloc += f":{port}"
    origin = f"{scheme}://{netloc}"
    if parts.path not in ("", "/") or parts.query or parts.fragment or text.endswith(("?", "#")):
        raise UnsafeBaseUrl(
            f"--base-url {text!r}: give the origin only, without a path, query or fragment (e.g. {origin})"
        )
    return origin


def check_base_url(base_url: str) -> str:
    """The normalized origin; refused when it is not https unless it points at this machine."""
    origin = normalize_base_url(base_url)
    parts = urlsplit(origin)
    if parts.scheme == "http" and not is_loopback_host(parts.hostname):
        raise UnsafeBaseUrl(
            f"--base-url {origin!r} is plain http to a non-loopback host; credentials would travel "
            "unencrypted. Use https, or a loopback address for the bundled mock."
        )
    return origin


@dataclass(frozen=True)
class SiteMap:
    """The addresses of the pages pacer-verify visits."""

    base_url: str | None = None

    @classmethod
    def for_base_url(cls, base_url: str | None) -> SiteMap:
        return cls(check_base_url(base_url) if base_url is not None else None)

    @property
    def login_origin(self) -> str:
        return self.base_url or REAL_LOGIN_ORIGIN

    @property
    def account_origin(self) -> str:
        return self.base_url or REAL_ACCOUNT_ORIGIN

    @property
    def login_url(self) -> str:
        return self.login_origin + LOGIN_PATH

    @property
    def account_url(self) -> str:
        return self.account_origin + ACCOUNT_PATH

    def court_base(self, court_id: str) -> str:
        """The root of a court's CM/ECF: `https://ecf.cod.uscourts.gov`, or `{base}/ecf/cod` on a replica."""
        court_id = court_id.lower()
        if self.base_url:
            return f"{self.base_url}/ecf/{court_id}"
        return f"https://ecf.{court_id}.uscourts.gov"

    def court_login_url(self, court_id: str) -> str:
        return self.court_base(court_id) + "/cgi-bin/login.pl"

    def may_receive_pacer_credentials(self, url: str) -> bool:
        """PACER passwords and codes go only to the sign-on origin (and Manage My Account's)."""
        return origin_of(url) in {self.login_origin, self.account_origin}

    def may_receive_court_credentials(self, url: str, court_id: str) -> bool:
        """Old CM/ECF logins go only to that court's own CM/ECF."""
        if self.base_url:
            return origin_of(url) == self.base_url.lower() and urlsplit(url).path.startswith(
                f"/ecf/{court_id.lower()}/"
            )
        return origin_of(url) == origin_of(self.court_base(court_id))

    def session_cookie_scope(self) -> dict[str, str | bool]:
        """Where PACER's session cookie belongs: `.uscourts.gov` on the real site (it is read by the
        account pages and every court's CM/ECF, docs/real-site.md "Cookies"), the replica's origin otherwise."""
        if self.base_url:
            return {"url": self.base_url}
        return {"domain": ".uscourts.gov", "path": "/", "secure": True}
