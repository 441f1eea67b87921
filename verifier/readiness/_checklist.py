"""What each attorney must still do for NextGen, as a checklist of steps. Pure: no I/O, no clock: the
day the checklist is for is passed in (`--as-of`, or today), so it reads right on any day.

The rules follow the courts' and PACER's notices (docs/real-site.md): an own individual account,
upgraded, enrolled in MFA when PACER asks at sign-in (`_mfa`: required for CM/ECF filers since Dec 31,
2025, enforced by PACER's prompt; until it asks, a heads-up, not a step to do), case search active, the
current CM/ECF login known, and, from each court's go-live, the PACER account linked to the CM/ECF
account there. The 2025 password standard is not a step: its enforcement was announced as temporarily
delayed (Sept 2025), so pacer-verify does not claim it is enforced.

Each step has a kind (``models.StepKind``): own account, upgraded, MFA, case search (account-wide), the
CM/ECF login and the linking (per court, with the court), an unknown court, filing agents, firm billing,
the client code (PACER signed in without the firm's required one) and PACER's reminder (a change it asked
for by a date while letting the sign-in through). Its id (``models.step_id``: ``linked:cod``) is a key.

Roster-wide facts come from ``_findings``, each court's items from ``_court_steps``, and the next steps,
their order and their words from ``_next``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from verifier.models import (
    Account,
    AccountPage,
    CourtCheck,
    NextStep,
    Status,
    Step,
    StepKind,
    StepState,
    UpdateDemand,
)
from verifier.readiness._court_steps import cmecf_login, linked, unknown_court
from verifier.readiness._findings import RosterFindings, court_ids, person_key
from verifier.readiness._mfa import mfa_step
from verifier.readiness._next import next_steps_for, said, said_all
from verifier.readiness._where import ROSTER, Where
from verifier.readiness.courts import CourtRegistry

#: From this day CM/ECF-level users whose case search went inactive can reset their password themselves.
SELF_RESET_FROM = dt.date(2025, 10, 16)
SHARED = "Each person needs their own individual PACER account; shared accounts cannot file in NextGen"
UPGRADE_PATH = (
    "Manage My Account → Upgrade (asks for date of birth, county, a new username and password, and security questions)"
)
FILING_AGENTS = "Use filing agents under one account"


class CheckedAccount(Protocol):
    """What the rules read of a checked account: the check's outcome (verifier.check.outcome) before its
    result is made, or a stored `Result`."""

    @property
    def status(self) -> Status: ...
    @property
    def message(self) -> str: ...
    @property
    def update(self) -> UpdateDemand | None: ...
    @property
    def mfa_enrolled(self) -> bool | None: ...
    @property
    def firm_billing(self) -> str | None: ...
    @property
    def courts(self) -> Sequence[CourtCheck]: ...
    @property
    def reminder(self) -> str | None: ...
    @property
    def reminder_due(self) -> dt.date | None: ...
    @property
    def client_code_note(self) -> str | None: ...


def _when(day: dt.date) -> str:
    return f"{day:%b} {day.day}, {day.year}"


def _files_in_cmecf(account: Account) -> bool:
    """The roster says this attorney files (courts or an old CM/ECF login): MFA is then required."""
    return bool(account.courts or account.unknown_courts or account.cmecf_username)


def _next_go_live(account: Account, courts: CourtRegistry, today: dt.date) -> dt.date | None:
    """The earliest NextGen go-live still ahead among the attorney's courts."""
    dates = []
    for court_id in court_ids(account):
        court = courts.get(court_id)
        if court and court.is_nextgen and court.nextgen_go_live and court.nextgen_go_live > today:
            dates.append(court.nextgen_go_live)
    return min(dates, default=None)


def _own_account(account: Account, findings: RosterFindings) -> Step:
    # Own-ness is a fact about the roster, so it is known even when the sign-in failed.
    sharing = findings.shared.get(account.username.lower(), [])
    me = person_key(account.display_name)
    others = [n for n in sharing if person_key(n) != me]
    if others:
        return Step(
            kind=StepKind.OWN_ACCOUNT,
            title="Get your own individual PACER account",
            state=StepState.TODO,
            detail=f"{SHARED}. Username {account.username} is also used by {', '.join(others)}.",
        )
    return Step(
        kind=StepKind.OWN_ACCOUNT,
        title="Own individual PACER account",
        state=StepState.DONE,
        detail="no one else in the roster uses this username",
    )


def _upgraded(result: CheckedAccount, account: Account, courts: CourtRegistry, today: dt.date) -> Step:
    if result.status is Status.UPGRADED:
        return Step(kind=StepKind.UPGRADED, title="Upgraded PACER account", state=StepState.DONE)
    if result.status is Status.LEGACY:
        return Step(
            kind=StepKind.UPGRADED,
            title="Upgrade the PACER account",
            state=StepState.TODO,
            deadline=_next_go_live(account, courts, today),
            detail=UPGRADE_PATH,
        )
    reason = f"not known: the check ended as {result.status.value}"
    if result.message:
        reason += f" ({result.message})"
    return Step(kind=StepKind.UPGRADED, title="Upgraded PACER account", state=StepState.UNKNOWN, detail=reason)


def _mfa(result: CheckedAccount, account: Account, page: AccountPage | None) -> Step:
    enrolled = page.mfa_enrolled if page is not None and page.mfa_enrolled is not None else result.mfa_enrolled
    return mfa_step(
        result.update,
        result.status,
        enrolled,
        files=_files_in_cmecf(account),
        legacy=result.status is Status.LEGACY,
        shown=page.mfa_label if page is not None else None,
    )


def _case_search(page: AccountPage | None, today: dt.date) -> Step | None:
    """Case search goes inactive after six months without a search; filing is not affected."""
    if page is None or not page.case_search_label:
        return None
    if not page.case_search_inactive:
        return Step(kind=StepKind.CASE_SEARCH, title="Case search active", state=StepState.DONE)
    how = "reactivate it through the PACER Service Center (800-676-6856)"
    if today >= SELF_RESET_FROM:
        how += (
            f"; since {_when(SELF_RESET_FROM)} a CM/ECF-level user whose search went inactive can also "
            "reset their password themselves"
        )
    return Step(
        kind=StepKind.CASE_SEARCH,
        title="Reactivate case search",
        state=StepState.TODO,
        detail=f"Manage My Account shows Case Search Status: Inactive (no search for six months). "
        f"Filing still works; to search again, {how}",
    )


def _filing_agents(account: Account, findings: RosterFindings) -> Step | None:
    several = findings.several_accounts.get(person_key(account.name)) if account.name.strip() else None
    if not several:
        return None
    return Step(
        kind=StepKind.FILING_AGENTS,
        title="Use one account with filing agents",
        state=StepState.TODO,
        detail=f"{FILING_AGENTS}: {account.display_name} has {several.describe()}. NextGen links one "
        "CM/ECF account to one PACER account; staff file as the attorney's filing agents, each "
        "with their own PACER account",
    )


def _firm_billing(result: CheckedAccount, page: AccountPage | None) -> Step | None:
    paa = (page.paa_label if page is not None else None) or result.firm_billing
    if not paa:
        return None
    return Step(
        kind=StepKind.FIRM_BILLING,
        title="Firm billing",
        state=StepState.INFO,
        detail=f"Billed to firm PACER Administrative Account: {paa}",
    )


#: The checklist item for PACER's note that the sign-in went without the firm's required client code.
CLIENT_CODE_TITLE = "PACER search needs the firm's client code; filing works without it"


def _client_code(result: CheckedAccount) -> Step | None:
    """PACER signed in but allows no search without the firm's client code (a PAA that requires one)."""
    if not result.client_code_note:
        return None
    return Step(
        kind=StepKind.CLIENT_CODE,
        title=CLIENT_CODE_TITLE,
        state=StepState.INFO,
        detail=f"PACER said: {result.client_code_note} Give the firm's client code in the roster's client_code "
        "column (or check's --client-code) and type it at PACER's sign-in when searching",
    )


@dataclass(frozen=True)
class Readiness:
    """What an attorney must still do: the checklist and its next steps, for the run to put in the result."""

    steps: tuple[Step, ...] = ()
    next: tuple[NextStep, ...] = ()
    next_steps: tuple[str, ...] = ()
    """`next` as sentences, said on the checklist's day (results.jsonl keeps them beside `next`)."""

    @classmethod
    def on(cls, day: dt.date, steps: Iterable[Step], next_steps: Iterable[NextStep]) -> Readiness:
        """The checklist and next steps of `day`."""
        found = tuple(next_steps)
        return cls(tuple(steps), found, tuple(said_all(found, day)))

    @classmethod
    def status_only(cls, step: NextStep) -> Readiness:
        """No checklist (an unusable roster row, the library's bare check): what the status asks, alone."""
        return cls(next=(step,), next_steps=(said(step),))


Finalize = Callable[[CheckedAccount, Account | None, AccountPage | None], Readiness]
"""The readiness of one checked account (its checklist and next steps), which finishes its result."""


def finalizer(findings: RosterFindings, courts: CourtRegistry, today: dt.date, where: Where = ROSTER) -> Finalize:
    """`where`: where the accounts came from, for the words of a status's next step (a roster by default)."""

    def finalize(checked: CheckedAccount, account: Account | None, page: AccountPage | None) -> Readiness:
        steps = build_checklist(checked, account, page, findings, courts, today)
        first = where.status_step(checked.status, account.username if account else "", account.row if account else None)
        return Readiness.on(today, steps, next_steps_for(checked, steps, first))

    return finalize


def build_checklist(
    result: CheckedAccount,
    account: Account | None,
    page: AccountPage | None,
    findings: RosterFindings,
    courts: CourtRegistry,
    today: dt.date,
) -> list[Step]:
    """The attorney's checklist: account-wide steps, then each court's, then roster and billing notes.

    No account (an invalid roster row) has none: there is nothing to hang a step on.
    """
    if account is None or result.status is Status.INVALID_INPUT:
        return []
    steps = [
        _own_account(account, findings),
        _upgraded(result, account, courts, today),
        _mfa(result, account, page),
    ]
    case_search = _case_search(page, today)
    if case_search is not None:
        steps.append(case_search)
    checks = {c.court.strip().lower(): c for c in result.courts}
    for court_id in court_ids(account):
        court, check = courts.get(court_id), checks.get(court_id)
        if court is None and check is None:
            steps.append(unknown_court(court_id, courts))
            continue
        login = cmecf_login(account, court_id, court, check, today)
        if login is not None:
            steps.append(login)
        steps.append(linked(result.status, court_id, court, check, today))
    steps += [unknown_court(c, courts) for c in dict.fromkeys(account.unknown_courts)]
    notes = (_filing_agents(account, findings), _firm_billing(result, page), _client_code(result))
    steps += [s for s in notes if s is not None]
    reminder = _site_reminder(result)
    if reminder is not None:
        steps.append(reminder)
    return steps


def _site_reminder(result: CheckedAccount) -> Step | None:
    """A change the site asked for by a date while letting the sign-in through (a password reminder)."""
    if not result.reminder:
        return None
    return Step(
        kind=StepKind.SITE_REMINDER,
        title="PACER's reminder at sign-in",
        state=StepState.TODO,
        deadline=result.reminder_due,
        detail=result.reminder,
    )
