"""What checking one account found, as plain values: the status, what the site said, what Manage My
Account showed, the courts, and notes on how the sign-in went.

Not a `Result`: who the account is (row, name), how many attempts it took, its artifacts and its
checklist are the run's to add, once (verifier.run.results).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from verifier.models import AccountPage, CourtCheck, Status, UpdateDemand


@dataclass(frozen=True)
class AccountOutcome:
    """What `verify_account` returns."""

    status: Status
    said: str = ""
    """What the site or the page said (a refusal in the site's words, "Account Type: …", a described page)."""
    page: AccountPage | None = None
    """Manage My Account as read; only when it was read and shows this account."""
    courts: tuple[CourtCheck, ...] = ()
    update: UpdateDemand | None = None
    """What "User Update Required" demanded (update_required)."""
    reminder: str | None = None
    """A change the site asked for by a date ahead while letting the sign-in through, in its words."""
    reminder_due: dt.date | None = None
    notes: tuple[str, ...] = ()
    """How the sign-in went, when a reader should know (the API's session refused, no API, the API's note)."""
    api_session_refused: bool = False
    """The API signed in but Manage My Account asked for the form (the run's switch has been told)."""
    api_absent: int | None = None
    """The API answered 404/405/501 (no such service): the form was used (the run's switch has been told)."""
    other_account: bool = False
    """Manage My Account showed someone else's account: the browser context must be thrown away."""
    client_code_note: str | None = None
    """PACER's note that the sign-in went without the firm's required client code (no PACER search in that
    session; filing works), in its words."""

    @property
    def message(self) -> str:
        """What the result says: the site's words, then the notes."""
        return "; ".join(part for part in (self.said, *self.notes) if part)

    @property
    def account_type(self) -> str | None:
        return self.page.account_type_label if self.page is not None else None

    @property
    def needs_upgrade(self) -> bool:
        return self.status is Status.LEGACY

    @property
    def mfa_enrolled(self) -> bool | None:
        return self.page.mfa_enrolled if self.page is not None else None

    @property
    def firm_billing(self) -> str | None:
        return self.page.paa_label if self.page is not None else None
