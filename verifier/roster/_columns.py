"""Roster columns pacer-verify does not read: what each most likely meant, and which may hold a secret.

A column under another name is not harmless: `MFA Secret` instead of `otp_secret` signs MFA accounts in
without their secret, `Court` leaves the courts unchecked. The names people use are matched by a table
of the spellings seen in firms' spreadsheets and authenticator exports, then by closeness of spelling.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

#: Column names (as `roster._column` writes them: lower case, spaces as "_") that mean a known column.
ALIASES: dict[str, tuple[str, ...]] = {
    known: tuple(aliases.split())
    for known, aliases in {
        "otp_secret": "mfa_secret otp totp 2fa mfa otp_key mfa_key totp_secret totp_key 2fa_secret 2fa_key "
        "authenticator authenticator_secret authenticator_key secret secret_key seed otp_seed totp_seed mfa_seed "
        "setup_key",
        "courts": "court court_id court_ids courts_to_check districts district",
        "name": "attorney_name attorney full_name attorney_full_name display_name lawyer",
        "username": "user user_name login login_id loginid pacer_username pacer_user pacer_login user_id userid "
        "pacer_id",
        "password": "pass passwd pwd pacer_password pass_word pw",
        "cmecf_username": "ecf_username cm/ecf_username cmecf_user cmecf_login ecf_login",
        "cmecf_password": "ecf_password cm/ecf_password cmecf_pass ecf_pass",
        "email": "e_mail mail email_address e_mail_address",
        "client_code": "clientcode client billing_code client_id client_matter matter_code pacer_client_code",
    }.items()
}
_MEANT = {alias: known for known, aliases in ALIASES.items() for alias in aliases}
#: Words in a column name that say its cells are secrets (a password, an authenticator secret, a token).
_SECRET_WORDS = re.compile(r"pass|pwd|secret|otp|totp|2fa|mfa|token|seed|pin\b|key|credential|authenticator", re.I)
_SECRET_COLUMNS = frozenset({"password", "otp_secret", "cmecf_password"})


def meant(column: str, known: Iterable[str]) -> str | None:
    """The known column `column` most likely means, or None."""
    known = tuple(known)
    if column in _MEANT:
        return _MEANT[column]
    close = difflib.get_close_matches(column, known, n=1, cutoff=0.8)
    return close[0] if close else None


def holds_secret(column: str, known: Iterable[str]) -> bool:
    """Whether an unknown column would hold a secret: its name says so, or it means a secret column."""
    return bool(_SECRET_WORDS.search(column)) or meant(column, known) in _SECRET_COLUMNS


def described(header: str, column: str, known: Iterable[str]) -> str:
    """E.g. "'MFA Secret' (did you mean otp_secret?)"."""
    guess = meant(column, known)
    shown = f"'{header.strip()[:40]}'"
    return f"{shown} (did you mean {guess}?)" if guess else shown
