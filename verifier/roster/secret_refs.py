"""Secret references in a roster cell (or PACER_PASSWORD / PACER_OTP_SECRET): where the secret is kept,
instead of the secret itself.

    keyring: / keyring:SERVICE     the system keyring (service pacer-verify; key = the row's username,
                                   USERNAME:otp for otp_secret, USERNAME:cmecf for cmecf_password)
    keepass: / keepass:GROUP/TITLE an entry of the --keepass database (verifier.roster.keepass)
    env:NAME                       an environment variable
    op://vault/item/field          1Password, through `op read`
    literal:TEXT                   TEXT itself, for a password that happens to start like a reference

Anything else is the secret itself, unless it looks like a reference of a kind pacer-verify does not
know (`vault:…`, `bw:…`, `keyrnig:`): that is refused, never sent to PACER as a password (a wrong
password counts towards the attorney's lockout).

Everything resolved is a `SecretStr` at once. A reference that cannot be resolved raises
`SecretRefError`, whose message names what was looked for and why, never a secret. Nothing here knows
the roster's layout: the roster (and `check`) hand over a cell, its field and the row's username.
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from pydantic import SecretStr

from verifier.errors import SecretRefError as SecretRefError
from verifier.text import shown

KEYRING_SERVICE = "pacer-verify"
#: The kinds pacer-verify resolves (the text before the first colon, any case).
KINDS = ("keyring", "keepass", "env", "literal", "op")
#: Names of secret stores a firm may write as a prefix; pacer-verify has no resolver for them, so a
#: cell starting with one is surely a reference, not a password.
FOREIGN_KINDS = (
    "vault",
    "hashicorp",
    "bw",
    "bws",
    "bitwarden",
    "lastpass",
    "lpass",
    "pass",
    "gopass",
    "1password",
    "onepassword",
    "dashlane",
    "keychain",
    "secret",
    "secrets",
    "aws",
    "azure",
    "gcp",
    "doppler",
    "infisical",
    "file",
    "cmd",
    "exec",
)
_PREFIX = re.compile(r"^([A-Za-z][A-Za-z0-9_-]{0,15}):")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
#: `op read` asks 1Password's servers (or the desktop app); a hung CLI must not hang the run.
OP_TIMEOUT_S = 30.0
#: What each field is called in the keyring, after the row's username ("" for the password).
KEYRING_SUFFIX = {"password": "", "otp_secret": ":otp", "cmecf_password": ":cmecf"}


class KeyringLookup(Protocol):
    def __call__(self, service: str, key: str) -> str | None: ...


class EntrySource(Protocol):
    """An opened database answering `keepass:` references (verifier.roster.keepass.KeePassSource, which
    imports this module: a Protocol here keeps the two from importing each other)."""

    def resolve(self, reference: str, *, field_name: str, username: str) -> Resolved: ...


@dataclass(frozen=True)
class Resolved:
    """A cell's secret, and (KeePass) the TOTP secret of the same entry, for an empty otp_secret."""

    secret: SecretStr | None
    entry_totp: SecretStr | None = None
    source: str = "plain text"
    """How it was found, for `secrets check` (never the value): "keyring pacer-verify/jdoe1234"."""


def reference_kind(value: str) -> str | None:
    """The reference kind a cell is written as ("keyring", "op", ...), "" for a kind pacer-verify does
    not know, or None for a plain value."""
    text = value.strip()
    if text.startswith("op://"):
        return "op"
    match = _PREFIX.match(text)
    if match is None:
        return None
    prefix = match.group(1).lower()
    if prefix in KINDS:
        return prefix
    # A misspelt kind (keyrnig, keepas, evn) is a reference gone wrong, not a password.
    if prefix in FOREIGN_KINDS or _near_kind(prefix):
        return ""
    return None


def _near_kind(prefix: str) -> str | None:
    """The known kind a prefix is a slip of the keyboard for: letters swapped (evn), one missing or
    doubled (keepas, envv)."""
    swapped = [kind for kind in KINDS if len(kind) > 2 and sorted(kind) == sorted(prefix)]
    near = swapped or difflib.get_close_matches(prefix, KINDS, n=1, cutoff=0.75)
    return near[0] if near else None


def _unknown_kind(value: str) -> SecretRefError:
    match = _PREFIX.match(value.strip())
    prefix = match.group(1) if match else ""
    near = _near_kind(prefix.lower())
    hint = f"did you mean {near}:? " if near else ""
    return SecretRefError(
        f"{shown(prefix + ':')!r} is not a kind of reference pacer-verify knows; {hint}known: keyring:, keepass:, "
        "env:NAME, op://vault/item/field; a password that really starts like this: write literal: before it"
    )


@dataclass
class SecretSources:
    """Where references are resolved for one run: the environment, the system keyring, an opened
    KeePass database (or None), and the 1Password CLI. Lookups are remembered for the run, so rows that
    share a reference ask the keyring or `op` once."""

    env: Mapping[str, str] = field(default_factory=lambda: os.environ)
    keepass: EntrySource | None = None
    keyring_lookup: KeyringLookup | None = None
    op_timeout_s: float = OP_TIMEOUT_S
    _cache: dict[tuple[str, ...], SecretStr] = field(default_factory=dict, repr=False)

    def resolve(self, value: str, *, field_name: str, username: str, cmecf_username: str | None = None) -> Resolved:
        """The secret a cell stands for (None for an empty cell). `username` (the PACER username) is the
        key for `keyring:` and `keepass:`; a `keepass:` cmecf_password is the entry of `cmecf_username`."""
        text = value.strip()
        kind = reference_kind(text)
        if kind is None:
            # Sent exactly as written: a space may be part of a password, and a changed one is a failed
            # sign-in counting towards a lockout. The roster warns about it instead.
            return Resolved(SecretStr(value) if text else None)
        if kind == "":
            raise _unknown_kind(text)
        if kind == "literal":
            rest = value.lstrip()[len("literal:") :]
            return Resolved(SecretStr(rest) if rest else None, source="literal")
        if kind == "env":
            return self._env(text[4:].strip())
        if kind == "keyring":
            return self._keyring(text[len("keyring:") :].strip(), field_name, username)
        if kind == "keepass":
            if self.keepass is None:
                raise SecretRefError("a keepass: reference needs the database: --keepass FILE.kdbx")
            owner = cmecf_username if field_name == "cmecf_password" and cmecf_username else username
            return self.keepass.resolve(text[len("keepass:") :].strip(), field_name=field_name, username=owner)
        if not text.startswith("op://"):
            raise SecretRefError("a 1Password reference is written op://vault/item/field")
        return self._op(text)

    def _env(self, name: str) -> Resolved:
        if not _ENV_NAME.match(name):
            raise SecretRefError("'env:' needs a variable name, e.g. env:PACER_PASSWORD_JDOE")
        if name not in self.env:
            raise SecretRefError(f"environment variable {name} is not set")
        if not self.env[name]:
            raise SecretRefError(f"environment variable {name} is empty")
        if not is_text(self.env[name]):
            raise SecretRefError(f"environment variable {name} is not UTF-8 text")
        return Resolved(SecretStr(self.env[name]), source=f"env {name}")

    def _keyring(self, service: str, field_name: str, username: str) -> Resolved:
        service = service or KEYRING_SERVICE
        key = username + KEYRING_SUFFIX.get(field_name, "")
        where = f"service {service}, key {key}"
        cached = self._cache.get(("keyring", service, key))
        if cached is not None:
            return Resolved(cached, source=f"keyring {where}")
        lookup = self.keyring_lookup or _system_keyring
        found = lookup(service, key)
        if not found:
            raise SecretRefError(f"no keyring entry for {where}")
        secret = SecretStr(found)
        self._cache["keyring", service, key] = secret
        return Resolved(secret, source=f"keyring {where}")

    def _op(self, reference: str) -> Resolved:
        cached = self._cache.get(("op", reference))
        if cached is None:
            cached = self._cache["op", reference] = op_read(reference, self.op_timeout_s, self.env)
        return Resolved(cached, source="1Password")


def is_text(value: str) -> bool:
    """False for bytes the environment could not decode (Python keeps them as surrogates): they cannot be
    sent, and failing at the sign-in would be an internal error."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _system_keyring(service: str, key: str) -> str | None:
    import keyring  # imported on first use: it looks for a backend when loaded
    from keyring.errors import KeyringError, NoKeyringError

    try:
        return keyring.get_password(service, key)
    except NoKeyringError:
        raise SecretRefError(
            "no system keyring on this machine (a server without a desktop session has none): "
            "use keepass:, env: or op:// here"
        ) from None
    except KeyringError as exc:
        # E.g. no backend on a server without a desktop session; the message names the backend, not a secret.
        reason = " ".join(str(exc).split())[:160] or type(exc).__name__
        raise SecretRefError(f"the system keyring cannot be read ({shown(reason)})") from None


def op_read(reference: str, timeout_s: float, env: Mapping[str, str]) -> SecretStr:
    """A 1Password secret reference through the 1Password CLI (`op read`), which prints the value and a
    newline, or exits non-zero with an error on stderr (not found, not signed in)."""
    op = shutil.which("op", path=env.get("PATH", os.defpath))
    if op is None:
        raise SecretRefError(
            "an op:// reference needs the 1Password CLI, and `op` is not on PATH "
            "(install it and sign in, or use `op run` with env: references)"
        )
    try:
        done = subprocess.run(
            [op, "read", reference],
            capture_output=True,
            encoding="utf-8",  # what `op` writes on every system (text=True would read cp1252 on Windows)
            timeout=timeout_s,
            stdin=subprocess.DEVNULL,
            env=dict(env),
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise SecretRefError(f"`op read` gave no answer within {timeout_s:g} s") from None
    except UnicodeDecodeError:
        raise SecretRefError("1Password: `op read` answered with bytes that are not UTF-8 text") from None
    except OSError as exc:
        raise SecretRefError(f"`op` could not be started ({exc.strerror or exc})") from None
    value = done.stdout.removesuffix("\n").removesuffix("\r")
    if done.returncode != 0 or not value:
        raise SecretRefError(f"1Password: `op read` failed (exit {done.returncode}): {_op_reason(done.stderr, value)}")
    return SecretStr(value)


def _op_reason(stderr: str, value: str) -> str:
    """The gist of op's error, shortened; never a line that holds what op printed as a value."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    if not lines:
        return "no error message" if not value else "empty answer"
    line = lines[0]
    if value and value in line:
        return "its message is withheld (it repeats the answer)"
    # op prefixes "[ERROR] 2024/01/31 12:00:00 "; the sentence after it is what helps.
    line = re.sub(r"^\[ERROR\]\s*\d{4}/\d\d/\d\d \d\d:\d\d:\d\d\s*", "", line)
    return shown(line[:160] + ("..." if len(line) > 160 else ""))
