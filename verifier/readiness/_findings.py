"""Facts about the roster as a whole, found before any account is checked: usernames several people share,
and people with several PACER accounts, or several CM/ECF logins for one court. Pure: accounts in,
findings out; the checklist (``_checklist``) turns them into each attorney's steps.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from verifier.models import Account

NO_COURT = "*"  # where a roster row's CM/ECF login belongs when the row names no court


def person_key(name: str) -> str:
    """A person's name compared without regard to case or spacing."""
    return " ".join(name.split()).lower()


def court_ids(account: Account) -> list[str]:
    """The account's courts, lowercased, each once, in roster order."""
    return list(dict.fromkeys(c.strip().lower() for c in account.courts if c.strip()))


@dataclass(frozen=True)
class SeveralAccounts:
    """One person's logins where the courts expect one: PACER usernames, and CM/ECF logins per court."""

    pacer: frozenset[str] = frozenset()
    cmecf: dict[str, frozenset[str]] = field(default_factory=dict)

    def logins(self) -> list[str]:
        return sorted(self.pacer.union(*self.cmecf.values()))

    def describe(self) -> str:
        parts = []
        if self.pacer:
            parts.append(f"PACER accounts {', '.join(sorted(self.pacer))}")
        for court, logins in sorted(self.cmecf.items()):
            where = "courts not given" if court == NO_COURT else court
            parts.append(f"CM/ECF logins {', '.join(sorted(logins))} ({where})")
        return "; ".join(parts)


@dataclass
class RosterFindings:
    """Facts about the roster as a whole, found before any account is checked."""

    shared: dict[str, list[str]] = field(default_factory=dict)
    """A lowercased username used by more than one person → those people's names."""
    several_accounts: dict[str, SeveralAccounts] = field(default_factory=dict)
    """A person (`person_key` of the name) with several PACER usernames, or several CM/ECF logins for one
    court → those logins."""


def _row_courts(account: Account) -> list[str]:
    return court_ids(account) or [NO_COURT]


def _several_cmecf(per_court: dict[str, set[str]]) -> dict[str, frozenset[str]]:
    """Courts where one person has more than one CM/ECF login. A login on a row without courts may be
    for any of them, so it counts in each."""
    anywhere = per_court.get(NO_COURT, set())
    several = {}
    for court, logins in per_court.items():
        together = logins if court == NO_COURT else logins | anywhere
        if len(together) > 1:
            several[court] = frozenset(together)
    if len(several) > 1:
        several.pop(NO_COURT, None)  # already counted in each named court
    return several


def roster_findings(accounts: Iterable[Account]) -> RosterFindings:
    """Shared usernames and people with several accounts. Rows without a name name no person, so they
    are left out: two nameless rows may well be two people."""
    names_by_username: dict[str, dict[str, str]] = defaultdict(dict)
    pacer_by_person: dict[str, set[str]] = defaultdict(set)
    cmecf_by_person: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for account in accounts:
        if not account.name.strip():
            continue
        person = person_key(account.name)
        names_by_username[account.username.lower()].setdefault(person, " ".join(account.name.split()))
        pacer_by_person[person].add(account.username.lower())
        login = (account.cmecf_username or "").strip().lower()
        if login:
            for court in _row_courts(account):
                cmecf_by_person[person][court].add(login)
    shared = {u: sorted(names.values()) for u, names in names_by_username.items() if len(names) > 1}
    several: dict[str, SeveralAccounts] = {}
    for person in sorted(pacer_by_person):
        pacer = pacer_by_person[person]
        found = SeveralAccounts(
            pacer=frozenset(pacer) if len(pacer) > 1 else frozenset(),
            cmecf=_several_cmecf(cmecf_by_person.get(person, {})),
        )
        if found.pacer or found.cmecf:
            several[person] = found
    return RosterFindings(shared=shared, several_accounts=several)
