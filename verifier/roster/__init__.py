"""The roster: a firm's attorneys in, `Account`s (or the rows that cannot be used) out, every secret a
`SecretStr` from the moment it is read.

- `verifier.roster` (this package) offers `iter_roster` (stream the rows), `read_roster`,
  `roster_records` (the raw cells, for `secrets check`), `username_problem`, `RowError`, `RosterError`.
- `roster.secret_refs`: references in the secret columns (`keyring:`, `keepass:`, `env:`, `op://`,
  `literal:`) resolved before any sign-in; `roster.keepass` opens a KeePass database once.
- `roster.secrets_check`: `pacer-verify secrets check`; `roster.template`: `pacer-verify roster template`.
"""

from verifier.roster._rows import (
    CSV_FIELD_LIMIT,
    KNOWN,
    MAX_FIELD,
    NO_PASSWORD,
    PROBLEM,
    REQUIRED,
    TEXT_ONLY,
    CourtNames,
    Record,
    Roster,
    RosterError,
    RowError,
    iter_roster,
    read_roster,
    roster_records,
    username_problem,
)

__all__ = [
    "CSV_FIELD_LIMIT",
    "KNOWN",
    "MAX_FIELD",
    "NO_PASSWORD",
    "PROBLEM",
    "REQUIRED",
    "TEXT_ONLY",
    "CourtNames",
    "Record",
    "Roster",
    "RosterError",
    "RowError",
    "iter_roster",
    "read_roster",
    "roster_records",
    "username_problem",
]
