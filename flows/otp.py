"""Authenticator (TOTP, RFC 6238) secrets as people have them, and the codes they make.

One rule for every place a secret comes in (roster rows, `check`'s PACER_OTP_SECRET, the mock's
accounts): base32 of at least 80 bits (16 characters, what most authenticator apps show), any case,
grouped with spaces or dashes, with or without `=` padding, or a pasted `otpauth://totp/...` link.

The codes are computed here rather than with pyotp, whose own minimum is 112 bits: a 16-character
secret that passes validation must also make codes (PACER's MFA is plain TOTP: 6 digits, 30 s,
SHA-1, as authenticator apps default to; see docs/real-site.md).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import struct
import time
from collections.abc import Awaitable, Callable
from urllib.parse import parse_qs, urlsplit

from pydantic import SecretStr

from flows.errors import BadOtpSecret as BadOtpSecret

MIN_BITS = 80
DIGITS = 6
PERIOD_S = 30
_BASE32 = re.compile(r"^[A-Z2-7]+$")


CodeSource = Callable[[SecretStr], Awaitable[str]]
"""Makes the one-time code to send now for a secret. The sign-in flows ask one of these rather than the
clock, so that the caller can spend each code once per account (verifier.check.otp_ledger) and use the site's
clock."""


async def code_now(secret: SecretStr) -> str:
    """The plain code source: this machine's clock, nothing remembered (the mock's own tests)."""
    return code_at(secret.get_secret_value())


def normalize_secret(value: str) -> str | None:
    """The secret as canonical base32 (upper case, no separators, no padding); None when empty.

    Raises BadOtpSecret with a message fit for a user.
    """
    text = value.strip()
    if text[:10].lower() == "otpauth://":
        text = _secret_from_link(text)
    cleaned = re.sub(r"[\s-]+", "", text).upper().rstrip("=")
    if not cleaned:
        return None
    if not _BASE32.match(cleaned):
        raise BadOtpSecret("not a base32 authenticator secret (letters A-Z and digits 2-7)")
    try:
        key = _decode(cleaned)
    except (binascii.Error, ValueError):
        raise BadOtpSecret("not a base32 authenticator secret (its length does not decode)") from None
    if len(key) * 8 < MIN_BITS:
        raise BadOtpSecret("too short for an authenticator secret (at least 16 characters)")
    return cleaned


def code_at(secret: str, when: float | None = None) -> str:
    """The 6-digit code for `secret` (any accepted form) at time `when` (now by default)."""
    canonical = normalize_secret(secret)
    if canonical is None:
        raise BadOtpSecret("empty authenticator secret")
    counter = int((time.time() if when is None else when) // PERIOD_S)
    return _hotp(_decode(canonical), counter)


def verify_code(secret: str, code: str, window: int = 1, when: float | None = None) -> bool:
    """Whether `code` is right for `secret` within `window` steps either side (clock drift)."""
    if len(code) != DIGITS or not (code.isascii() and code.isdigit()):
        return False
    now = time.time() if when is None else when
    return any(hmac.compare_digest(code_at(secret, now + step * PERIOD_S), code) for step in range(-window, window + 1))


def matching_step(secret: str, code: str, window: int = 1, when: float | None = None) -> int | None:
    """The 30-second step (counter) whose code `code` is, within `window` steps either side; None when none.

    A verifier that must not accept a code twice (RFC 6238 section 5.2) remembers this step.
    """
    if len(code) != DIGITS or not (code.isascii() and code.isdigit()):
        return None
    now = time.time() if when is None else when
    for offset in range(-window, window + 1):
        moment = now + offset * PERIOD_S
        if hmac.compare_digest(code_at(secret, moment), code):
            return int(moment // PERIOD_S)
    return None


def step_at(when: float) -> int:
    """The RFC 6238 time step (counter) at `when` (seconds since the epoch)."""
    return int(when // PERIOD_S)


def _secret_from_link(link: str) -> str:
    try:
        parts = urlsplit(link)
        query = parse_qs(parts.query)
    except ValueError:
        raise BadOtpSecret("an otpauth:// link that cannot be read") from None
    if parts.netloc.lower() != "totp":
        raise BadOtpSecret("an otpauth:// link that is not for a time-based code (otpauth://totp/...)")
    # Anything but the defaults would make different codes from what PACER expects.
    for name, default in (("algorithm", "SHA1"), ("digits", str(DIGITS)), ("period", str(PERIOD_S))):
        given = query.get(name, [default])[0]
        if given.upper() != default:
            raise BadOtpSecret(f"an otpauth:// link with {name}={given}; only {name}={default} is supported")
    secret = query.get("secret", [""])[0]
    if not secret:
        raise BadOtpSecret("an otpauth:// link without a secret= parameter")
    return secret


def _decode(canonical: str) -> bytes:
    return base64.b32decode(canonical + "=" * (-len(canonical) % 8))


def _hotp(key: bytes, counter: int) -> str:
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**DIGITS).zfill(DIGITS)
