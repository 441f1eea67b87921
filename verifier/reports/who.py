"""Who must act, and what: attorneys grouped by what each must do, for the report's first screen.

A group is a duty (upgrade, enroll in MFA now, fix a sign-in, link a court, …), its members named first;
an attorney with several duties is in each of their groups. The groups come in the one order of next
steps (`models.STEP_ORDER`: a sign-in problem, own account, upgrade, MFA, case search, courts, the
rest), then what is the firm's IT's to do (rows not checked). The same keys tag each row of the
attorney table, so a card, a group or the "Show" filter lists the same people.

Not enrolled in MFA and not asked yet by PACER is no duty: a heads-up (readiness `_mfa`), with a filter
of its own but no group of names.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from verifier.models import Result, Status, Step, StepKind
from verifier.readiness import MfaAdvice, enroll_now_is_the_fix, mfa_advice, ordered_todo, skips_said
from verifier.statuses import NOT_CHECKED, SIGN_IN_PROBLEMS


@dataclass(frozen=True)
class Duty:
    key: str
    """The filter's value, the group's anchor and a row's tag: "upgrade", "mfa-now", …"""
    title: str
    """The group's heading: what its members must do."""
    label: str
    """The filter's (and card's) few words: "To upgrade"."""


#: In the one order of next steps; the firm's own (not checked) last.
DUTIES: tuple[Duty, ...] = (
    Duty("sign-in", "Fix a sign-in", "Sign-in problems"),
    Duty("own-account", "Get their own PACER account", "Shared username"),
    Duty("upgrade", "Upgrade the PACER account", "To upgrade"),
    Duty("mfa-now", "Enroll in MFA now (PACER asked)", "MFA: enroll now"),
    Duty("case-search", "Reactivate case search", "Case search inactive"),
    Duty("cmecf-login", "Find the current CM/ECF login", "CM/ECF login rejected"),
    Duty("link", "Link CM/ECF in a court", "To link in a court"),
    Duty("filing-agents", "Use one account with filing agents", "Several accounts"),
    Duty("reminder", "Answer PACER's reminder", "PACER's reminder"),
    Duty("not-checked", "Not checked: for IT (fix the row, or run again)", "Not checked"),
)
BY_KEY = {duty.key: duty for duty in DUTIES}
#: A checklist item's kind → its duty.
STEP_DUTY = {
    StepKind.OWN_ACCOUNT: "own-account",
    StepKind.UPGRADED: "upgrade",
    StepKind.MFA: "mfa-now",
    StepKind.CASE_SEARCH: "case-search",
    StepKind.CMECF_LOGIN: "cmecf-login",
    StepKind.LINKED: "link",
    StepKind.FILING_AGENTS: "filing-agents",
    StepKind.SITE_REMINDER: "reminder",
}
#: Tags that are no duty: the heads-ups and the two halves of the table.
HEADS_UP = {MfaAdvice.NOT_ASKED: "mfa-not-asked", MfaAdvice.OPTIONAL: "mfa-optional"}
HEADS_UP_LABEL = {"mfa-not-asked": "MFA: not asked yet", "mfa-optional": "MFA optional (PACER-only)"}


def duties(result: Result) -> list[str]:
    """The keys of what this attorney must do, in the one order."""
    keys: list[str] = []
    if result.status in SIGN_IN_PROBLEMS and not enroll_now_is_the_fix(result.update, result.steps):
        keys.append("sign-in")
    for step in ordered_todo(result.steps):
        key = STEP_DUTY.get(step.kind)
        if key and key not in keys:
            keys.append(key)
    if result.status is Status.LEGACY and "upgrade" not in keys:  # a result from before checklists
        keys.append("upgrade")
    if result.status in NOT_CHECKED:
        keys.append("not-checked")
    return keys


def tags(result: Result) -> list[str]:
    """A row's tags for the filters: its duties, its MFA heads-up, and "action" or "ready"."""
    found = duties(result)
    advice = mfa_advice(result.steps)
    if advice in HEADS_UP:
        found.append(HEADS_UP[advice])
    found.append("action" if result.needs_action else "ready")
    return found


@dataclass
class Member:
    name: str
    username: str
    anchor: str
    """The id of the attorney's row (their card on a phone)."""
    note: str = ""
    """What of the duty is theirs: the courts, the skips left, the status."""


@dataclass
class Group:
    duty: Duty
    members: list[Member] = field(default_factory=list)


def _courts(steps: Sequence[Step], kind: StepKind) -> str:
    return ", ".join(s.court or "" for s in ordered_todo(steps) if s.kind is kind and s.court)


def _note(result: Result, key: str) -> str:
    if key == "sign-in":
        if result.update is not None:
            said = skips_said(result.update)
            return f"{result.update.what}{', ' + said if said else ''}"
        return result.status.value
    if key == "mfa-now" and result.update is not None:
        return skips_said(result.update)
    if key == "link":
        return _courts(result.steps, StepKind.LINKED)
    if key == "cmecf-login":
        return _courts(result.steps, StepKind.CMECF_LOGIN)
    if key == "not-checked":
        return result.status.value
    return ""


def who_must_act(rows: Sequence[tuple[Result, str]]) -> list[Group]:
    """The groups with members, in the one order; `rows` are (result, row anchor) in the table's order."""
    groups = {duty.key: Group(duty) for duty in DUTIES}
    for result, anchor in rows:
        for key in duties(result):
            groups[key].members.append(Member(result.name, result.username, anchor, _note(result, key)))
    found = [group for group in groups.values() if group.members]
    for group in found:  # two Wendy Walkers in one group: say which is which
        names = [m.name for m in group.members]
        for member in group.members:
            if member.name and names.count(member.name) > 1:
                member.note = ", ".join(part for part in (member.username, member.note) if part)
    return found


def filter_counts(results: Sequence[Result]) -> dict[str, int]:
    """How many rows carry each tag (duties, heads-ups, "action", "ready")."""
    counts: dict[str, int] = {}
    for result in results:
        for tag in tags(result):
            counts[tag] = counts.get(tag, 0) + 1
    return counts
