"""A route on every browser context that lets through only the hosts a run may reach.

In tests it seals the browser to loopback (no test can reach real PACER, even by mistake). It is
switched on for a whole process tree by `PACER_VERIFY_LOOPBACK_ONLY=1` (read by
verifier.check.site, which also says which URLs are local); each blocked URL is appended to the file
named by `PACER_VERIFY_GUARD_LOG`, which the test suite reads to fail the test.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from playwright.async_api import BrowserContext, Route

from verifier.check.site import is_local_url

GUARD_LOG_ENV = "PACER_VERIFY_GUARD_LOG"


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
