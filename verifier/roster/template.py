"""The text of an empty roster: the header with every column, a comment line per column, and two
commented example rows that keep no secret in the file (keyring: and keepass: references)."""

from __future__ import annotations

from verifier.roster import KNOWN

#: One line per roster column. No double quotes or line breaks: each comment stays one CSV line.
COLUMN_NOTES: dict[str, str] = {
    "name": "the attorney's name, for the reports (optional)",
    "username": "PACER username (required)",
    "password": "where the PACER password is kept (required): keyring: = the system keyring "
    "(service pacer-verify, key = the username); keepass: = the --keepass FILE.kdbx entry with this "
    "username, or keepass:GROUP/TITLE; env:VARNAME; op://vault/item/field (1Password CLI); "
    "a password written here is plain text (then chmod 600 this file)",
    "otp_secret": "the authenticator (TOTP) secret, for accounts with MFA: keyring: (key USERNAME:otp), "
    "keepass: (the entry's TOTP; also taken when this is empty and password is keepass:), env:VARNAME, op://...",
    "courts": "court ids separated by spaces, e.g. cod utb (see pacer-verify courts)",
    "cmecf_username": "the old CM/ECF login, checked on courts not yet on NextGen (optional)",
    "cmecf_password": "its password: keyring: (key USERNAME:cmecf), keepass: (the entry with the CM/ECF "
    "username), env:VARNAME, op://...",
    "email": "the attorney's e-mail address, for the notices' mail merge (optional)",
    "client_code": "the firm's PACER client code, for accounts under a firm's billing account that requires one "
    "(optional; not a secret): without it PACER allows no search in that session",
}

EXAMPLES = (
    "Jane Doe,jdoe1234,keyring:,keyring:,cod utb,,,jdoe@example.com,",
    "John Roe,jroe5678,keepass:,,cod,jroe,keepass:,jroe@example.com,SMITH-1234",
)


def template_text() -> str:
    """The roster template (CSV, comma-separated). Lines starting with # are comments to the roster
    reader; an example row below the header becomes an attorney once its "# example: " is deleted."""
    lines = [
        "# pacer-verify roster: one attorney per line below the header; lines starting with # are comments.",
        "# Check it with: pacer-verify secrets check roster.csv [--keepass FILE.kdbx]",
        *(f"# {column}: {COLUMN_NOTES[column]}" for column in KNOWN),
        ",".join(KNOWN),
        *(f"# example: {example}" for example in EXAMPLES),
    ]
    return "\n".join(lines) + "\n"
