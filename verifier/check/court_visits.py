"""Each of the attorney's courts, visited once the account is signed in and read: a NextGen court's
filing menus with the PACER session, a CurrentGen court's own CM/ECF login (and its logout at once).

One court failing never costs the account's main result: it is that court's line, "could not check".
"""

from __future__ import annotations

import logging
from typing import Protocol

from playwright.async_api import Error as PlaywrightError

from flows.cmecf import CourtCmEcf
from flows.errors import CredentialOriginRefused, TransientSiteError, first_line
from flows.logout import LogoutFailed
from verifier.check.site import SiteMap
from verifier.models import Account, CourtCheck

log = logging.getLogger(__name__)


class CourtInfo(Protocol):
    """What a visit needs of a court registry's entry (verifier.readiness.courts.Court)."""

    # Read-only, so a registry entry whose `generation` is a narrower Literal still fits.
    @property
    def generation(self) -> str: ...

    @property
    def cmecf_url(self) -> str: ...


class CourtLookup(Protocol):
    def get(self, court_id: str) -> CourtInfo | None: ...


async def visit_courts(
    flow: CourtCmEcf, account: Account, site: SiteMap, courts: CourtLookup | None
) -> list[CourtCheck]:
    """A line per court of the account, in the roster's order."""
    checks: list[CourtCheck] = []
    for court_id in account.courts:
        court = courts.get(court_id) if courts else None
        elsewhere = _cmecf_elsewhere(site, court_id, court)
        if elsewhere:
            # The bankruptcy appellate panels file in their circuit's CM/ECF (docs/courts.md): visiting
            # ecf.<id>.uscourts.gov would ask a host that does not exist.
            checks.append(CourtCheck(court=court_id, message=f"not checked: this court's CM/ECF is {elsewhere}"))
            continue
        try:
            checks.append(await _visit(flow, court_id, court, account))
        except (TransientSiteError, CredentialOriginRefused) as exc:
            checks.append(CourtCheck(court=court_id, message=f"could not check: {exc}"))
    return checks


async def _visit(flow: CourtCmEcf, court_id: str, court: CourtInfo | None, account: Account) -> CourtCheck:
    if court is None or court.generation != "currentgen":
        return await flow.check_nextgen(court_id)
    if not (account.cmecf_username and account.cmecf_password):
        return CourtCheck(court=court_id, nextgen=False, message="no CM/ECF login given to check")
    check = await flow.check_currentgen_login(court_id, account.cmecf_username, account.cmecf_password)
    if check.cmecf_login_ok:
        await _log_out_of_court(flow, court_id, account)
    return check


async def _log_out_of_court(flow: CourtCmEcf, court_id: str, account: Account) -> None:
    """The CurrentGen login this check made is ended at once; one that will not end is a warning only."""
    try:
        await flow.log_out_of_court(court_id)
    except (LogoutFailed, TransientSiteError, PlaywrightError) as exc:
        log.warning(
            "%s: could not log out of %s CM/ECF (%s); the court ends the login when it expires. The result stands",
            account.username,
            court_id,
            first_line(exc),
        )


def _cmecf_elsewhere(site: SiteMap, court_id: str, court: CourtInfo | None) -> str:
    """The court's CM/ECF address when it is not where the flows look (`ecf.<id>.uscourts.gov`), else ""."""
    url = (court.cmecf_url if court is not None else "").rstrip("/")
    if site.base_url or not url:
        return ""  # a replica serves every court under /ecf/<id>
    return "" if url == site.court_base(court_id) else url
