"""What the commands that sign in share before the first sign-in: the site the settings name, refused
when unsafe, and found reachable; and the finalizer that turns a bare result into the reported one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from verifier.check.preflight import ensure_reachable
from verifier.check.site import SiteMap, UnsafeBaseUrl
from verifier.config import Settings
from verifier.errors import UsageError
from verifier.models import Account
from verifier.readiness import Finalize, finalizer, roster_findings
from verifier.readiness.courts import CourtRegistry


def site_for(settings: Settings) -> SiteMap:
    """The site to check against, without touching the network; a usage error when its URL is unsafe."""
    try:
        return SiteMap.for_base_url(settings.base_url)
    except UnsafeBaseUrl as exc:
        raise UsageError(str(exc)) from None


def reachable_site(settings: Settings) -> SiteMap:
    """The site to check against; a usage error when its URL is unsafe, a clear error when it does not
    answer (verifier.check.preflight), so that no sign-in is wasted on a run that cannot finish."""
    site = site_for(settings)
    ensure_reachable(site)
    return site


def finalize_for(accounts: Iterable[Account], courts: CourtRegistry, today: dt.date) -> Finalize:
    """The checklist and next steps for results of these accounts (the roster's findings read first)."""
    return finalizer(roster_findings(accounts), courts, today)
