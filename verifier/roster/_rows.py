"""The roster's row rules: one record (a row's cells, from verifier.roster._decode or the command line)
becomes an `Account` or a `RowError` naming the row, line and field; the good rows still come through.

Secrets are resolved (references in the secret columns: verifier.roster.secret_refs) and become
`SecretStr` the moment they are read; they never appear in a message, warning, exception or repr. Court
ids are written the registry's way; a username PACER cannot have is refused before any sign-in. `check`
builds its one account through `account_from_record` too, so that its rules and warnings are these.
"""

from __future__ import annotations

import logging
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, SecretStr

from flows.otp import BadOtpSecret, normalize_secret
from verifier.errors import BadRow
from verifier.models import Account
from verifier.roster._decode import KNOWN, Record, roster_records
from verifier.roster.secret_refs import Resolved, SecretRefError, SecretSources

log = logging.getLogger(__name__)

#: Stands in for the password while a roster read with `passwords=False` is checked; replaced by "".
NO_PASSWORD = "-"
MAX_FIELD = 1000
_COURT_SPLIT = re.compile(r"[\s,;]+")

Place = Callable[[str], str]
"""Where a field was given, as a message starts: "row 4 (line 5), field 'courts'" in a roster, "--court"
on `check`'s command line."""


class RowError(BaseModel):
    """One roster row that cannot be used, and why. Never holds a secret."""

    model_config = ConfigDict(frozen=True)

    row: int
    line: int
    field: str
    message: str
    name: str = ""
    username: str = ""

    def describe(self) -> str:
        """E.g. "row 4 (line 5), field 'password': empty password"."""
        return f"row {self.row} (line {self.line}), field '{self.field}': {self.message}"


@dataclass
class Roster:
    """A whole roster at once (see `read_roster`)."""

    accounts: list[Account] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class CourtNames(Protocol):
    """What the roster needs of the court registry: a court's id however written, and near misses."""

    def canonical_id(self, text: str) -> str | None: ...

    def suggest(self, text: str, limit: int = 3) -> list[str]: ...


class _IdSet:
    """A plain set of court ids as `CourtNames` (ids compared without regard to case)."""

    def __init__(self, ids: Iterable[str]) -> None:
        self._ids = {c.strip().lower() for c in ids}

    def canonical_id(self, text: str) -> str | None:
        key = text.strip().lower()
        return key if key in self._ids else None

    def suggest(self, text: str, limit: int = 3) -> list[str]:
        return []


# --- the public entry points -------------------------------------------------------------------------


def iter_roster(
    path: Path | str,
    *,
    env: Mapping[str, str] | None = None,
    known_courts: CourtNames | Iterable[str] | None = None,
    warnings: list[str] | None = None,
    quiet: bool = False,
    secrets: SecretSources | None = None,
    ignore_columns: Iterable[str] = (),
    passwords: bool = True,
) -> Iterator[Account | RowError]:
    """Open and check the roster now (raising `RosterError`), then stream its rows as a generator.

    `secrets` resolves references in the secret columns (``keyring:``, ``keepass:``, ``env:NAME``,
    ``op://…``; see verifier.roster.secret_refs); without it, `env` is where ``env:NAME`` is read (default:
    `os.environ`) and there is no KeePass database. With `known_courts` (the court
    registry, or a set of ids), court ids are written the registry's way (`COD`, `CODC` and
    `ecf.cod.uscourts.gov` become `cod`) and an id it does not know goes to `Account.unknown_courts`
    with a warning naming the row; the account is still checked. Warnings are logged (row warnings not
    when `quiet`: a repeated pass over the same roster) and, if `warnings` is given, appended to it.
    An unknown column that may hold a secret is a `RosterError` unless named in `ignore_columns`.
    `passwords=False` (`serve`, where each attorney types their own): no password column is needed, no
    password or secret given is read, and each account's password is empty; such accounts are never
    signed in as read.
    """
    known = _court_names(known_courts)
    sources = secrets if secrets is not None else SecretSources(env=os.environ if env is None else env)
    records = roster_records(path, warnings, ignore_columns, passwords)
    if not passwords:  # no secret of the roster is read at all: each attorney types their own
        records = (replace(record, cells=_without_secrets(record.cells)) for record in records)
    accounts = _accounts(records, sources, known, _row_warner(warnings, quiet))
    if passwords:
        return accounts
    return (
        item.model_copy(update={"password": SecretStr("")}) if isinstance(item, Account) else item for item in accounts
    )


def _without_secrets(record: dict[str, str]) -> dict[str, str]:
    kept = {k: v for k, v in record.items() if k not in ("otp_secret", "cmecf_username", "cmecf_password")}
    return {**kept, "password": NO_PASSWORD}


def _court_names(known_courts: CourtNames | Iterable[str] | None) -> CourtNames | None:
    if known_courts is None or hasattr(known_courts, "canonical_id"):
        return known_courts  # type: ignore[return-value]
    return _IdSet(known_courts)


def _row_warner(warnings: list[str] | None, quiet: bool) -> Callable[[str], None]:
    """Row warnings: logged and collected, or (quiet: a repeated pass) only collected."""

    def warn(message: str) -> None:
        if not quiet:
            log.warning("%s", message)
        if warnings is not None:
            warnings.append(message)

    return warn


def read_roster(path: Path | str, **options: Any) -> Roster:
    """The whole roster at once, split into accounts, row errors and warnings (small rosters, tests)."""
    roster = Roster()
    for item in iter_roster(path, warnings=roster.warnings, **options):
        if isinstance(item, Account):
            roster.accounts.append(item)
        else:
            roster.errors.append(item)
    return roster


# --- turning records into accounts -------------------------------------------------------------------


def _secret(
    value: str, field_name: str, sources: SecretSources, username: str, cmecf_username: str | None = None
) -> Resolved:
    try:
        return sources.resolve(value, field_name=field_name, username=username, cmecf_username=cmecf_username)
    except SecretRefError as exc:
        raise BadRow(field_name, str(exc)) from None


def _otp_secret(value: SecretStr | None) -> SecretStr | None:
    # The same rule as `check` and the code generator (flows.otp), so what passes here signs in.
    if value is None:
        return None
    try:
        canonical = normalize_secret(value.get_secret_value())
    except BadOtpSecret as exc:
        raise BadRow("otp_secret", str(exc)) from None
    return SecretStr(canonical) if canonical else None


def _courts(value: str, known: CourtNames | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(registry ids, unknown ids as written): each once, in roster order."""
    written = [c.lower() for c in _COURT_SPLIT.split(value.strip()) if c]
    if known is None:
        return tuple(dict.fromkeys(written)), ()
    courts: list[str] = []
    unknown: list[str] = []
    for court in written:
        canonical = known.canonical_id(court)
        if canonical is not None:
            courts.append(canonical)
        elif len(court) > 40 or not re.fullmatch(r"[a-z0-9.:/_-]+", court):
            # Not something a court id could be (a pasted sentence, a password in the wrong column).
            raise BadRow(
                "courts",
                f"not a court id: {court[:40]!r}{'...' if len(court) > 40 else ''} (see `pacer-verify courts`)",
            )
        else:
            unknown.append(court)
    return tuple(dict.fromkeys(courts)), tuple(dict.fromkeys(unknown))


def _unknown_warning(where: str, unknown: tuple[str, ...], known: CourtNames | None) -> str:
    parts = []
    for court in unknown:
        near = known.suggest(court) if known is not None else []
        parts.append(f"{court!r}" + (f" (did you mean {' or '.join(near)}?)" if near else ""))
    return (
        f"{where}: unknown court id {', '.join(parts)}; the account is checked, that court is not "
        "(see `pacer-verify courts`)"
    )


def username_problem(username: str) -> str | None:
    """Why PACER cannot have this username, or None. Checked before any sign-in: each try with an
    impossible username would still count towards the account's lockout.

    PACER does not publish its username alphabet; its FAQ describes legacy usernames as lower-case
    letters followed by four digits and upgraded ones as 8+ characters (see docs/real-site.md). This
    accepts printable ASCII without spaces, which every described username fits: a guess on the safe side.
    """
    for position, char in enumerate(username, start=1):
        if not "!" <= char <= "~":
            label = unicodedata.name(char, "a control character" if unicodedata.category(char)[0] == "C" else "")
            return (
                f"character {position} is U+{ord(char):04X} {label}".rstrip()
                + "; PACER usernames are ASCII letters, digits and punctuation, without spaces"
            )
    return None


def _account(row: int | None, record: dict[str, str], sources: SecretSources, known: CourtNames | None) -> Account:
    for key in KNOWN:
        if len(record.get(key, "")) > MAX_FIELD:
            raise BadRow(key, f"longer than {MAX_FIELD} characters")
    username = record.get("username", "").strip()
    if not username:
        raise BadRow("username", "missing username")
    problem = username_problem(username)
    if problem:
        raise BadRow("username", problem)
    password = _secret(record.get("password", ""), "password", sources, username)
    if password.secret is None:
        raise BadRow("password", "empty password")
    # A KeePass entry's own TOTP serves a row that gives no otp_secret.
    otp_secret = _otp_secret(
        _secret(record.get("otp_secret", ""), "otp_secret", sources, username).secret or password.entry_totp
    )
    courts, unknown_courts = _courts(record.get("courts", ""), known)
    cmecf_username = record.get("cmecf_username", "").strip() or None
    cmecf_password = _secret(
        record.get("cmecf_password", ""), "cmecf_password", sources, username, cmecf_username
    ).secret
    if cmecf_username and cmecf_password is None:
        raise BadRow("cmecf_password", "a CM/ECF username without its password")
    client_code = " ".join(record.get("client_code", "").split()) or None
    problem = client_code_problem(client_code)
    if problem:
        raise BadRow("client_code", problem)
    return Account(
        row=row,
        name=" ".join(record.get("name", "").split()),
        username=username,
        password=password.secret,
        otp_secret=otp_secret,
        courts=courts,
        unknown_courts=unknown_courts,
        cmecf_username=cmecf_username,
        cmecf_password=cmecf_password,
        email=record.get("email", "").strip() or None,  # checked where it is used: `notices` warns
        client_code=client_code,
    )


#: PACER's limit for a client code (the sign-on form's field, docs/real-site.md §1).
CLIENT_CODE_MAX = 32


def client_code_problem(code: str | None) -> str | None:
    """Why PACER would not take this client code, or None (no code is fine: it is optional)."""
    if code is None:
        return None
    if len(code) > CLIENT_CODE_MAX:
        return f"{len(code)} characters; PACER takes a client code of at most {CLIENT_CODE_MAX}"
    if not code.isprintable():
        return "holds a control character; a client code is printable text"
    return None


def account_from_record(
    record: dict[str, str],
    sources: SecretSources,
    known_courts: CourtNames | Iterable[str] | None = None,
    *,
    row: int | None = None,
    line: int = 0,
    warn: Callable[[str], None] | None = None,
    place: Place | None = None,
) -> Account | RowError:
    """One record (a row's cells, {column: text}, secrets and references as written) by the roster's row
    rules: an `Account`, or a `RowError` naming the field and why. Its warnings (an unknown court, a
    password with a space at an end) go to `warn` (default: logged), each starting where the field was
    given: `place`, by default a roster's "row R (line L), field 'F'". `row` None: not from a file
    (`check`'s command line), and the account has no row."""
    known = _court_names(known_courts)
    checked = _checked(Record(row or 0, line, record), sources, known, row is not None)
    if isinstance(checked, Account):
        _warn_about(checked, known, warn or _logged, place or in_roster(row or 0, line))
    return checked


def in_roster(row: int, line: int) -> Place:
    """Where a field of a roster's row is: "row 4 (line 5), field 'courts'", as `RowError` says it."""
    return lambda field_name: f"row {row} (line {line}), field '{field_name}'"


def _logged(message: str) -> None:
    log.warning("%s", message)


def _checked(
    record: Record, sources: SecretSources, known: CourtNames | None, in_file: bool = True
) -> Account | RowError:
    """`in_file` False: cells from `check`'s command line, not a row of a file (the account has no row)."""
    cells = record.cells
    try:
        if record.problem is not None:
            raise BadRow(record.problem.field, record.problem.message)
        return _account(record.row if in_file else None, cells, sources, known)
    except BadRow as bad:
        return RowError(
            row=record.row,
            line=record.line,
            field=bad.field_name,
            message=bad.message,
            name=" ".join(cells.get("name", "")[:MAX_FIELD].split())[:200],
            username=cells.get("username", "")[:MAX_FIELD].strip()[:200],
        )


def _warn_about(account: Account, known: CourtNames | None, warn: Callable[[str], None], place: Place) -> None:
    if account.unknown_courts:
        warn(_unknown_warning(place("courts"), account.unknown_courts, known))
    for label, secret in (("password", account.password), ("cmecf_password", account.cmecf_password)):
        if secret is not None and secret.get_secret_value() != secret.get_secret_value().strip():
            warn(
                f"{place(label)}: starts or ends with a space, tab or line break; it is sent exactly as written "
                "(check the roster if that is not intended)"
            )


def _accounts(
    records: Iterable[Record], sources: SecretSources, known: CourtNames | None, warn: Callable[[str], None]
) -> Iterator[Account | RowError]:
    seen: dict[tuple[str, str], int] = {}  # (username, name) -> first row: small even for 100k rows
    for record in records:
        row, line = record.row, record.line
        checked = _checked(record, sources, known)
        if isinstance(checked, RowError):
            yield checked
            continue
        key = (checked.username.casefold(), checked.name.casefold())
        first = seen.setdefault(key, row)
        if first != row:
            yield RowError(
                row=row,
                line=line,
                field="username",
                message=f"duplicate of row {first} (same username and name)",
                name=checked.name[:200],
                username=checked.username[:200],
            )
            continue
        _warn_about(checked, known, warn, in_roster(row, line))
        yield checked
