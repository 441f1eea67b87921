"""Manage My Account as a page object: read the account's type, MFA status and firm billing."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from playwright.async_api import Error as PlaywrightError

from flows.classify import clean_account_type, extract_field, extract_field_values, normalize, parse_mfa
from flows.navigation import goto
from flows.on_page import OnPage
from flows.page_text import visible_text_chunks
from flows.pages import AccountPage
from flows.screen import PASSWORD_LABEL
from flows.signin import SignOnPage

MANAGE_ACCOUNT_HEADING = re.compile(r"manage\s+my\s+account", re.I)
# Labels as the PACER help pages name them; the page's exact markup is not public (docs/real-site.md §3).
MFA_LABELS = ("Multifactor Auth", "Multi-Factor Authentication", "Multifactor Authentication", "MFA")
PAA_LABELS = ("PACER Administrative Account", "Administrative Account")


@dataclass(frozen=True)
class AccountReading:
    """What Manage My Account showed, and each field it showed more than one meaning for (a help panel
    before the field, a second field): the caller must not pick one of those."""

    page: AccountPage
    conflicts: tuple[str, ...] = ()


class ManageAccountPage(OnPage):
    async def open(self) -> None:
        """Go to Manage My Account; without a session the site sends the browser to sign-on."""
        await goto(self.page, self.watch, self.site.account_url, self.timeout_ms)

    def sign_on(self) -> SignOnPage:
        return SignOnPage(self.page, self.site, self.watch, self.timeout_ms)

    async def landed(self) -> None:
        """Wait until the account page or a sign-on form shows (a redirect by script included)."""
        shown = self.page.get_by_role("heading", name=MANAGE_ACCOUNT_HEADING).or_(
            self.page.get_by_label(PASSWORD_LABEL)
        )
        with contextlib.suppress(PlaywrightError):  # neither: the caller reads what is there
            await shown.first.wait_for(state="visible", timeout=self.timeout_ms)

    async def is_showing(self) -> bool:
        heading = self.page.get_by_role("heading", name=MANAGE_ACCOUNT_HEADING)
        return await heading.count() > 0 or bool(MANAGE_ACCOUNT_HEADING.search(await self.page.title()))

    async def read(self) -> AccountPage:
        return (await self.read_all()).page

    async def read_all(self) -> AccountReading:
        chunks = await visible_text_chunks(self.page)
        mfa_values = [v for label in MFA_LABELS for v in extract_field_values(chunks, label)]
        # Text after an MFA label that says neither (a "MFA Settings" link) is no value of the field.
        mfa_values = [v for v in mfa_values if parse_mfa(v) is not None] or mfa_values
        page = AccountPage(
            account_type_label=clean_account_type(extract_field(chunks, "Account Type")),
            account_number=extract_field(chunks, "Account Number"),
            username=extract_field(chunks, "Username"),
            mfa_label=mfa_values[0] if mfa_values else None,
            mfa_enrolled=parse_mfa(mfa_values[0]) if mfa_values else None,
            paa_label=_first_field(chunks, PAA_LABELS),
            case_search_label=extract_field(chunks, "Case Search Status"),
        )
        conflicts = [
            _conflict("Account Type", extract_field_values(chunks, "Account Type"), _account_type_meaning),
            _conflict("Multifactor Auth", mfa_values, _mfa_meaning),
            _conflict("Case Search Status", extract_field_values(chunks, "Case Search Status"), _first_word),
            _conflict("Username", extract_field_values(chunks, "Username"), normalize),
        ]
        return AccountReading(page, tuple(c for c in conflicts if c))


def _conflict(label: str, values: list[str], meaning: Callable[[str], Hashable]) -> str:
    """'Account Type shows 'A' and 'B'' when the values mean different things, else ''."""
    distinct: dict[Hashable, str] = {}
    for value in values:
        distinct.setdefault(meaning(value), value)
    if len(distinct) < 2:
        return ""
    return f"{label} shows " + " and ".join(repr(v) for v in distinct.values())


def _account_type_meaning(value: str) -> str:
    return normalize(clean_account_type(value))


def _mfa_meaning(value: str) -> Hashable:
    enrolled = parse_mfa(value)
    return enrolled if enrolled is not None else normalize(value)


def _first_word(value: str) -> str:
    words = normalize(value).split()
    return words[0] if words else ""


def _first_field(chunks: list[str], labels: tuple[str, ...]) -> str | None:
    for label in labels:
        value = extract_field(chunks, label)
        if value:
            return value
    return None
