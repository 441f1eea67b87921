"""pacer-verify's stable library API: what docs/pytest-plugin.md documents and later versions keep.

Everything here is async and runs on the caller's event loop: it never starts a loop or a browser
of its own except where named (`run_bulk` opens a browser unless given one).

    async with async_playwright() as playwright:
        browser, _ = await open_browser(playwright, load_settings(env_file=None))  # pacer-verify's choice
        page = await (await browser.new_context()).new_page()
        result = await check_account(page, Account(username="asmith2001", password=SecretStr("...")),
                                     base_url=mock_url)
        result.status                              # Status.UPGRADED

Without `base_url`, `check_account` signs into the real PACER: mind the politeness rules in
docs/security.md (one password attempt per account per run; never retry a rejected login).
"""

from __future__ import annotations

from playwright.async_api import Page

from verifier.browser.launch import open_browser
from verifier.browser.netguard import install_loopback_guard
from verifier.check.outcome import AccountOutcome
from verifier.check.site import SiteMap
from verifier.check.verify import SignInMethod, verify_account
from verifier.config import Settings, load_settings
from verifier.models import Account, AccountPage, CourtCheck, Result, Status
from verifier.readiness.courts import CourtRegistry, load_courts
from verifier.roster import read_roster
from verifier.run.bulk import BulkOutcome, BulkPlan, run_bulk
from verifier.run.results import result_of

__all__ = [
    "Account",
    "AccountOutcome",
    "AccountPage",
    "BulkOutcome",
    "BulkPlan",
    "CourtCheck",
    "CourtRegistry",
    "Result",
    "Settings",
    "SiteMap",
    "Status",
    "check_account",
    "install_loopback_guard",
    "load_courts",
    "load_settings",
    "open_browser",
    "read_roster",
    "run_bulk",
    "verify_account",
]


async def check_account(
    page: Page,
    account: Account,
    *,
    base_url: str | None = None,
    timeout_ms: float = 30_000,
    check_courts: bool = True,
    courts: CourtRegistry | None = None,
    sign_in: SignInMethod = "browser",
) -> Result:
    """Check one attorney in `page` (a fresh context's page: its cookies are the attorney's session).

    `sign_in`: "browser" types the credentials into the sign-on form (the default here, so that a test
    written against the sign-on page sees it); "api" signs in by PACER's Authentication API, as
    `pacer-verify check` and `bulk` do by default.

    One attempt: a transient fault (5xx, timeout, dropped connection) raises `TransientSiteError` or
    a Playwright error, which the caller may retry; what the site said (wrong password, locked, MFA)
    is the result. `base_url`: one origin serving PACER's pages on the real paths, e.g. the mock's
    `pacer_mock.url`; None means the real PACER hosts. `courts`: the registry (default: the bundled
    one). The result has no readiness checklist: `run_bulk` adds that.
    """
    site = SiteMap.for_base_url(base_url)
    outcome = await verify_account(
        page,
        account,
        site,
        timeout_ms=timeout_ms,
        courts=courts if courts is not None else load_courts(),
        check_courts=check_courts,
        sign_in=sign_in,
    )
    return result_of(account, outcome)
