"""Every fact about a status in one table: what it means, what to do next, where it sorts, how it is
coloured, which report group it belongs to, whether its screenshot is kept.

Reports, the progress bar, the runner and the readiness rules read this table; none keeps its own.
The `Status` names themselves live with the flows that tell most of them from the pages (flows.outcome).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from flows.outcome import Status


@dataclass(frozen=True)
class StatusFacts:
    status: Status
    meaning: str
    """One line for readers who do not know the snake_case names."""
    next_step: str
    """What the attorney (or firm IT) does next; readiness rules add court-specific steps."""
    style: str
    """Rich style on a terminal."""
    bar_color: str
    """Chart colour in the HTML report: readable on white (contrast ≥ 4.5:1); bars also carry text."""
    signed_in: bool = False
    sign_in_problem: bool = False
    """Sign-in stopped before the account page: a person must fix the login itself."""
    not_checked: bool = False
    """Nothing was learned about the account."""
    keeps_screenshot: bool = False
    """The runner keeps a screenshot (and a failed attempt's trace) for a person to look at."""


#: In the order a reader should see them: what needs a person first, ready accounts last.
TABLE: tuple[StatusFacts, ...] = (
    StatusFacts(
        Status.LOCKED,
        "The account is locked or disabled",
        "Contact the PACER Service Center (800-676-6856) to unlock or reactivate the account.",
        style="red",
        bar_color="#9f1239",
        sign_in_problem=True,
    ),
    StatusFacts(
        Status.INVALID_CREDENTIALS,
        "PACER rejected the username or password",
        "Check the username and password in the roster; the login was not retried to avoid a lockout.",
        style="red",
        bar_color="#c62828",
        sign_in_problem=True,
    ),
    StatusFacts(
        Status.OTP_REJECTED,
        "PACER accepted the password and refused the one-time code",
        "Check the otp_secret in the roster (the set-up key from the authenticator app) and this machine's "
        "clock; the code was not retried to avoid a lockout.",
        style="red",
        bar_color="#b91c1c",
        sign_in_problem=True,
    ),
    StatusFacts(
        Status.UPDATE_REQUIRED,
        "PACER demands an update at sign-in (User Update Required)",
        "Sign in to PACER and do the update it asks for (MFA enrollment or a new password), then re-run; "
        "pacer-verify never presses Skip.",
        style="magenta",
        bar_color="#a21caf",
        sign_in_problem=True,
    ),
    StatusFacts(
        Status.MFA_REQUIRED,
        "A one-time code was asked and no secret was given",
        "Add the authenticator secret (otp_secret) to the roster, or check this account by hand.",
        style="magenta",
        bar_color="#6d28d9",
        sign_in_problem=True,
    ),
    StatusFacts(
        Status.INVALID_INPUT,
        "The roster row could not be used",
        "Fix the roster row named in the message, then re-run with --resume.",
        style="red",
        bar_color="#c2410c",
        not_checked=True,
    ),
    StatusFacts(
        Status.UNRECOGNIZED_PAGE,
        "Signed in, but the account page was not understood",
        "Check this account by hand and report the saved screenshot; the account page was not understood.",
        style="cyan",
        bar_color="#0369a1",
        not_checked=True,
        keeps_screenshot=True,
    ),
    StatusFacts(
        Status.SITE_ERROR,
        "The site or network failed; not checked",
        "Re-run later with --resume; the site or network failed after the allowed retries.",
        style="cyan",
        bar_color="#475569",
        not_checked=True,
        keeps_screenshot=True,
    ),
    StatusFacts(
        Status.LEGACY,
        "Signed in; the account must be upgraded",
        "Upgrade the PACER account: Manage My Account > Upgrade (asks for date of birth, county, "
        "a new username and password, and security questions).",
        style="yellow",
        bar_color="#b35c00",
        signed_in=True,
    ),
    StatusFacts(
        Status.UPGRADED,
        "Signed in; the account is upgraded",
        "Nothing for the account upgrade; after go-live, link the PACER account to CM/ECF in each NextGen court.",
        style="green",
        bar_color="#1a7f37",
        signed_in=True,
    ),
)
FACTS: dict[Status, StatusFacts] = {facts.status: facts for facts in TABLE}
assert set(FACTS) == set(Status), "every status needs its row"
assert all(f.signed_in is f.status.signed_in for f in TABLE), "signed_in agrees with flows.outcome"

#: Statuses in reading order (the table's order).
ORDER: tuple[Status, ...] = tuple(facts.status for facts in TABLE)
SEVERITY: dict[Status, int] = {status: index for index, status in enumerate(ORDER)}
SIGN_IN_PROBLEMS = frozenset(f.status for f in TABLE if f.sign_in_problem)
NOT_CHECKED = frozenset(f.status for f in TABLE if f.not_checked)
WITH_SCREENSHOT = frozenset(f.status for f in TABLE if f.keeps_screenshot)
#: A sign-in PACER refused (or stopped at a code): what anyone can cause by typing a wrong password, so
#: `serve` records it as an attempt beside the account's last reading rather than as a new reading.
FAILED_SIGN_INS = frozenset({Status.INVALID_CREDENTIALS, Status.OTP_REJECTED, Status.LOCKED, Status.MFA_REQUIRED})


class Source(StrEnum):
    """Where an account's credentials came from. A status means the same wherever; only the "where" of
    its next step changes: what to check, and how to check again."""

    ROSTER = "roster"
    """`bulk` (and `demo`, and the library's `run_bulk`): a roster row."""
    COMMAND = "command"
    """`check`: --username (PACER_USERNAME), PACER_PASSWORD or the prompt, PACER_OTP_SECRET."""
    TYPED = "typed"
    """`serve`: what the attorney typed on their own page; the reader is the firm's IT, on /admin."""


#: A next step that names where the credentials came from, for a source other than the roster (the
#: table's own words are the roster's). A status not named here says the same for every source.
NEXT_STEP_BY_SOURCE: dict[Source, dict[Status, str]] = {
    Source.COMMAND: {
        Status.INVALID_CREDENTIALS: "Check the username (--username or PACER_USERNAME) and the password "
        "(PACER_PASSWORD, or the one typed at the prompt); the login was not retried to avoid a lockout.",
        Status.OTP_REJECTED: "Check PACER_OTP_SECRET (the set-up key from the authenticator app) and this "
        "machine's clock; the code was not retried to avoid a lockout.",
        Status.MFA_REQUIRED: "Set PACER_OTP_SECRET to the authenticator secret (the set-up key), or check "
        "this account by hand.",
        Status.UPDATE_REQUIRED: "Sign in to PACER and do the update it asks for (MFA enrollment or a new "
        "password), then run `pacer-verify check` again; pacer-verify never presses Skip.",
        Status.SITE_ERROR: "Run `pacer-verify check` again later; the site or network failed after the "
        "allowed retries.",
    },
    Source.TYPED: {
        Status.INVALID_CREDENTIALS: "PACER rejected the username and password the attorney typed; the page "
        "asked them to check both on PACER before checking again (not retried, to avoid a lockout).",
        Status.OTP_REJECTED: "PACER took the password and refused the one-time code the attorney typed; the "
        "page asked them to check again with the code their authenticator app shows at that moment (codes "
        "change every 30 seconds and each is accepted once; not retried, to avoid a lockout).",
        Status.MFA_REQUIRED: "PACER asked for a one-time code and none was typed; the page asked the attorney "
        "to check again with the code from their authenticator app.",
        Status.UPDATE_REQUIRED: "The attorney signs in to PACER and does the update it asks for (MFA "
        "enrollment or a new password), then checks again with their link; pacer-verify never presses Skip.",
        Status.SITE_ERROR: "The site or network failed; the page asked the attorney to check again in a few minutes.",
    },
}


def next_step(status: Status, source: Source = Source.ROSTER) -> str:
    """The status's next step, in the words of where the credentials came from (the roster's by default)."""
    return NEXT_STEP_BY_SOURCE.get(source, {}).get(status) or FACTS[status].next_step


def count_statuses(statuses: Iterable[Status]) -> dict[Status, int]:
    """Every status with its count, zeros too, in reading order: the one status counter."""
    counts = dict.fromkeys(ORDER, 0)
    for status in statuses:
        counts[status] += 1
    return counts
