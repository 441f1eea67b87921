"""The one place a `Result` is made (tests/test_results_built_once.py keeps it so).

A result is the account (row, name, username, email), what checking it found (verifier.check.outcome),
what its attempts took (attempts, duration, artifacts) and what the attorney must still do (the
checklist and next steps, verifier.readiness), put together once. `bulk`, `check`, `serve` and the
library's `check_account` all make theirs here; an unusable roster row too, with its own message.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from verifier.check.outcome import AccountOutcome
from verifier.models import Result, Status
from verifier.readiness import ROSTER, Readiness, Where


class InvalidRow(Protocol):
    """A roster row that could not be used (verifier.roster.RowError): who it names, and why."""

    @property
    def row(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def username(self) -> str: ...
    def describe(self) -> str: ...


class Who(Protocol):
    """Whom a result is about: an `Account`, or the row an unusable roster row names."""

    @property
    def display_name(self) -> str: ...
    @property
    def username(self) -> str: ...
    @property
    def row(self) -> int | None: ...
    @property
    def email(self) -> str | None: ...
    @property
    def client_code(self) -> str | None: ...


@dataclass(frozen=True)
class _RowNamed:
    display_name: str
    username: str
    row: int
    email: str | None = None
    client_code: str | None = None


@dataclass(frozen=True)
class Effort:
    """What checking one account took: its attempts, their time and what they kept for a person to see."""

    attempts: int = 1
    duration_s: float = 0.0
    artifacts: Sequence[str] = ()


def result_of(
    account: Who,
    outcome: AccountOutcome,
    readiness: Readiness | None = None,
    effort: Effort = Effort(),
    *,
    attempt_only: bool = False,
) -> Result:
    """The account's result. Without `readiness` (the library's `check_account`), no checklist and the
    status's own next step. `attempt_only`: `serve`'s failed sign-in, which does not replace a reading."""
    readiness = readiness or Readiness.status_only(ROSTER.status_step(outcome.status))
    return Result(
        name=account.display_name,
        username=account.username,
        row=account.row,
        email=account.email,
        status=outcome.status,
        account_type=outcome.account_type,
        needs_upgrade=outcome.needs_upgrade,
        mfa_enrolled=outcome.mfa_enrolled,
        firm_billing=outcome.firm_billing,
        next_steps=list(readiness.next_steps),
        next=list(readiness.next),
        steps=list(readiness.steps),
        courts=list(outcome.courts),
        message=outcome.message,
        update=outcome.update,
        reminder=outcome.reminder,
        reminder_due=outcome.reminder_due,
        client_code=account.client_code,
        client_code_note=outcome.client_code_note,
        duration_s=effort.duration_s,
        attempts=effort.attempts,
        artifacts=list(effort.artifacts),
        attempt_only=attempt_only,
    )


def result_of_invalid_row(error: InvalidRow, where: Where = ROSTER) -> Result:
    """An unusable roster row's result: `invalid_input` with the row's problem; nothing was sent for it.
    `where`: the run's, whose next step names the command that checks the row again once fixed."""
    named = _RowNamed(error.name or f"row {error.row}", error.username, error.row)
    step = where.status_step(Status.INVALID_INPUT, error.username, error.row)
    return result_of(named, AccountOutcome(Status.INVALID_INPUT, error.describe()), Readiness.status_only(step))
