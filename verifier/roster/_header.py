"""What both roster readers share (verifier.roster._csv, verifier.roster._json): the record a row is read
into, the columns pacer-verify reads, and the one check of a roster's columns (required ones present,
unknown ones named, one that may hold a secret under another name refused)."""

from __future__ import annotations

import logging
import shlex
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from verifier.errors import RosterError
from verifier.roster._columns import described, holds_secret

log = logging.getLogger(__name__)

REQUIRED = ("username", "password")
KNOWN = (
    *("name", "username", "password", "otp_secret", "courts", "cmecf_username", "cmecf_password", "email"),
    "client_code",
)
#: JSON values that must be strings: a number or true sent as a password would be a real failed sign-in.
TEXT_ONLY = ("username", "password", "otp_secret", "cmecf_username", "cmecf_password")
#: Columns whose cells are secrets (a reference, or the secret itself).
SECRET_COLUMNS = ("password", "otp_secret", "cmecf_password")
#: A JSON roster's entry that is not an object: that row's problem.
NOT_AN_OBJECT = "each attorney must be an object with name, username and password"


@dataclass(frozen=True)
class RowProblem:
    """Why a row cannot be used, found while reading it: the field (or "(row)") and what is wrong."""

    field: str
    message: str


@dataclass(frozen=True)
class Record:
    """One roster row as read: its number among the data rows, the file line where it starts, and its
    cells ({column: text}, secrets and references as written), or the problem that makes it unusable
    (the row rules, verifier.roster._rows, report it as that row's error)."""

    row: int
    line: int
    cells: dict[str, str] = field(default_factory=dict)
    problem: RowProblem | None = None


@dataclass(frozen=True)
class Wanted:
    """What the caller wants of a roster's columns: those it checks without (`--ignore-column`), and
    whether a password column is needed (`serve` needs none: each attorney types their own)."""

    ignored: tuple[str, ...] = ()
    passwords: bool = True


def warn(warnings: list[str] | None, message: str) -> None:
    log.warning("%s", message)
    if warnings is not None:
        warnings.append(message)


def column(name: object) -> str:
    """A header cell or JSON key as a column name: trimmed, lowercased, inner spaces/dashes as '_'."""
    return "_".join(str(name).replace("\ufeff", "").replace("-", " ").split()).lower()


def check_header(
    path: Path, names: list[str], warnings: list[str] | None, wanted: Wanted, *, kind: str = "column"
) -> None:
    """The roster's columns (a CSV header's cells, or every key of a JSON roster's objects), checked:
    a `RosterError` for a required one missing, a known one named twice (a CSV header's `column`s), or
    an unknown one that may hold a secret (unless `wanted.ignored`); a warning naming the other unknown
    ones."""
    columns = [column(name) for name in names]
    missing = [c for c in REQUIRED if c not in columns and (wanted.passwords or c != "password")]
    if missing and not any(c in KNOWN for c in columns):
        # Most likely the header row was left out and this is the first attorney: do not echo a password.
        raise RosterError(
            f"{path.name}: missing required column '{missing[0]}'; the first line must be a "
            f"header naming the columns, at least {', '.join(REQUIRED)} "
            f"(found {len([c for c in columns if c])} columns, none of them known)"
        )
    if missing:
        raise RosterError(f"{path.name}: missing required column '{missing[0]}' (found: {_found(columns)})")
    twice = sorted({c for c in columns if c in KNOWN and columns.count(c) > 1}) if kind == "column" else []
    if twice:
        raise RosterError(f"{path.name}: column '{twice[0]}' appears more than once in the header")
    skip = {column(name) for name in wanted.ignored}
    unknown = [(name, column(name)) for name in names if column(name) and column(name) not in KNOWN]
    secret = [(name, c) for name, c in unknown if c not in skip and holds_secret(c, KNOWN)]
    if secret:
        name, named = secret[0]
        more = f" (and {len(secret) - 1} more such {kind}s)" if len(secret) > 1 else ""
        raise RosterError(
            f"{path.name}: {kind} {described(name, named, KNOWN)} is not one pacer-verify reads and may hold a "
            f"secret{more}; rename it, or pass --ignore-column {shlex.quote(name.strip())} to check without it"
        )
    if unknown:
        warn(
            warnings, f"{path.name}: ignored unknown {kind}(s): {', '.join(described(h, c, KNOWN) for h, c in unknown)}"
        )


def _found(columns: Iterable[str]) -> str:
    shown = [c[:40] for c in columns if c]
    more = f", and {len(shown) - 12} more" if len(shown) > 12 else ""
    return (", ".join(shown[:12]) + more) or "nothing"
