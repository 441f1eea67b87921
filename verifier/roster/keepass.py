"""`keepass:` references: entries of one KeePass / KeePassXC database (KDBX 3 or 4, read by pykeepass),
opened once per run.

    keepass:              the entry whose username is the row's username (for cmecf_password: the
                          CM/ECF username); several → the one whose URL is on uscourts.gov, else an error
                          naming them by title
    keepass:GROUP/TITLE   the entry at that path (groups below the root, then the title)

An entry's TOTP secret (KeePassXC's `otp` attribute, an otpauth:// link; KeePass 2's
`TimeOtp-Secret-Base32`; the older `TOTP Seed`) is the row's otp_secret when the row gives none.
Entries in the recycle bin are never used.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import SecretStr

from verifier.errors import UsageError
from verifier.roster.secret_refs import Resolved, SecretRefError
from verifier.text import shown

MASTER_PASSWORD_ENV = "PACER_VERIFY_KEEPASS_PASSWORD"
#: Where KeePass 2 (TimeOtp-*) and older KeePassXC (TOTP Seed) keep an entry's TOTP secret.
TOTP_PROPERTIES = ("TimeOtp-Secret-Base32", "TOTP Seed")
#: PACER's own hosts (pacer.uscourts.gov, pacer.login.uscourts.gov, ecf.cod.uscourts.gov, ...; docs/real-site.md §1).
COURTS_DOMAIN = "uscourts.gov"


def master_password(env: Mapping[str, str], keyfile: Path | None, flag: str = "--keepass") -> SecretStr | None:
    """The database's master password: PACER_VERIFY_KEEPASS_PASSWORD, else a hidden prompt at a
    terminal; with no terminal, none when a key file alone may open it, else a usage error."""
    if env.get(MASTER_PASSWORD_ENV):
        return SecretStr(env[MASTER_PASSWORD_ENV])
    if sys.stdin is not None and sys.stdin.isatty():
        import typer

        typed = typer.prompt("KeePass master password", hide_input=True, default="", show_default=False)
        return SecretStr(typed) if typed else None
    if keyfile is not None:
        return None
    raise UsageError(f"{flag}: no master password: set {MASTER_PASSWORD_ENV} (or run at a terminal to be prompted)")


class KeePassSource:
    """One opened database, resolving `keepass:` references against it."""

    def __init__(self, database: Any, name: str) -> None:
        self._db = database
        self.name = name

    @classmethod
    def open(cls, path: Path, password: SecretStr | None, keyfile: Path | None = None) -> KeePassSource:
        """Open (and decrypt) the database once; a usage error naming the file when it cannot be."""
        from pykeepass import PyKeePass
        from pykeepass.exceptions import CredentialsError, HeaderChecksumError, PayloadChecksumError

        try:
            database = PyKeePass(
                os.fspath(path),
                password=password.get_secret_value() if password is not None else None,
                keyfile=os.fspath(keyfile) if keyfile is not None else None,
            )
        except (CredentialsError, HeaderChecksumError, PayloadChecksumError):
            raise UsageError(f"--keepass {shown(path.name)}: wrong master password or key file") from None
        except OSError as exc:
            raise UsageError(f"--keepass {shown(path.name)}: cannot read it ({exc.strerror or exc})") from None
        except Exception:
            # pykeepass raises construct's parse errors for a file that is not a KDBX database; their text
            # can quote the file's bytes, so it is not repeated.
            raise UsageError(f"--keepass {shown(path.name)}: not a KeePass database (KDBX 3 or 4)") from None
        return cls(database, path.name)

    def resolve(self, reference: str, *, field_name: str, username: str) -> Resolved:
        entry = self._entry(reference, username)
        title = shown(entry.title or "(untitled)")
        source = f"KeePass entry {title!r}"
        if field_name == "otp_secret":
            totp = entry_totp(entry)
            if totp is None:
                raise SecretRefError(f"KeePass entry {title!r} has no TOTP ({_totp_places()})")
            return Resolved(totp, source=source + " (TOTP)")
        if not entry.password:
            raise SecretRefError(f"KeePass entry {title!r} has no password")
        return Resolved(SecretStr(entry.password), entry_totp=_quiet_totp(entry), source=source)

    def _entry(self, reference: str, username: str) -> Any:
        entries = self._live_entries()
        if reference:
            wanted = [part for part in reference.split("/") if part]
            matches = [e for e in entries if list(e.path or []) == wanted]
            what = f"at {shown('/'.join(wanted))}"
        else:
            key = username.strip().casefold()
            matches = [e for e in entries if (e.username or "").strip().casefold() == key]
            what = f"for {shown(username)}"
        if len(matches) > 1:
            # The same login kept twice (an old copy, another site): PACER's own address decides.
            on_courts = [e for e in matches if _on_courts_domain(e.url)]
            if len(on_courts) == 1:
                return on_courts[0]
            named = ", ".join(repr(shown(e.title or "(untitled)")) for e in matches[:5])
            more = f" and {len(matches) - 5} more" if len(matches) > 5 else ""
            raise SecretRefError(f"KeePass: {len(matches)} entries {what}: {named}{more}")
        if not matches:
            raise SecretRefError(f"KeePass: no entry {what} in {shown(self.name)}")
        return matches[0]

    def _live_entries(self) -> list[Any]:
        bin_group = self._db.recyclebin_group
        if bin_group is None:
            return list(self._db.entries)
        in_bin = list(bin_group.path or [])
        return [e for e in self._db.entries if list(e.group.path or [])[: len(in_bin)] != in_bin]


def entry_totp(entry: Any) -> SecretStr | None:
    """The entry's TOTP secret as written there (an otpauth:// link or base32), or None."""
    if entry.otp:
        return SecretStr(entry.otp)
    for name in TOTP_PROPERTIES:
        value = entry.get_custom_property(name)
        if value:
            return SecretStr(value)
    others = [name for name in entry.custom_properties if name.startswith("TimeOtp-Secret")]
    if others:
        raise SecretRefError(
            f"KeePass entry {shown(entry.title or '(untitled)')!r} keeps its TOTP secret as {shown(others[0])}; "
            "pacer-verify reads TimeOtp-Secret-Base32 (in KeePass: Edit Entry > TOTP, encoding Base32)"
        )
    return None


def _quiet_totp(entry: Any) -> SecretStr | None:
    """The entry's TOTP for a row that gives no otp_secret; an unreadable one shows up at sign-in as
    mfa_required rather than costing the password's row."""
    try:
        return entry_totp(entry)
    except SecretRefError:
        return None


def _totp_places() -> str:
    return "an otp attribute, " + " or ".join(TOTP_PROPERTIES)


def _on_courts_domain(url: str | None) -> bool:
    if not url:
        return False
    text = url.strip()
    try:
        host = (urlsplit(text if "://" in text else "//" + text).hostname or "").lower()
    except ValueError:
        return False
    return host == COURTS_DOMAIN or host.endswith("." + COURTS_DOMAIN)
