"""Every browser context reaches PACER's origins only: on the real site `https://*.uscourts.gov`, with
`--base-url` that one origin. Whatever a page does (a script, `navigator.sendBeacon`, an image, a
form posting elsewhere, a 307/308 that would make the browser post the password again to another
origin), a request elsewhere fails before it leaves the browser, and is counted.

How, at no cost per request where possible (a Python route handler costs a driver round trip for
every request):

- a browser launched here gets Chromium switches (`launch_args`): every address outside PACER's is
  sent to a proxy that cannot exist (so the connection fails at once), the allowed origins bypass it,
  and the host resolver answers "not found" for every other host name (no DNS lookup leaves the
  machine, not even for the dead proxy's name);
- any other browser (a library caller's, the tests', `--connect`, `--cdp`), whose switches are not ours
  to set, gets the proxy rule per context (`context_proxy`) and a context-level route
  (`install_route`) that refuses every request to another origin.

Measured here: Chromium follows a redirect without asking a route again, and re-posts a body on a
307; the proxy rule also covers the redirected request, which is why the route is not enough alone.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from playwright.async_api import BrowserContext, Request, Route

from flows.urls import origin_of

log = logging.getLogger(__name__)

#: Schemes that never leave the machine (a page's own data: images, blob: downloads, about:blank).
LOCAL_SCHEMES = frozenset({"data", "blob", "about"})
#: A proxy name that cannot resolve: RFC 6761 reserves `.invalid`; the launch switches also map it to
#: "not found" so no lookup is made. Every request not bypassing it fails with ERR_PROXY_CONNECTION_FAILED.
DEAD_PROXY = "http://pacer-verify-refused.invalid:9"
#: Real PACER: the sign-on and account hosts and every court's CM/ECF are under uscourts.gov
#: (docs/real-site.md §1, §3, §4, §6), all over https. Uncertain: whether a real page needs anything
#: from another host (a CDN, analytics) is not known; such a request is refused and counted.
REAL_DOMAIN = "uscourts.gov"


@dataclass
class PacerOrigins:
    """Which addresses a run may reach, and what was refused."""

    base_url: str | None = None
    """The `--base-url` origin (normalized, see verifier.check.site), or None for the real site."""
    blocked: Counter[str] = field(default_factory=Counter)
    """Refused requests by origin (no path or query: those could carry a token)."""

    def allows(self, url: str) -> bool:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme in LOCAL_SCHEMES:
            return True
        if self.base_url is not None:
            return origin_of(url) == self.base_url.lower()
        host = (parts.hostname or "").lower()
        return scheme == "https" and (host == REAL_DOMAIN or host.endswith("." + REAL_DOMAIN))

    def note_blocked(self, url: str) -> None:
        origin = origin_of(url)
        if not self.blocked:
            log.info("refused a request to %s: not a PACER origin", origin)
        self.blocked[origin] += 1

    @property
    def blocked_total(self) -> int:
        return sum(self.blocked.values())

    # --- how the browser is told ---------------------------------------------------------------------

    def _bypass(self) -> list[str]:
        """Chromium's proxy bypass rules for the allowed origins; `<-loopback>` makes loopback go
        through the (dead) proxy too unless allowed, since Chromium bypasses it implicitly."""
        if self.base_url is not None:
            parts = urlsplit(self.base_url)
            port = parts.port or (443 if parts.scheme == "https" else 80)
            host = parts.hostname or ""
            host = f"[{host}]" if ":" in host else host
            return ["<-loopback>", f"{parts.scheme}://{host}:{port}"]
        return ["<-loopback>", f"https://*.{REAL_DOMAIN}", f"https://{REAL_DOMAIN}"]

    def _resolvable(self) -> list[str]:
        if self.base_url is not None:
            return [urlsplit(self.base_url).hostname or ""]
        return [f"*.{REAL_DOMAIN}", REAL_DOMAIN]

    def launch_args(self) -> list[str]:
        """Switches for a Chromium launched here."""
        excluded = "".join(f", EXCLUDE {host}" for host in self._resolvable())
        return [
            f"--proxy-server={DEAD_PROXY}",
            f"--proxy-bypass-list={';'.join(self._bypass())}",
            f"--host-resolver-rules=MAP * ~NOTFOUND{excluded}",
            # WebRTC may send UDP around a proxy; allow it only through the (dead) proxy.
            "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
        ]

    def context_proxy(self) -> dict[str, str]:
        """The same rule for one context of a browser that was not launched here. The context's own
        request client (the Authentication API sign-in) honours it too, but matches bypass entries
        by host name suffix only: the allowed host is listed in that form as well. Chromium reads a
        bare host as that host on any port, so on a replica another port of the same host passes
        the proxy rule: the route (`install_route`) refuses those requests, but not a redirect to
        one. `<-loopback>` is given here, not left to Playwright, which leaves it out (and so lets
        every loopback address bypass the proxy) as soon as the list names a loopback host."""
        hosts = [host.lstrip("*.") for host in self._resolvable()]
        return {"server": DEAD_PROXY, "bypass": ",".join(dict.fromkeys([*self._bypass(), *hosts]))}

    def watch(self, context: BrowserContext) -> None:
        """Count what the browser refused (a failed request to a disallowed address)."""

        def failed(request: Request) -> None:
            if not self.allows(request.url):
                self.note_blocked(request.url)

        context.on("requestfailed", failed)

    async def install_route(self, context: BrowserContext) -> None:
        """A context-level route for browsers whose switches are not ours (`--connect`, `--cdp`)."""

        async def guard(route: Route) -> None:
            if self.allows(route.request.url):
                await route.fallback()
            else:
                await route.abort("blockedbyclient")  # counted by `watch` as a failed request

        await context.route("**/*", guard)

    def summary_line(self) -> str:
        """One line for the run's log, or "" when nothing was refused."""
        if not self.blocked:
            return ""
        origins = ", ".join(f"{origin} ({n})" for origin, n in self.blocked.most_common(5))
        more = f" and {len(self.blocked) - 5} more" if len(self.blocked) > 5 else ""
        return f"refused {self.blocked_total} request(s) to origins other than PACER's: {origins}{more}"
