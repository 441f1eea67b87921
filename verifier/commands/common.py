"""What the commands that sign in share before the first sign-in: the site the settings name, refused
when unsafe, and found reachable; and the finalizer that turns a bare result into the reported one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from verifier.check.preflight import ensure_reachable
from verifier.check.site import SiteMap
from verifier.config import Settings
from verifier.models import Account
from verifier.readiness import ROSTER, Finalize, Where, finalizer, roster_findings
from verifier.readiness.courts import CourtRegistry


def site_for(settings: Settings) -> SiteMap:
    """The site to check against, without touching the network; a usage error (UnsafeBaseUrl) when its
    URL is unsafe. Built once per run: the command passes it down to the runner."""
    return SiteMap.for_base_url(settings.base_url)


def reachable_site(site: SiteMap) -> SiteMap:
    """The site, once found to answer; a clear error when it does not (verifier.check.preflight), so that
    no sign-in is wasted on a run that cannot finish."""
    ensure_reachable(site)
    return site


def finalize_for(accounts: Iterable[Account], courts: CourtRegistry, today: dt.date, where: Where = ROSTER) -> Finalize:
    """The checklist and next steps for results of these accounts (the roster's findings read first);
    `where`: where they came from, for the words of a status's next step."""
    return finalizer(roster_findings(accounts), courts, today, where)
