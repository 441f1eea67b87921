"""A route on every browser context that lets through only the hosts a run may reach.

In tests it seals the browser to loopback (no test can reach real PACER, even by mistake). It is
switched on for a whole process tree by `PACER_VERIFY_LOOPBACK_ONLY=1`; each blocked URL is appended
to the file named by `PACER_VERIFY_GUARD_LOG`, which the test suite reads to fail the test.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from playwright.async_api import BrowserContext, Route

from verifier.check.site import is_loopback_host

LOOPBACK_ONLY_ENV = "PACER_VERIFY_LOOPBACK_ONLY"
GUARD_LOG_ENV = "PACER_VERIFY_GUARD_LOG"

# Schemes that never leave the machine.
LOCAL_SCHEMES = frozenset({"data", "blob", "about", "file", "chrome", "chrome-extension", "devtools"})


def loopback_only_requested() -> bool:
    return os.environ.get(LOOPBACK_ONLY_ENV, "") not in ("", "0", "false", "no")


def is_local_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in LOCAL_SCHEMES or is_loopback_host(parts.hostname)


def record_violation(url: str) -> None:
    log = os.environ.get(GUARD_LOG_ENV)
    if log:
        with Path(log).open("a", encoding="utf-8") as handle:
            # Only scheme, host and path: a query string could carry a token.
            parts = urlsplit(url)
            handle.write(f"{parts.scheme}://{parts.netloc}{parts.path}\n")


async def install_loopback_guard(
    context: BrowserContext, on_violation: Callable[[str], None] = record_violation
) -> None:
    async def guard(route: Route) -> None:
        url = route.request.url
        if is_local_url(url):
            await route.fallback()
        else:
            on_violation(url)
            await route.abort("blockedbyclient")

    await context.route("**/*", guard)
