"""Fail fast, with one clear line, when the site's host cannot even be reached."""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

from verifier.check.site import SiteMap
from verifier.errors import SiteUnreachable


def ensure_reachable(site: SiteMap, timeout_s: float = 5.0) -> None:
    """Open (and close) a TCP connection to the sign-on host: no HTTP request, so nothing is logged
    against the site, but a wrong --base-url or a dead mock is reported before a browser starts."""
    parts = urlsplit(site.login_url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((host, port), timeout=timeout_s):
            pass
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise SiteUnreachable(
            f"cannot reach {parts.scheme}://{parts.netloc} ({reason}); "
            "check --base-url / PACER_BASE_URL and your network"
        ) from None
