"""The attorneys IT expects to check themselves: the roster's names, usernames and courts, no secrets."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from pydantic import SecretStr

from verifier.models import Account
from verifier.readiness import RosterFindings, roster_findings
from verifier.readiness.courts import CourtRegistry
from verifier.roster import iter_roster


@dataclass(frozen=True)
class Person:
    row: int
    username: str
    name: str = ""
    courts: tuple[str, ...] = ()
    unknown_courts: tuple[str, ...] = ()
    email: str | None = None
    client_code: str | None = None
    """The roster's `client_code` (the firm's, not a secret): sent with the attorney's sign-in."""

    @property
    def display_name(self) -> str:
        return self.name or self.username

    def account(self, password: SecretStr, otp_code: SecretStr | None) -> Account:
        """The account to check, with what only the attorney knows, typed just now."""
        return Account(
            row=self.row,
            username=self.username,
            name=self.name,
            password=password,
            otp_code=otp_code,
            courts=self.courts,
            unknown_courts=self.unknown_courts,
            email=self.email,
            client_code=self.client_code,
        )


@dataclass
class People:
    """The roster as `serve` knows it (empty without `--roster`)."""

    people: list[Person]
    warnings: list[str]

    def by_row(self, row: int) -> Person | None:
        return next((p for p in self.people if p.row == row), None)

    def by_username(self, username: str) -> Person | None:
        wanted = username.strip().lower()
        found = [p for p in self.people if p.username.lower() == wanted]
        return found[0] if len(found) == 1 else None  # a shared login is ambiguous: no name is guessed

    def findings(self) -> RosterFindings:
        """Shared logins and several accounts per person, as `bulk` finds them for the checklist."""
        return roster_findings(p.account(SecretStr(""), None) for p in self.people)


def read_people(roster: Path | None, courts: CourtRegistry) -> People:
    """The roster's usable rows; its passwords and secrets, if any, are not read into `serve` at all."""
    if roster is None:
        return People([], [])
    warnings: list[str] = []
    people = []
    for item in iter_roster(roster, env=os.environ, known_courts=courts, warnings=warnings, passwords=False):
        if not isinstance(item, Account):
            warnings.append(f"{roster.name} {item.describe()}; that row gets no personal link")
            continue
        person = Person(
            item.row or 0, item.username, item.name, item.courts, item.unknown_courts, item.email, item.client_code
        )
        people.append(person)
    return People(people, warnings)
