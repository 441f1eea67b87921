"""`pacer-verify secrets check`: every secret reference of a roster resolved, nothing signed in.

Each row's secret cells are resolved on their own (a failed password does not hide a failed
otp_secret), so IT sees every problem in one pass. The outcome says where each secret was found or
why not, never a value.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from flows.otp import BadOtpSecret, normalize_secret
from verifier.roster import roster_records, username_problem
from verifier.roster.secret_refs import Resolved, SecretRefError, SecretSources, reference_kind

SECRET_FIELDS = ("password", "otp_secret", "cmecf_password")


@dataclass(frozen=True)
class FieldCheck:
    row: int
    username: str
    field: str
    ok: bool
    detail: str
    """Where the secret was found ("keyring service pacer-verify, key jdoe1234"), or why it was not."""
    plain: bool = False
    """Written in the roster itself rather than as a reference."""


def check_roster(path: Path, sources: SecretSources, warnings: list[str] | None = None) -> Iterator[FieldCheck]:
    """A line per secret cell of every row (and per row that cannot be read at all)."""
    for read in roster_records(path, warnings):
        row, record = read.row, read.cells
        username = record.get("username", "").strip()
        if read.problem is not None:
            yield FieldCheck(row, username, read.problem.field, False, read.problem.message)
            continue
        problem = "missing username" if not username else username_problem(username)
        if problem:
            yield FieldCheck(row, username, "username", False, problem)
            continue
        yield from _row(row, username, record, sources)


def _row(row: int, username: str, record: dict[str, str], sources: SecretSources) -> Iterator[FieldCheck]:
    cmecf_username = record.get("cmecf_username", "").strip() or None
    entry_totp: Resolved | None = None
    for field_name in SECRET_FIELDS:
        value = record.get(field_name, "").strip()
        if not value:
            if field_name == "password":
                yield FieldCheck(row, username, field_name, False, "empty password")
            elif field_name == "otp_secret" and entry_totp is not None:
                yield _otp_check(row, username, entry_totp)
            elif field_name == "cmecf_password" and cmecf_username:
                yield FieldCheck(row, username, field_name, False, "a CM/ECF username without its password")
            continue
        try:
            resolved = sources.resolve(value, field_name=field_name, username=username, cmecf_username=cmecf_username)
        except SecretRefError as exc:
            yield FieldCheck(row, username, field_name, False, str(exc))
            continue
        if field_name == "password" and resolved.entry_totp is not None:
            entry_totp = Resolved(resolved.entry_totp, source=f"{resolved.source} (TOTP)")
        if field_name == "otp_secret":
            yield _otp_check(row, username, resolved)
            continue
        plain = reference_kind(value) in (None, "literal")
        yield FieldCheck(row, username, field_name, resolved.secret is not None, _where(resolved, plain), plain)


def _otp_check(row: int, username: str, resolved: Resolved) -> FieldCheck:
    plain = resolved.source in ("plain text", "literal")
    try:
        if resolved.secret is None or normalize_secret(resolved.secret.get_secret_value()) is None:
            return FieldCheck(row, username, "otp_secret", False, "empty authenticator secret")
    except BadOtpSecret as exc:
        where = "" if plain else f"{resolved.source}: "
        return FieldCheck(row, username, "otp_secret", False, f"{where}{exc}")
    return FieldCheck(row, username, "otp_secret", True, _where(resolved, plain), plain)


def _where(resolved: Resolved, plain: bool) -> str:
    if plain:
        return "plain text in the roster"
    return resolved.source
