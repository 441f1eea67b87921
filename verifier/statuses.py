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
class Advice:
    """A status's next step in its two parts, so that no output has to take the sentence apart: what to do
    (the few words a terminal's table shows), then why or how. Said whole, they read "do; then" ("do: then"
    for the upgrade, which reads as a checklist item does), or "do." alone."""

    do: str
    then: str = ""
    joint: str = "; "

    def __str__(self) -> str:
        return f"{self.do}{self.joint}{self.then}" if self.then else f"{self.do}."

    @property
    def titled(self) -> bool:
        """Said as a checklist item is, "Title: how": an output may show the two apart."""
        return self.joint == ": "

    def and_then(self, more: str) -> Advice:
        """The same advice with `more` said after it (a command that checks again)."""
        return Advice(self.do, f"{self.then} {more}", self.joint) if self.then else Advice(self.do, more, ". ")


@dataclass(frozen=True)
class StatusFacts:
    status: Status
    meaning: str
    """One line for readers who do not know the snake_case names."""
    advice: Advice
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

    @property
    def next_step(self) -> str:
        """The advice as one sentence."""
        return str(self.advice)


#: In the order a reader should see them: what needs a person first, ready accounts last.
TABLE: tuple[StatusFacts, ...] = (
    StatusFacts(
        Status.LOCKED,
        "The account is locked or disabled",
        Advice("Contact the PACER Service Center (800-676-6856) to unlock or reactivate the account"),
        style="red",
        bar_color="#9f1239",
        sign_in_problem=True,
    ),
    StatusFacts(
        Status.INVALID_CREDENTIALS,
        "PACER rejected the username or password",
        Advice("Check the username and password in the roster", "the login was not retried to avoid a lockout."),
        style="red",
        bar_color="#c62828",
        sign_in_problem=True,
    ),
    StatusFacts(
        Status.OTP_REJECTED,
        "PACER accepted the password and refused the one-time code",
        Advice(
            "Check the otp_secret in the roster (the set-up key from the authenticator app) and this machine's clock",
            "the code was not retried to avoid a lockout.",
        ),
        style="red",
        bar_color="#b91c1c",
        sign_in_problem=True,
    ),
    StatusFacts(
        Status.UPDATE_REQUIRED,
        "PACER demands an update at sign-in (User Update Required)",
        Advice(
            "Sign in to PACER and do the update it asks for (MFA enrollment or a new password), then re-run",
            "pacer-verify never presses Skip.",
        ),
        style="magenta",
        bar_color="#a21caf",
        sign_in_problem=True,
    ),
    StatusFacts(
        Status.MFA_REQUIRED,
        "A one-time code was asked and no secret was given",
        Advice("Add the authenticator secret (otp_secret) to the roster, or check this account by hand"),
        style="magenta",
        bar_color="#6d28d9",
        sign_in_problem=True,
    ),
    StatusFacts(
        Status.INVALID_INPUT,
        "The roster row could not be used",
        Advice("Fix the roster row named in the message, then re-run with --resume"),
        style="red",
        bar_color="#c2410c",
        not_checked=True,
    ),
    StatusFacts(
        Status.UNRECOGNIZED_PAGE,
        "Signed in, but the account page was not understood",
        Advice("Check this account by hand and report the saved screenshot", "the account page was not understood."),
        style="cyan",
        bar_color="#0369a1",
        not_checked=True,
        keeps_screenshot=True,
    ),
    StatusFacts(
        Status.SITE_ERROR,
        "The site or network failed; not checked",
        Advice("Re-run later with --resume", "the site or network failed after the allowed retries."),
        style="cyan",
        bar_color="#475569",
        not_checked=True,
        keeps_screenshot=True,
    ),
    StatusFacts(
        Status.LEGACY,
        "Signed in; the account must be upgraded",
        Advice(
            "Upgrade the PACER account",
            "Manage My Account > Upgrade (asks for date of birth, county, a new username and password, and "
            "security questions).",
            joint=": ",
        ),
        style="yellow",
        bar_color="#b35c00",
        signed_in=True,
    ),
    StatusFacts(
        Status.UPGRADED,
        "Signed in; the account is upgraded",
        Advice(
            "Nothing for the account upgrade; after go-live, link the PACER account to CM/ECF in each NextGen court"
        ),
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
NEXT_STEP_BY_SOURCE: dict[Source, dict[Status, Advice]] = {
    Source.COMMAND: {
        Status.INVALID_CREDENTIALS: Advice(
            "Check the username (--username or PACER_USERNAME) and the password (PACER_PASSWORD, or the one typed "
            "at the prompt)",
            "the login was not retried to avoid a lockout.",
        ),
        Status.OTP_REJECTED: Advice(
            "Check PACER_OTP_SECRET (the set-up key from the authenticator app) and this machine's clock",
            "the code was not retried to avoid a lockout.",
        ),
        Status.MFA_REQUIRED: Advice(
            "Set PACER_OTP_SECRET to the authenticator secret (the set-up key), or check this account by hand"
        ),
        Status.UPDATE_REQUIRED: Advice(
            "Sign in to PACER and do the update it asks for (MFA enrollment or a new password), then run "
            "`pacer-verify check` again",
            "pacer-verify never presses Skip.",
        ),
        Status.SITE_ERROR: Advice(
            "Run `pacer-verify check` again later", "the site or network failed after the allowed retries."
        ),
    },
    Source.TYPED: {
        Status.INVALID_CREDENTIALS: Advice(
            "PACER rejected the username and password the attorney typed",
            "the page asked them to check both on PACER before checking again (not retried, to avoid a lockout).",
        ),
        Status.OTP_REJECTED: Advice(
            "PACER took the password and refused the one-time code the attorney typed",
            "the page asked them to check again with the code their authenticator app shows at that moment (codes "
            "change every 30 seconds and each is accepted once; not retried, to avoid a lockout).",
        ),
        Status.MFA_REQUIRED: Advice(
            "PACER asked for a one-time code and none was typed",
            "the page asked the attorney to check again with the code from their authenticator app.",
        ),
        Status.UPDATE_REQUIRED: Advice(
            "The attorney signs in to PACER and does the update it asks for (MFA enrollment or a new password), "
            "then checks again with their link",
            "pacer-verify never presses Skip.",
        ),
        Status.SITE_ERROR: Advice(
            "The site or network failed", "the page asked the attorney to check again in a few minutes."
        ),
    },
}


def advice(status: Status, source: Source = Source.ROSTER) -> Advice:
    """The status's next step, in the words of where the credentials came from (the roster's by default)."""
    return NEXT_STEP_BY_SOURCE.get(source, {}).get(status) or FACTS[status].advice


def next_step(status: Status, source: Source = Source.ROSTER) -> str:
    """The status's next step as one sentence (``advice``)."""
    return str(advice(status, source))


def count_statuses(statuses: Iterable[Status]) -> dict[Status, int]:
    """Every status with its count, zeros too, in reading order: the one status counter."""
    counts = dict.fromkeys(ORDER, 0)
    for status in statuses:
        counts[status] += 1
    return counts
