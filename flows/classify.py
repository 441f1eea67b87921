"""Pure rules that turn what a page says into a status. No browser here: unit-tested on strings."""

from __future__ import annotations

import re

from flows.answers import due_date
from flows.outcome import Status

_SPACE = re.compile(r"\s+")


def normalize(text: str | None) -> str:
    """Lower case, single spaces, no surrounding space or trailing colon."""
    return _SPACE.sub(" ", text or "").strip().strip(":").strip().lower()


# "(Upgrade)" is a link printed next to (or inside) a legacy account's type; it is not part of the type.
_UPGRADE_SUFFIX = re.compile(r"\s*\(?\s*upgrade\s*(now)?\s*\)?\s*$")


def classify_account_type(label: str | None) -> Status:
    """`Upgraded PACER Account` → upgraded, `Legacy PACER Account` → legacy, anything else → unrecognized."""
    text = normalize(label)
    # Only strip the suffix from a legacy label: "upgraded pacer account" must stay whole.
    if text.startswith("legacy"):
        text = _UPGRADE_SUFFIX.sub("", text)
    if text == "upgraded pacer account":
        return Status.UPGRADED
    if text == "legacy pacer account":
        return Status.LEGACY
    return Status.UNRECOGNIZED_PAGE


def clean_account_type(label: str | None) -> str | None:
    """The account type as the site names it, without the Upgrade link text."""
    if not label:
        return None
    text = _SPACE.sub(" ", label).strip().strip(":").strip()
    status = classify_account_type(text)
    if status is Status.UPGRADED:
        return "Upgraded PACER Account"
    if status is Status.LEGACY:
        return "Legacy PACER Account"
    return text


_MFA_OFF = re.compile(r"^(not\s+enrol+ed|not\s+active|not\s+set\s*up|disabled|off|no|none)\b|^enrol+\b(?!ed|ment)")
_MFA_ON = re.compile(r"^(enrol+ed|active|enabled|on|yes)\b")
# A value naming an enrolment: the authenticator app (PACER's MFA is an authenticator app only) or a date.
_MFA_APP = re.compile(r"\bauthenticat\w*|\bapps?\b|\btotp\b")


def parse_mfa(value: str | None) -> bool | None:
    """What Manage My Account's "Multifactor Auth" field says: `Not Enrolled` or an **Enroll** link alone
    (PACER's learning aid) → False; `Enrolled`, an authenticator app's name or a date (the day it was set
    up) → True; anything else → None, for the checklist to quote (docs/real-site.md §3)."""
    text = normalize(value)
    if not text:
        return None
    if _MFA_OFF.search(text):
        return False
    if _MFA_ON.search(text) or _MFA_APP.search(text) or due_date(text) is not None:
        return True
    return None


def label_pattern(label: str) -> re.Pattern[str]:
    """A text that starts with `label` (any spacing and case, an optional colon); group 1 is the rest."""
    # The label ends where a word does: "MFA" is not the start of "mfa2102", nor "Account Type" of "Account Types".
    label_at = r"^\s*" + r"\s*".join(map(re.escape, label.split())) + r"(?![^\s:])"
    return re.compile(label_at + r"\s*:?\s*(.*)$", re.I | re.S)


def inline_value(chunk: str, pattern: re.Pattern[str]) -> str | None:
    """The value written in the label's own text ("Account Type: Legacy"): "" when the text is the label
    alone, None when it is not the label at all."""
    match = pattern.match(chunk)
    return _SPACE.sub(" ", match.group(1)).strip() if match else None


def value_after(chunks: list[str], index: int, pattern: re.Pattern[str]) -> str | None:
    """The value of the label at `chunks[index]` read on in reading order, or None when it is no label."""
    value = inline_value(chunks[index], pattern)
    if value is None:
        return None
    following = [c for c in chunks[index + 1 :] if c.strip()]
    if not value and following:
        value = _SPACE.sub(" ", following.pop(0)).strip()
    # A value split across elements, e.g. "Legacy PACER Account" then an "(Upgrade)" link.
    if following and _UPGRADE_SUFFIX.fullmatch(" " + following[0].strip().lower()):
        value = f"{value} {following[0].strip()}"
    return value or None
