"""Read a firm's roster (CSV or JSON) into accounts, row by row, without holding it all.

A bad row becomes a `RowError` naming the row and field; the good rows still come through. A
roster that cannot be read at all raises `RosterError` (exit code 2). Passwords and OTP secrets
become `SecretStr` the moment they are read and never appear in a message.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import csv
import json
import logging
import os
import re
import stat
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, SecretStr

from verifier.errors import UsageError
from verifier.models import NEXT_STEP, Account, Result, Status

log = logging.getLogger(__name__)

REQUIRED = ("username", "password")
KNOWN = ("name", "username", "password", "otp_secret", "courts", "cmecf_username", "cmecf_password")
MAX_FIELD = 1000
_COURT_SPLIT = re.compile(r"[\s,;]+")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class RosterError(UsageError):
    """The roster as a whole cannot be read."""


class RowError(BaseModel):
    """One roster row that cannot be used, and why. Never holds a secret."""

    row: int
    line: int
    field: str
    message: str
    name: str = ""
    username: str = ""

    def describe(self) -> str:
        where = f"row {self.row}" + (f" (line {self.line})" if self.line != self.row + 1 else "")
        return f"{where}, field '{self.field}': {self.message}"

    def to_result(self) -> Result:
        return Result(
            name=self.name or f"row {self.row}",
            username=self.username,
            row=self.row,
            status=Status.INVALID_INPUT,
            message=self.describe(),
            next_steps=[NEXT_STEP[Status.INVALID_INPUT]],
        )


@dataclass
class Roster:
    accounts: list[Account] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class _BadRow(Exception):
    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field_name = field_name
        self.message = message


# --- reading the file ------------------------------------------------------------------------------


def _warn(warnings: list[str] | None, message: str) -> None:
    log.warning("%s", message)
    if warnings is not None:
        warnings.append(message)


def _check_permissions(path: Path, warnings: list[str] | None) -> None:
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return
    if os.name == "posix" and mode & 0o077:
        _warn(warnings, f"{path.name} is readable by other users (mode {mode:04o}); it holds passwords: "
                        f"chmod 600 {path}")


def _sniff_encoding(path: Path, head: bytes, warnings: list[str] | None) -> str:
    if b"\x00" in head:
        raise RosterError(f"{path.name}: this is a binary file, not a CSV or JSON roster")
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    try:
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        return "utf-8-sig"
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in the ANSI code page: read it rather than refuse the whole roster.
        _warn(warnings, f"{path.name} is not UTF-8; read it as Windows-1252 (save as 'CSV UTF-8' to avoid this)")
        return "cp1252"


def iter_roster(
    path: Path | str,
    *,
    env: Mapping[str, str] | None = None,
    known_courts: set[str] | None = None,
    warnings: list[str] | None = None,
) -> Iterator[Account | RowError]:
    """Open and check the roster now (raising RosterError), then stream its rows."""
    path = Path(path)
    env = os.environ if env is None else env
    try:
        with path.open("rb") as handle:
            head = handle.read(65536)
    except OSError as exc:
        raise RosterError(f"{path}: cannot read the roster ({exc.strerror})") from None
    if not head.strip():
        raise RosterError(f"{path.name}: the roster is empty")
    _check_permissions(path, warnings)
    encoding = _sniff_encoding(path, head, warnings)
    text_head = head.decode(encoding, errors="replace").lstrip("\ufeff").lstrip()
    if text_head.startswith(("[", "{")):
        records = _json_records(path, encoding)
    else:
        records = _csv_records(path, encoding, text_head, warnings)
    return _accounts(records, env, known_courts)


def _csv_records(path: Path, encoding: str, head: str, warnings: list[str] | None) -> Iterator[tuple[int, int, dict]]:
    first_line = head.splitlines()[0] if head.splitlines() else ""
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    handle = path.open("r", encoding=encoding, newline="")
    reader = csv.reader(handle, delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        handle.close()
        raise RosterError(f"{path.name}: no header row ({exc})") from None
    columns = [h.strip().lstrip("\ufeff").lower().replace(" ", "_") for h in header]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        handle.close()
        found = ", ".join(c for c in columns if c) or "nothing"
        raise RosterError(f"{path.name}: missing required column '{missing[0]}' (found: {found}); "
                          f"the header must name at least {', '.join(REQUIRED)}")
    extra = [c for c in columns if c and c not in KNOWN]
    if extra:
        _warn(warnings, f"{path.name}: ignored unknown column(s): {', '.join(extra)}")

    def rows() -> Iterator[tuple[int, int, dict]]:
        with handle:
            row_number = 0
            line = reader.line_num + 1
            try:
                for values in reader:
                    if not any(v.strip() for v in values):
                        line = reader.line_num + 1
                        continue
                    row_number += 1
                    yield row_number, line, {c: v for c, v in zip(columns, values, strict=False) if c}
                    line = reader.line_num + 1
            except csv.Error as exc:
                raise RosterError(f"{path.name} line {reader.line_num}: not valid CSV ({exc})") from None

    return rows()


def _json_records(path: Path, encoding: str) -> Iterator[tuple[int, int, dict]]:
    try:
        data: Any = json.loads(path.read_text(encoding=encoding).lstrip("\ufeff"))
    except json.JSONDecodeError as exc:
        raise RosterError(f"{path.name}: not valid JSON (line {exc.lineno}: {exc.msg})") from None
    if isinstance(data, dict):
        data = data.get("attorneys", data.get("accounts"))
    if not isinstance(data, list):
        raise RosterError(f"{path.name}: a JSON roster is a list of attorneys, or {{\"attorneys\": [...]}}")
    if data and all(isinstance(item, dict) for item in data):
        keys = {str(k).strip().lower() for item in data for k in item}
        missing = [c for c in REQUIRED if c not in keys]
        if missing:
            raise RosterError(f"{path.name}: no attorney has the required key '{missing[0]}'")

    def rows() -> Iterator[tuple[int, int, dict]]:
        for index, item in enumerate(data, start=1):
            if not isinstance(item, dict):
                yield index, index, {"__not_an_object__": ""}
                continue
            yield index, index, {str(k).strip().lower(): "" if v is None else str(v) for k, v in item.items()}

    return rows()


# --- turning records into accounts -------------------------------------------------------------------


def _secret(value: str, field_name: str, env: Mapping[str, str]) -> SecretStr | None:
    value = value.strip()
    if value.lower().startswith("env:"):
        name = value[4:].strip()
        if not _ENV_NAME.match(name):
            raise _BadRow(field_name, "'env:' needs a variable name, e.g. env:PACER_PASSWORD_JDOE")
        if name not in env or not env[name]:
            raise _BadRow(field_name, f"environment variable {name} is not set")
        return SecretStr(env[name])
    return SecretStr(value) if value else None


def _otp_secret(value: str) -> SecretStr | None:
    cleaned = re.sub(r"[\s-]+", "", value).upper().rstrip("=")
    if not cleaned:
        return None
    try:
        base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))
    except (binascii.Error, ValueError):
        raise _BadRow("otp_secret", "not a base32 authenticator secret (letters A-Z and digits 2-7)") from None
    if len(cleaned) < 16:
        raise _BadRow("otp_secret", "too short for an authenticator secret (at least 16 characters)")
    return SecretStr(cleaned)


def _account(row: int, record: dict[str, str], env: Mapping[str, str], known: set[str] | None) -> Account:
    if "__not_an_object__" in record:
        raise _BadRow("(row)", "each attorney must be an object with name, username and password")
    for key, value in record.items():
        if len(value) > MAX_FIELD:
            raise _BadRow(key, f"longer than {MAX_FIELD} characters")
    username = record.get("username", "").strip()
    if not username:
        raise _BadRow("username", "missing username")
    password = _secret(record.get("password", ""), "password", env)
    if password is None:
        raise _BadRow("password", "empty password")
    courts = tuple(c.lower() for c in _COURT_SPLIT.split(record.get("courts", "").strip()) if c)
    unknown = [c for c in courts if known is not None and c not in known]
    if unknown:
        raise _BadRow("courts", f"unknown court id {unknown[0]!r} (see `pacer-verify courts`)")
    cmecf_username = record.get("cmecf_username", "").strip() or None
    cmecf_password = _secret(record.get("cmecf_password", ""), "cmecf_password", env)
    if cmecf_username and cmecf_password is None:
        raise _BadRow("cmecf_password", "a CM/ECF username without its password")
    return Account(
        row=row,
        name=" ".join(record.get("name", "").split()),
        username=username,
        password=password,
        otp_secret=_otp_secret(record.get("otp_secret", "")),
        courts=courts,
        cmecf_username=cmecf_username,
        cmecf_password=cmecf_password,
    )


def _accounts(
    records: Iterable[tuple[int, int, dict]], env: Mapping[str, str], known: set[str] | None
) -> Iterator[Account | RowError]:
    seen: dict[tuple[str, str], int] = {}
    for row, line, record in records:
        name = " ".join(record.get("name", "").split())[:200]
        username = record.get("username", "").strip()[:200]
        try:
            account = _account(row, record, env, known)
        except _BadRow as bad:
            yield RowError(row=row, line=line, field=bad.field_name, message=bad.message, name=name,
                           username=username)
            continue
        key = (account.username.lower(), account.name.lower())
        if key in seen:
            yield RowError(row=row, line=line, field="username", message=f"duplicate of row {seen[key]}",
                           name=name, username=username)
            continue
        seen[key] = row
        yield account


def read_roster(path: Path | str, **options: Any) -> Roster:
    """The whole roster at once (for small rosters and tests)."""
    roster = Roster()
    for item in iter_roster(path, warnings=roster.warnings, **options):
        (roster.accounts if isinstance(item, Account) else roster.errors).append(item)  # type: ignore[arg-type]
    return roster
