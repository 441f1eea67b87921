"""PACER's "User Update Required" prompt, read for what it asks. Pure: unit-tested on strings.

Since August 2025 the prompt is mostly PACER's demand to enrol in multi-factor authentication; it can
also demand a new password (the 2025 password standard, whose enforcement was announced as delayed),
or something else, in which case the page's own words are kept. PACER allows three skips; once they
are used the prompt has no Skip button and access is restricted (docs/real-site.md §1, "Updates
demanded at sign-in"). The exact wording is not published (**uncertain**), so the demand and the skips
are read from the usual ways of saying them, and pacer-verify never presses Skip: the skips are the
attorney's.
"""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import BaseModel

_MFA = re.compile(
    r"multi[\s-]*factor|\bmfa\b|two[\s-]*factor|\b2fa\b|authenticator\s+app|one[\s-]*time\s+pass\s*code", re.I
)
_PASSWORD = re.compile(
    r"\bpassword\b[^.]*\b(changed?|updated?|reset|expired|requirements?|standard)\b|"
    r"\b(change|update|reset)\s+your\s+password\b|\bnew\s+password\b",
    re.I,
)
_NUMBER = r"(\d+|one|two|three|four|five|no)"
_SKIPS = re.compile(
    rf"\bskip\b(\s+(this|it|the)\b)?(\s+(update|prompt|step|enrol\w*))?\s+{_NUMBER}\s+more\s+times?\b|"
    rf"\b{_NUMBER}\s+(more\s+)?skips?\s+(left|remaining)\b|\b{_NUMBER}\s+(skips?|times?)\s+remaining\b",
    re.I,
)
_RESTRICTED = re.compile(r"\baccess\s+(is\s+)?restricted\b|\brestricted\s+until\b|\bno\s+(more\s+)?skips\b", re.I)
_WORDS = {"no": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
SKIP_BUTTON = re.compile(r"^\s*(skip|skip\s+for\s+now|remind\s+me\s+later|not\s+now)\s*$", re.I)


class Demand(StrEnum):
    MFA_ENROLLMENT = "mfa_enrollment"
    PASSWORD = "password"
    MFA_ENROLLMENT_AND_PASSWORD = "mfa_enrollment_and_password"
    OTHER = "other"


class UpdateDemand(BaseModel):
    """What "User Update Required" demanded, as read from the prompt."""

    demand: Demand
    skips_left: int | None = None
    """As the prompt says it; 0 when it has no Skip button; None when it does not say."""
    restricted: bool = False
    """No Skip button (or the prompt says so): account access is restricted until the update."""
    text: str = ""
    """The prompt's own words (its start), for a demand that is neither MFA nor a password."""

    @property
    def mfa(self) -> bool:
        return self.demand in (Demand.MFA_ENROLLMENT, Demand.MFA_ENROLLMENT_AND_PASSWORD)

    @property
    def what(self) -> str:
        if self.demand is Demand.MFA_ENROLLMENT:
            return "enrollment in multi-factor authentication"
        if self.demand is Demand.PASSWORD:
            return "a new password"
        if self.demand is Demand.MFA_ENROLLMENT_AND_PASSWORD:
            return "enrollment in multi-factor authentication and a new password"
        return "an update"

    @property
    def skips(self) -> str:
        """ "2 skips left", "1 skip left", "no skips left (account access restricted)", or "" when unknown."""
        if self.restricted:
            return "no skips left (account access restricted)"
        if self.skips_left is None:
            return ""
        return f"{self.skips_left} skip{'' if self.skips_left == 1 else 's'} left"

    def summary(self) -> str:
        """E.g. "PACER demands enrollment in multi-factor authentication at sign-in: 2 skips left"."""
        line = f"PACER demands {self.what} at sign-in"
        line = f"{line}: {self.skips}" if self.skips else line
        return f'{line} (the prompt says: "{self.text}")' if self.demand is Demand.OTHER and self.text else line


def read_update_prompt(text: str, has_skip_button: bool | None = None, excerpt_chars: int = 300) -> UpdateDemand:
    """The prompt's demand and skips. `has_skip_button`: None when not known (the API's answer has
    no buttons: then only the words say whether access is restricted)."""
    squashed = re.sub(r"\s+", " ", text or "").strip()
    body = re.sub(r"^\s*user\s+update\s+required\s*:?\s*", "", squashed, flags=re.I)
    mfa, password = bool(_MFA.search(body)), bool(_PASSWORD.search(body))
    if mfa and password:
        demand = Demand.MFA_ENROLLMENT_AND_PASSWORD
    elif mfa:
        demand = Demand.MFA_ENROLLMENT
    elif password:
        demand = Demand.PASSWORD
    else:
        demand = Demand.OTHER
    skips_left = _skips(body)
    restricted = has_skip_button is False or (has_skip_button is None and bool(_RESTRICTED.search(body)))
    if restricted:
        skips_left = 0
    return UpdateDemand(demand=demand, skips_left=skips_left, restricted=restricted, text=body[:excerpt_chars])


def _skips(text: str) -> int | None:
    match = _SKIPS.search(text)
    if not match:
        return None
    number = next(group for group in match.groups() if group and re.fullmatch(_NUMBER, group, re.I))
    return int(number) if number.isdigit() else _WORDS[number.lower()]
