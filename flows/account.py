"""Manage My Account as a page object: read the account's type, MFA status and firm billing."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from enum import StrEnum

from flows.classify import classify_account_type, clean_account_type, normalize, parse_mfa
from flows.errors import TransientSiteError
from flows.landmarks import shows
from flows.navigation import goto
from flows.on_page import OnPage
from flows.outcome import Status
from flows.page_text import page_fields
from flows.pages import AccountPage
from flows.screen import PASSWORD_LABEL
from flows.signin import SignOnPage

MANAGE_ACCOUNT_HEADING = re.compile(r"manage\s+my\s+account", re.I)
# Labels as the PACER help pages name them; the page's exact markup is not public (docs/real-site.md §3).
MFA_LABELS = ("Multifactor Auth", "Multi-Factor Authentication", "Multifactor Authentication", "MFA")
PAA_LABELS = ("PACER Administrative Account", "Administrative Account")
#: Every field name the page is read for, and names it likely shows besides: where one reading finds
#: one of them after a label, that field is empty in that reading (flows.fields).
ALL_LABELS = (
    *("Account Type", "Account Number", "Username", "Case Search Status", "Name", "Email", "Email Address"),
    *("Phone", "Address", "User Type", "Firm", "Firm Name"),
    *MFA_LABELS,
    *PAA_LABELS,
)


class AccountField(StrEnum):
    """A field of Manage My Account that must say one thing, by the name the page gives it."""

    ACCOUNT_TYPE = "Account Type"
    MFA = "Multifactor Auth"
    CASE_SEARCH = "Case Search Status"
    USERNAME = "Username"


@dataclass(frozen=True)
class Conflict:
    """A field shown with values that mean different things (a help panel before the field, a second
    field): none of them is taken. `values`: one of each meaning, in the page's order."""

    field: AccountField
    values: tuple[str, ...]

    def __str__(self) -> str:
        """ "Account Type shows 'A' and 'B'"."""
        return f"{self.field} shows " + " and ".join(repr(v) for v in self.values)


@dataclass(frozen=True)
class AccountReading:
    """What Manage My Account showed, and each field it showed more than one meaning for: the caller must
    not pick one of those."""

    page: AccountPage
    conflicts: tuple[Conflict, ...] = ()


class ManageAccountPage(OnPage):
    async def open(self) -> None:
        """Go to Manage My Account; without a session the site sends the browser to sign-on."""
        await goto(self.page, self.watch, self.site.account_url, self.timeout_ms)

    def sign_on(self) -> SignOnPage:
        return SignOnPage(self.page, self.site, self.watch, self.timeout_ms)

    async def landed(self) -> None:
        """Wait until the account page or a sign-on form shows (a redirect by script included)."""
        with contextlib.suppress(TransientSiteError):  # neither: the caller reads what is there
            await shows(
                self.page,
                MANAGE_ACCOUNT_HEADING,
                label=PASSWORD_LABEL,
                wait_ms=self.timeout_ms,
                timeout_ms=self.timeout_ms,
            )

    async def is_showing(self) -> bool:
        """Manage My Account's heading is shown, or the page is titled so."""
        return await shows(self.page, MANAGE_ACCOUNT_HEADING, title=True, timeout_ms=self.timeout_ms)

    async def read_all(self) -> AccountReading:
        fields = await page_fields(self.page)
        account_types = fields.values("Account Type", ALL_LABELS)
        mfa_values = [v for label in MFA_LABELS for v in fields.values(label, ALL_LABELS)]
        # Text after an MFA label that says neither (a "MFA Settings" link) is no value of the field.
        mfa_values = [v for v in mfa_values if parse_mfa(v) is not None] or mfa_values
        case_search = fields.values("Case Search Status", ALL_LABELS)
        usernames = fields.values("Username", ALL_LABELS)
        numbers = fields.values("Account Number", ALL_LABELS)
        paa = next((v for label in PAA_LABELS for v in fields.values(label, ALL_LABELS)), None)
        page = AccountPage(
            account_type_label=clean_account_type(_first_meaningful(account_types, _account_type_known)),
            account_number=numbers[0] if numbers else None,
            username=usernames[0] if usernames else None,
            mfa_label=mfa_values[0] if mfa_values else None,
            mfa_enrolled=parse_mfa(mfa_values[0]) if mfa_values else None,
            paa_label=paa,
            case_search_label=_first_meaningful(case_search, _case_search_known),
        )
        conflicts = [
            _conflict(AccountField.ACCOUNT_TYPE, account_types, _account_type_meaning),
            _conflict(AccountField.MFA, mfa_values, _mfa_meaning),
            _conflict(AccountField.CASE_SEARCH, case_search, _first_word),
            _conflict(AccountField.USERNAME, usernames, normalize),
        ]
        return AccountReading(page, tuple(c for c in conflicts if c is not None))


def _first_meaningful(values: list[str], known: Callable[[str], bool]) -> str | None:
    """The first value that says something understood; else the first (which then reads as unknown).
    Values that mean different things never get here unnoticed: they are a conflict (`_conflict`)."""
    return next((value for value in values if known(value)), values[0] if values else None)


def _account_type_known(value: str) -> bool:
    return classify_account_type(value) is not Status.UNRECOGNIZED_PAGE


def _case_search_known(value: str) -> bool:
    return _first_word(value) in ("active", "inactive")


def _conflict(field: AccountField, values: list[str], meaning: Callable[[str], Hashable]) -> Conflict | None:
    """The field's conflict when its values mean different things, else None."""
    distinct: dict[Hashable, str] = {}
    for value in values:
        distinct.setdefault(meaning(value), value)
    return Conflict(field, tuple(distinct.values())) if len(distinct) > 1 else None


def _account_type_meaning(value: str) -> str:
    return normalize(clean_account_type(value))


def _mfa_meaning(value: str) -> Hashable:
    enrolled = parse_mfa(value)
    return enrolled if enrolled is not None else normalize(value)


def _first_word(value: str) -> str:
    words = normalize(value).split()
    return words[0] if words else ""
