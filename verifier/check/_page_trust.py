"""Whether Manage My Account, as read, may decide a status: a pure rule over what the page showed.

Issue 19: the real page's markup is not public, so the reading is strict. A page served from
another origin is never read; a field shown with two meanings (a help panel before it, a second
field) is not picked from; and the page must be the account that signed in, or the session is
someone else's (each account has a context of its own, so such a session is the site's doing: it
is reported, never read as this account's).
"""

from __future__ import annotations

from dataclasses import dataclass

from flows.account import AccountField, AccountReading
from flows.urls import origin_of
from verifier.check.site import SiteMap
from verifier.models import Status

OTHER_ACCOUNT = "the page shows another account"


@dataclass(frozen=True)
class Distrust:
    """Why the page cannot decide, as the result to give instead."""

    status: Status
    message: str
    other_account: bool = False
    """The session shows someone else's account: said in the log as well as in the result."""


def foreign_origin(url: str, site: SiteMap) -> Distrust | None:
    """A page from another origin than PACER's is never read for a status."""
    if site.may_receive_pacer_credentials(url):
        return None
    return Distrust(
        Status.UNRECOGNIZED_PAGE,
        f"Manage My Account was served by {origin_of(url)}, not the configured PACER origin; it was not read",
    )


def distrust(reading: AccountReading, username: str) -> Distrust | None:
    """None when the page says one thing per field, for the account that signed in."""
    shown = reading.page.username
    if any(conflict.field is AccountField.USERNAME for conflict in reading.conflicts):
        return Distrust(Status.SITE_ERROR, f"{OTHER_ACCOUNT}: more than one username is shown", other_account=True)
    if shown is not None and shown.strip().lower() != username.strip().lower():
        # The other account's name is not repeated in the result: it is someone else's data.
        return Distrust(Status.SITE_ERROR, f"{OTHER_ACCOUNT} (not {username})", other_account=True)
    if reading.conflicts:
        return Distrust(
            Status.UNRECOGNIZED_PAGE,
            "Manage My Account shows more than one value, so none was taken: "
            + "; ".join(str(conflict) for conflict in reading.conflicts),
        )
    if shown is None:
        # PACER's help shows the username under the account number (docs/real-site.md §3). A person
        # who cannot find it cannot say whose account this is: checked by hand, not guessed.
        return Distrust(
            Status.UNRECOGNIZED_PAGE, "Manage My Account shows no username, so whose account it is cannot be confirmed"
        )
    return None
