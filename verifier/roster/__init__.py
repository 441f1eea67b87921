"""The roster: a firm's attorneys in, `Account`s (or the rows that cannot be used) out, every secret a
`SecretStr` from the moment it is read.

- `verifier.roster` (this package) offers `iter_roster` (the rows, one at a time), `read_roster`,
  `roster_records` (the raw cells, for `secrets check`), `account_from_record` (one row's cells, or
  `check`'s command line, by the row rules), `username_problem`, `RowError`, `RosterError`.
- `roster._decode`: reading the file (its encoding) into records (`Record`, with a `RowProblem` when a row
  cannot be used), by `roster._csv` (dialects, comment lines, field counts) or `roster._json`, over one
  check of the columns (`roster._header`); `roster._rows`: the row rules, records into accounts.
- `roster.secret_refs`: references in the secret columns (`keyring:`, `keepass:`, `env:`, `op://`,
  `literal:`) resolved before any sign-in; `roster.keepass` opens a KeePass database once.
- `roster.secrets_check`: `pacer-verify secrets check`; `roster.template`: `pacer-verify roster template`.
"""

from verifier.errors import RosterError
from verifier.roster._decode import CSV_FIELD_LIMIT, KNOWN, REQUIRED, TEXT_ONLY, Record, RowProblem, roster_records
from verifier.roster._rows import (
    MAX_FIELD,
    NO_PASSWORD,
    CourtNames,
    Roster,
    RowError,
    account_from_record,
    iter_roster,
    read_roster,
    username_problem,
)

__all__ = [
    "CSV_FIELD_LIMIT",
    "KNOWN",
    "MAX_FIELD",
    "NO_PASSWORD",
    "REQUIRED",
    "TEXT_ONLY",
    "CourtNames",
    "Record",
    "Roster",
    "RosterError",
    "RowError",
    "RowProblem",
    "account_from_record",
    "iter_roster",
    "read_roster",
    "roster_records",
    "username_problem",
]
