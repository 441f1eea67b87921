"""What each attorney must still do for NextGen, as a checklist of steps. Pure: no I/O, no clock.

The rules follow the courts' NextGen notices (pacer-reference.md §4): an own individual account,
upgraded, enrolled in MFA (mandatory for CM/ECF users since Dec 31, 2025), the current CM/ECF login
known, and, after each court's go-live, the PACER account linked to the CM/ECF account there.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from verifier.courts import CourtRegistry
from verifier.models import Account, AccountPage, CourtCheck, Result, Status, Step, StepState

MFA_DEADLINE = dt.date(2025, 12, 31)
ACCOUNT_WIDE = ("own_account", "upgraded", "mfa")
UPGRADE_PATH = ("Manage My Account → Upgrade (asks for date of birth, county, a new username and password, "
                "and security questions)")
LINK_PATH = "Utilities → Link a CM/ECF account to my PACER account"
LINK_PATH_APPELLATE = "Utilities → Link my filer account to my PACER account"


def _person(name: str) -> str:
    return " ".join(name.split()).lower()


@dataclass
class RosterFindings:
    """Facts about the roster as a whole, found before any account is checked."""

    shared: dict[str, list[str]] = field(default_factory=dict)
    """Usernames used by more than one person → the people's names."""
    several_accounts: dict[str, list[str]] = field(default_factory=dict)
    """A person (by name) → their several CM/ECF or PACER logins."""


def roster_findings(accounts: Iterable[Account]) -> RosterFindings:
    names_by_username: dict[str, dict[str, str]] = defaultdict(dict)
    logins_by_person: dict[str, set[str]] = defaultdict(set)
    pacer_by_person: dict[str, set[str]] = defaultdict(set)
    for account in accounts:
        names_by_username[account.username.lower()][_person(account.display_name)] = account.display_name
        if account.name:
            pacer_by_person[_person(account.name)].add(account.username.lower())
            if account.cmecf_username:
                logins_by_person[_person(account.name)].add(account.cmecf_username.lower())
    shared = {u: sorted(names.values()) for u, names in names_by_username.items() if len(names) > 1}
    several: dict[str, list[str]] = {}
    for person in set(logins_by_person) | set(pacer_by_person):
        logins = logins_by_person.get(person, set())
        usernames = pacer_by_person.get(person, set())
        if len(logins) > 1 or len(usernames) > 1:
            several[person] = sorted(logins | usernames)
    return RosterFindings(shared=shared, several_accounts=several)


def _court_deadlines(account: Account, courts: CourtRegistry, today: dt.date) -> list[dt.date]:
    dates = []
    for court_id in account.courts:
        court = courts.get(court_id)
        if court and court.generation == "nextgen" and court.nextgen_go_live and court.nextgen_go_live >= today:
            dates.append(court.nextgen_go_live)
    return sorted(dates)


def _own_account(account: Account, findings: RosterFindings) -> Step:
    sharing = findings.shared.get(account.username.lower())
    if sharing:
        others = [n for n in sharing if _person(n) != _person(account.display_name)]
        return Step(id="own_account", title="Get your own individual PACER account", state=StepState.TODO,
                    detail=f"username {account.username} is also used by {', '.join(others)}; shared accounts "
                           "cannot file in NextGen")
    return Step(id="own_account", title="Own individual PACER account", state=StepState.DONE)


def _upgraded(result: Result, account: Account, courts: CourtRegistry, today: dt.date) -> Step:
    if result.status is Status.UPGRADED:
        return Step(id="upgraded", title="Upgraded PACER account", state=StepState.DONE)
    if result.status is Status.LEGACY:
        deadlines = _court_deadlines(account, courts, today)
        return Step(id="upgraded", title="Upgrade the PACER account", state=StepState.TODO,
                    deadline=deadlines[0] if deadlines else None, detail=UPGRADE_PATH)
    return Step(id="upgraded", title="Upgraded PACER account", state=StepState.UNKNOWN,
                detail=f"not known: {result.status.value}")


def _mfa(page: AccountPage | None, today: dt.date) -> Step:
    enrolled = page.mfa_enrolled if page else None
    if enrolled is True:
        return Step(id="mfa", title="Multi-factor authentication", state=StepState.DONE)
    if enrolled is False:
        overdue = " (overdue: required for CM/ECF users since Dec 31, 2025)" if today > MFA_DEADLINE else ""
        return Step(id="mfa", title="Enroll in multi-factor authentication", state=StepState.TODO,
                    deadline=MFA_DEADLINE, detail="Manage My Account → Settings → Manage MFA Settings → Add App"
                    + overdue)
    return Step(id="mfa", title="Multi-factor authentication", state=StepState.UNKNOWN,
                detail="MFA status not read")


def _court_steps(result: Result, account: Account, courts: CourtRegistry, today: dt.date) -> list[Step]:
    checks: dict[str, CourtCheck] = {c.court: c for c in result.courts}
    steps: list[Step] = []
    for court_id in account.courts:
        court = courts.get(court_id)
        check = checks.get(court_id)
        if account.cmecf_username and check is not None and check.cmecf_login_ok is not None:
            steps.append(Step(
                id=f"cmecf_login:{court_id}", court=court_id,
                title="CM/ECF login works" if check.cmecf_login_ok else "Find your current CM/ECF login",
                state=StepState.DONE if check.cmecf_login_ok else StepState.TODO,
                detail="" if check.cmecf_login_ok else
                f"the {court_id} CM/ECF rejected login {account.cmecf_username}; contact the court's help desk"))
        if court is None:
            steps.append(Step(id=f"linked:{court_id}", court=court_id, title="Link in this court",
                              state=StepState.UNKNOWN, detail="court not in the registry"))
            continue
        if court.generation != "nextgen":
            steps.append(Step(id=f"linked:{court_id}", court=court_id, title="Not on NextGen yet",
                              state=StepState.INFO, detail="keep using the court's CM/ECF login"))
            continue
        path = LINK_PATH_APPELLATE if court.kind == "appellate" else LINK_PATH
        if not court.live_on(today):
            steps.append(Step(id=f"linked:{court_id}", court=court_id, title="Link CM/ECF to PACER after go-live",
                              state=StepState.TODO, deadline=court.nextgen_go_live,
                              detail=f"link after go-live on {court.nextgen_go_live}: {path}"))
            continue
        note = "" if court.nextgen_go_live else " (go-live date not found)"
        linked = check.linked if check else None
        if linked is True:
            steps.append(Step(id=f"linked:{court_id}", court=court_id, title="Linked in CM/ECF", state=StepState.DONE))
        elif linked is False:
            steps.append(Step(id=f"linked:{court_id}", court=court_id, title="Link your CM/ECF account",
                              state=StepState.TODO, detail=path + note))
        else:
            reason = check.message if check and check.message else "not checked"
            steps.append(Step(id=f"linked:{court_id}", court=court_id, title="Link your CM/ECF account",
                              state=StepState.UNKNOWN, detail=reason + note))
    return steps


def build_checklist(
    result: Result,
    account: Account | None,
    page: AccountPage | None,
    findings: RosterFindings,
    courts: CourtRegistry,
    today: dt.date,
) -> list[Step]:
    if account is None or result.status is Status.INVALID_INPUT:
        return []
    steps = [_own_account(account, findings), _upgraded(result, account, courts, today), _mfa(page, today)]
    steps += _court_steps(result, account, courts, today)
    several = findings.several_accounts.get(_person(account.name)) if account.name else None
    if several:
        steps.append(Step(id="filing_agents", title="Use one account with filing agents", state=StepState.TODO,
                          detail=f"{account.display_name} has several logins ({', '.join(several)}); NextGen "
                                 "asks for one PACER account per person, with filing agents for staff"))
    if page and page.paa_label:
        steps.append(Step(id="firm_billing", title="Firm billing", state=StepState.INFO,
                          detail=f"billed to the firm PACER Administrative Account: {page.paa_label}"))
    return steps


def next_steps_from(steps: Iterable[Step]) -> list[str]:
    """What to do, soonest deadline first (steps without a deadline last)."""
    todo = [s for s in steps if s.state is StepState.TODO]
    todo.sort(key=lambda s: (s.deadline is None, s.deadline or dt.date.max))
    lines = []
    for step in todo:
        text = step.title + (f" ({step.court})" if step.court else "")
        if step.detail:
            text += f": {step.detail}"
        if step.deadline:
            text += f" — by {step.deadline.isoformat()}"
        lines.append(text)
    return lines


@dataclass
class CourtSummary:
    ready: int = 0
    not_ready: int = 0
    unknown: int = 0


def summarize_by_court(results: Iterable[Result]) -> dict[str, CourtSummary]:
    """How many attorneys are ready in each court: the court's steps and the account-wide ones all done."""
    summary: dict[str, CourtSummary] = {}
    for result in results:
        account_wide = [s for s in result.steps if s.id in ACCOUNT_WIDE]
        for court in sorted({s.court for s in result.steps if s.court}):
            relevant = account_wide + [s for s in result.steps if s.court == court and s.state is not StepState.INFO]
            entry = summary.setdefault(court, CourtSummary())
            if any(s.state is StepState.TODO for s in relevant):
                entry.not_ready += 1
            elif relevant and all(s.state is StepState.DONE for s in relevant):
                entry.ready += 1
            else:
                entry.unknown += 1
    return summary
