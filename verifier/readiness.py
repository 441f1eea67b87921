"""What each attorney must still do for NextGen, as a checklist of steps. Pure: no I/O, no clock.

The rules follow the courts' NextGen notices (pacer-reference.md §4): an own individual account,
upgraded, enrolled in MFA (mandatory for CM/ECF users by Dec 31, 2025), the current CM/ECF login
known, and, from each court's go-live, the PACER account linked to the CM/ECF account there.
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
MFA_PATH = "Manage My Account → Settings → Manage MFA Settings → Add App"
LINK_PATH = "Utilities → Link a CM/ECF account to my PACER account"
LINK_PATH_APPELLATE = "Utilities → Link my filer account to my PACER account"
CURRENTGEN = "not on NextGen yet; keep using the court's CM/ECF login"
DATE_NOT_FOUND = "go-live date not found"


def person_key(name: str) -> str:
    """A person's name compared without regard to case or spacing."""
    return " ".join(name.split()).lower()


@dataclass
class RosterFindings:
    """Facts about the roster as a whole, found before any account is checked."""

    shared: dict[str, list[str]] = field(default_factory=dict)
    """A lowercased username used by more than one person → those people's names."""
    several_cmecf: dict[str, set[str]] = field(default_factory=dict)
    """A person (`person_key` of the name) with several logins → the logins: their CM/ECF usernames when
    more than one, and their PACER usernames when more than one."""


def roster_findings(accounts: Iterable[Account]) -> RosterFindings:
    """Shared usernames and people with several accounts. Rows without a name name no person."""
    names_by_username: dict[str, dict[str, str]] = defaultdict(dict)
    cmecf_by_person: dict[str, set[str]] = defaultdict(set)
    pacer_by_person: dict[str, set[str]] = defaultdict(set)
    for account in accounts:
        if not account.name.strip():
            continue
        person = person_key(account.name)
        names_by_username[account.username.lower()].setdefault(person, " ".join(account.name.split()))
        pacer_by_person[person].add(account.username.lower())
        if account.cmecf_username and account.cmecf_username.strip():
            cmecf_by_person[person].add(account.cmecf_username.strip().lower())
    shared = {u: sorted(names.values()) for u, names in names_by_username.items() if len(names) > 1}
    several: dict[str, set[str]] = {}
    for person in sorted(set(cmecf_by_person) | set(pacer_by_person)):
        logins = {*(cmecf_by_person[person] if len(cmecf_by_person[person]) > 1 else ()),
                  *(pacer_by_person[person] if len(pacer_by_person[person]) > 1 else ())}
        if logins:
            several[person] = logins
    return RosterFindings(shared=shared, several_cmecf=several)


def _court_ids(account: Account) -> list[str]:
    """The account's courts, lowercased, each once, in roster order."""
    return list(dict.fromkeys(c.strip().lower() for c in account.courts if c.strip()))


def _next_go_live(account: Account, courts: CourtRegistry, today: dt.date) -> dt.date | None:
    """The earliest NextGen go-live still ahead among the attorney's courts."""
    dates = []
    for court_id in _court_ids(account):
        court = courts.get(court_id)
        if court and court.generation == "nextgen" and court.nextgen_go_live and court.nextgen_go_live > today:
            dates.append(court.nextgen_go_live)
    return min(dates, default=None)


def _own_account(account: Account, findings: RosterFindings) -> Step:
    sharing = findings.shared.get(account.username.lower(), [])
    me = person_key(account.display_name)
    others = [n for n in sharing if person_key(n) != me]
    if others:
        return Step(id="own_account", title="Get your own individual PACER account", state=StepState.TODO,
                    detail=f"username {account.username} is also used by {', '.join(others)}; NextGen needs one "
                           "individual PACER account per person (a shared account cannot be linked for filing)")
    return Step(id="own_account", title="Own individual PACER account", state=StepState.DONE)


def _upgraded(result: Result, account: Account, courts: CourtRegistry, today: dt.date) -> Step:
    if result.status is Status.UPGRADED:
        return Step(id="upgraded", title="Upgraded PACER account", state=StepState.DONE)
    if result.status is Status.LEGACY:
        return Step(id="upgraded", title="Upgrade the PACER account", state=StepState.TODO,
                    deadline=_next_go_live(account, courts, today), detail=UPGRADE_PATH)
    reason = f"not known: the check ended as {result.status.value}"
    if result.message:
        reason += f" ({result.message})"
    return Step(id="upgraded", title="Upgraded PACER account", state=StepState.UNKNOWN, detail=reason)


def _mfa(result: Result, page: AccountPage | None, today: dt.date) -> Step:
    enrolled = page.mfa_enrolled if page is not None else result.mfa_enrolled
    if enrolled is True:
        return Step(id="mfa", title="Multi-factor authentication", state=StepState.DONE)
    if enrolled is False:
        overdue = (f" (overdue: required for CM/ECF users since {MFA_DEADLINE:%b} {MFA_DEADLINE.day}, "
                   f"{MFA_DEADLINE.year})") if today > MFA_DEADLINE else ""
        return Step(id="mfa", title="Enroll in multi-factor authentication", state=StepState.TODO,
                    deadline=MFA_DEADLINE, detail=MFA_PATH + overdue)
    return Step(id="mfa", title="Multi-factor authentication", state=StepState.UNKNOWN,
                detail="MFA status not read from Manage My Account")


def _cmecf_login(account: Account, court_id: str, check: CourtCheck | None) -> Step | None:
    if not account.cmecf_username or check is None or check.cmecf_login_ok is None:
        return None
    if check.cmecf_login_ok:
        return Step(id=f"cmecf_login:{court_id}", court=court_id, title="CM/ECF login works", state=StepState.DONE)
    return Step(id=f"cmecf_login:{court_id}", court=court_id, title="Find your current CM/ECF login",
                state=StepState.TODO,
                detail=f"the {court_id} CM/ECF rejected login {account.cmecf_username}; it is needed to link "
                       "after go-live: contact the court's CM/ECF help desk")


def _linked(result: Result, court_id: str, courts: CourtRegistry, check: CourtCheck | None,
            today: dt.date) -> Step:
    step_id = f"linked:{court_id}"
    court = courts.get(court_id)
    if court is None:
        return Step(id=step_id, court=court_id, title="Link in this court", state=StepState.UNKNOWN,
                    detail="court not in the registry (add it with --courts)")
    if court.generation != "nextgen":
        return Step(id=step_id, court=court_id, title="Not on NextGen yet", state=StepState.INFO, detail=CURRENTGEN)
    path = LINK_PATH_APPELLATE if court.kind == "appellate" else LINK_PATH
    go_live = court.nextgen_go_live
    if go_live is not None and today < go_live:
        return Step(id=step_id, court=court_id, title="Link CM/ECF to PACER after go-live", state=StepState.TODO,
                    deadline=go_live, detail=f"link after go-live on {go_live.isoformat()}: {path}")
    note = "" if go_live else f" ({DATE_NOT_FOUND})"
    linked = check.linked if check else None
    if linked is True:
        return Step(id=step_id, court=court_id, title="Linked in CM/ECF", state=StepState.DONE,
                    detail="" if go_live else DATE_NOT_FOUND)
    if linked is False:
        return Step(id=step_id, court=court_id, title="Link your CM/ECF account", state=StepState.TODO,
                    detail=path + note)
    if check is not None and check.message:
        reason = check.message
    elif not result.status.signed_in:
        reason = f"not checked: the sign-in ended as {result.status.value}"
    else:
        reason = "not checked"
    return Step(id=step_id, court=court_id, title="Link your CM/ECF account", state=StepState.UNKNOWN,
                detail=reason + note)


def build_checklist(
    result: Result,
    account: Account | None,
    page: AccountPage | None,
    findings: RosterFindings,
    courts: CourtRegistry,
    today: dt.date,
) -> list[Step]:
    """The attorney's checklist. No account (an invalid roster row) has none."""
    if account is None or result.status is Status.INVALID_INPUT:
        return []
    steps = [_own_account(account, findings), _upgraded(result, account, courts, today), _mfa(result, page, today)]
    checks = {c.court.strip().lower(): c for c in result.courts}
    for court_id in _court_ids(account):
        check = checks.get(court_id)
        login = _cmecf_login(account, court_id, check)
        if login is not None:
            steps.append(login)
        steps.append(_linked(result, court_id, courts, check, today))
    several = findings.several_cmecf.get(person_key(account.name)) if account.name.strip() else None
    if several:
        steps.append(Step(id="filing_agents", title="Use one account with filing agents", state=StepState.TODO,
                          detail=f"Use filing agents under one account: {account.display_name} has several logins "
                                 f"({', '.join(sorted(several))}); NextGen links one PACER account per person to "
                                 "CM/ECF, and staff file as that person's filing agents"))
    paa = page.paa_label if page is not None else result.firm_billing
    if paa:
        steps.append(Step(id="firm_billing", title="Firm billing", state=StepState.INFO,
                          detail=f"Billed to firm PACER Administrative Account: {paa}"))
    return steps


def next_steps_from(steps: Iterable[Step]) -> list[str]:
    """The TODO steps as sentences, soonest deadline first (steps without a deadline last).

    Each reads "Title (court): detail — by YYYY-MM-DD"; the reports split it on that shape.
    """
    todo = [s for s in steps if s.state is StepState.TODO]
    todo.sort(key=lambda s: (s.deadline is None, s.deadline or dt.date.max))  # stable: checklist order on ties
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
    """Attorneys per court: ready when the court's steps and the account-wide ones are all done (information
    steps aside), not ready when any of them is to do, unknown otherwise."""
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
