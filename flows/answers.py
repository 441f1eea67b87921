"""What a sign-in answer says, read sentence by sentence as a person reads it. Pure: no browser here.

One reader for both ways of signing in: the Authentication API's `errorDescription` (flows.auth_api)
and the messages on the sign-on form (flows.signin). Each sentence is read for what it *asserts*:

- a lockout that is only threatened ("will be locked after 3 more failed attempts") or denied
  ("Your account is not locked") is not a lockout;
- anything asking for a one-time code (passcode, OTP, 2FA, verification code) that is needed,
  required or missing asks for the code; an answer that refuses the code refuses the code, and one
  that names the username, the password *and* the code ("Invalid username, password, or one-time
  passcode") refuses one of the three without saying which;
- a password "must be changed by 2026-06-30" is a reminder with a date; one that must be changed
  "before you can continue" (or "User Update Required") blocks the sign-in;
- a client code that is required and was not entered ("A required Client Code was not entered. You may
  continue to log in … but you will not have PACER search privileges.") is a note beside a sign-in, not a
  refusal: the firm's billing account wants its code before PACER search works.

Wordings rest on docs/real-site.md §1 and §2: the guide's examples are known only through third-party
tests, and the locked and update wordings are not published, so the rules accept the usual ways of
saying each thing and leave anything else `UNKNOWN` (the caller reports the site's own text).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from flows.outcome import SignInOutcome


class Said(StrEnum):
    """What an answer asserts, strongest first (see `_RANK`)."""

    LOCKED = "locked"
    """Locked, disabled or suspended now."""
    INACTIVE = "inactive"
    """Inactive or not activated."""
    CREDENTIALS_OR_CODE_REFUSED = "credentials_or_code_refused"
    """Refuses the username, password or one-time code, without saying which."""
    CODE_REFUSED = "code_refused"
    """Refuses the one-time code only."""
    CREDENTIALS_REFUSED = "credentials_refused"
    """Refuses the username or password (or they fail the form's length rules)."""
    CODE_NEEDED = "code_needed"
    """Asks for a one-time code (needed, required, missing)."""
    FAILED = "failed"
    """"Login failed" and nothing more specific."""
    UPDATE_REQUIRED = "update_required"
    """The account must be updated (a password change) before the sign-in goes on."""
    SESSION_EXPIRED = "session_expired"
    UNKNOWN = "unknown"


_RANK = {said: rank for rank, said in enumerate(Said)}

# A sentence ends at . ! ? ; or a line break, but not at a decimal point or inside "e.g.".
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+")
_CODE = re.compile(
    r"one[\s-]*time\s*(pass)?\s*code|\bone[\s-]*time\s*password|\botp\b|\b2fa\b|\bmfa\s+code|verification\s+code|"
    r"authenticat\w*\s+code|security\s+code|\bpass\s*code\b|\btotp\b",
    re.I,
)
_CREDENTIALS = re.compile(r"\buser\s*name\b|\blogin(\s*id)?\b(?!\s+failed)|\bpassword\b|\bcredentials?\b", re.I)
_REFUSED = re.compile(
    r"\binvalid\b|\bincorrect\b|\bwrong\b|\bnot\s+(valid|correct|recogni[sz]ed)\b|\b(did|does)\s+not\s+match\b|"
    r"\brejected\b|\bunrecogni[sz]ed\b",
    re.I,
)
_CODE_EXPIRED = re.compile(r"\b(code|otp|passcode)\s+(has\s+|is\s+)?expired\b", re.I)
_NEEDED = re.compile(
    r"\b(is|are)\s+(needed|required)\b|\brequired\b|\brequires?\b|\bneeded\b|\bmissing\b|"
    r"\bnot\s+(provided|entered|supplied|given)\b|\bplease\s+(enter|provide|supply)\b|\bmust\s+(enter|provide|supply)\b",
    re.I,
)
_ENROLMENT = re.compile(r"\benrol+(ment|ed)?\b|\bset\s*up\b|\bsetup\b|\bregister\b", re.I)
_FAILED = re.compile(r"\b(log\s*in|login|sign[\s-]*in|sign[\s-]*on|authentication)\s+(has\s+)?failed\b", re.I)
_LENGTH_RULE = re.compile(r"\b(user\s*name|password)\s+must\s+be\s+at\s+least\s+\d+\s+characters\b", re.I)
_LOCK_WORD = re.compile(r"\b(locked(\s+out)?|disabled|suspended|deactivated)\b", re.I)
_INACTIVE_WORD = re.compile(r"\binactive\b|\bnot\s+(been\s+|yet\s+)?activated\b", re.I)
_LOCK_DENIED = re.compile(
    r"(\bnot\b|n't\b|\bno\s+longer\b|\bnever\b)\s+(\w+\s+){0,2}?(locked|disabled|suspended|deactivated|inactive)\b",
    re.I,
)
# A lockout threatened, not done: a future or a condition ("will be locked after 3 more failed attempts").
_LOCK_AHEAD = re.compile(
    r"\b(will|may|might|could|would|can|shall)\s+(soon\s+|then\s+)?(be|become|get)\s+(\w+\s+)?"
    r"(locked|disabled|suspended|deactivated)\b|\bafter\s+\d+\s+more\b|\b(attempts?|tries)\s+(remaining|left)\b|"
    r"\bbefore\s+(your|the|this)\s+account\b|\bto\s+avoid\b|\bif\s+you\b|\bunless\b|\bprevent\b",
    re.I,
)
_WHOSE = re.compile(r"\b(account|user|username|login|access|you)\b", re.I)
_UPDATE_TITLE = re.compile(r"\buser\s+update\s+required\b", re.I)
_PASSWORD_CHANGE = re.compile(
    r"\bpassword\b.*\b(must|has\s+to|needs\s+to|should)\s+be\s+(changed|updated|reset)\b|"
    r"\b(change|update|reset)\s+your\s+password\b|\bpassword\s+(has\s+)?expired\b|\bpassword\b.*\bwill\s+expire\b",
    re.I,
)
_BLOCKING = re.compile(
    r"\bbefore\s+you\s+(can\s+)?(continue|proceed|sign|log)|\bat\s+(log\s*in|login|sign[\s-]*in)\b|\bto\s+continue\b|"
    r"\bnow\b|\bhas\s+expired\b|\bexpired\b|\brestricted\b|\bimmediately\b",
    re.I,
)
_CLIENT_CODE = re.compile(r"\bclient\s*-?\s*code\b", re.I)
# What a missing client code costs, said beside it ("you will not have PACER search privileges").
_SEARCH_COST = re.compile(
    r"\bsearch(ing)?\b.*\b(privileges?|disabled|not\s+available|unavailable)\b|\bwill\s+not\s+have\b", re.I
)
_SESSION = re.compile(r"\bsession\s+(has\s+)?expired\b|\btimeout\s+error\b|\bview\s*state\b", re.I)
_DATE = re.compile(
    r"\b(\d{4})-(\d{2})-(\d{2})\b|\b(\d{1,2})/(\d{1,2})/(\d{4})\b|"
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})\b",
    re.I,
)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


@dataclass(frozen=True)
class Reminder:
    """Something the site reminds of while letting the sign-in through, with its date when it gives one."""

    text: str
    due: dt.date | None = None


@dataclass(frozen=True)
class Reading:
    """What an answer asserts, the sentence that says it, and any warning or reminder beside it."""

    said: Said
    sentence: str = ""
    warning: str = ""
    """A lockout threatened, not done ("will be locked after 3 more failed attempts")."""
    reminder: Reminder | None = None
    """A change asked for by a date ahead, which does not block the sign-in."""
    client_code: str = ""
    """The sentences saying a required client code was not given (and what that costs), in the site's words."""


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text or "") if s.strip()]


def read_answer(text: str) -> Reading:
    """The strongest thing `text` asserts, sentence by sentence."""
    said, said_in = Said.UNKNOWN, ""
    warning = ""
    reminder: Reminder | None = None
    asked: list[str] = []
    client_code: list[str] = []
    for sentence in sentences(text):
        if not warning and _LOCK_AHEAD.search(sentence) and _LOCK_WORD.search(sentence):
            warning = sentence
        if client_code_missing(sentence) or (client_code and _SEARCH_COST.search(sentence)):
            client_code.append(sentence)
            continue
        this = read_sentence(sentence)
        if this is Said.UPDATE_REQUIRED and not _blocks(sentence):
            asked.append(sentence)
            reminder = Reminder(" ".join(asked), next((due_date(a) for a in asked if due_date(a)), None))
            continue
        if _RANK[this] < _RANK[said]:
            said, said_in = this, sentence
    return Reading(said, said_in, warning, reminder, " ".join(client_code))


def client_code_missing(sentence: str) -> bool:
    """ "A required Client Code was not entered" (or "Client code required"): a note, never a refusal."""
    return bool(_CLIENT_CODE.search(sentence)) and bool(_NEEDED.search(sentence))


def read_sentence(sentence: str) -> Said:
    """What one sentence asserts."""
    if _SESSION.search(sentence):
        return Said.SESSION_EXPIRED
    # Said now (not denied, not threatened) of the account ("cookies are disabled" is not a lockout).
    settled = not _LOCK_DENIED.search(sentence) and not _LOCK_AHEAD.search(sentence) and bool(_WHOSE.search(sentence))
    if _LOCK_WORD.search(sentence) and settled:
        return Said.LOCKED
    if _INACTIVE_WORD.search(sentence) and settled and not _mentions_case_search(sentence):
        return Said.INACTIVE
    code, credentials = bool(_CODE.search(sentence)), bool(_CREDENTIALS.search(sentence))
    refused = bool(_REFUSED.search(sentence))
    if _UPDATE_TITLE.search(sentence) or (_PASSWORD_CHANGE.search(sentence) and not refused and not code):
        return Said.UPDATE_REQUIRED
    if code and (refused or _CODE_EXPIRED.search(sentence)):
        return Said.CREDENTIALS_OR_CODE_REFUSED if credentials else Said.CODE_REFUSED
    if credentials and (refused or _LENGTH_RULE.search(sentence)):
        return Said.CREDENTIALS_REFUSED
    if code and _NEEDED.search(sentence) and not _ENROLMENT.search(sentence):
        return Said.CODE_NEEDED
    if _FAILED.search(sentence) or re.search(r"\b(log\s*in|login)\s+(is\s+)?(invalid|incorrect)\b", sentence, re.I):
        return Said.FAILED
    if _LOCK_WORD.search(sentence) and _LOCK_AHEAD.search(sentence):
        return Said.FAILED  # a lockout threatened after this attempt: the attempt failed
    return Said.UNKNOWN


def _mentions_case_search(sentence: str) -> bool:
    # Manage My Account's "Case Search Status: Inactive" is about searching, not signing in.
    return bool(re.search(r"case\s+search", sentence, re.I))


def _blocks(sentence: str) -> bool:
    """Does this demand for an update stop the sign-in now ("User Update Required", "before you can
    continue", "has expired"), or is it a reminder (a date ahead, or no word of stopping)?"""
    if _UPDATE_TITLE.search(sentence):
        return True
    return bool(_BLOCKING.search(sentence)) and due_date(sentence) is None


def due_date(text: str) -> dt.date | None:
    """The first date written in `text` (2026-06-30, 6/30/2026, June 30, 2026), or None."""
    match = _DATE.search(text)
    if not match:
        return None
    try:
        if match.group(1):
            return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if match.group(4):
            return dt.date(int(match.group(6)), int(match.group(4)), int(match.group(5)))
        month = _MONTHS.index(match.group(7).lower()[:3]) + 1
        return dt.date(int(match.group(9)), month, int(match.group(8)))
    except ValueError:
        return None


BOTH_REFUSED = (
    "PACER refused the username, the password or the one-time passcode without saying which (a one-time code "
    "was sent with the password): check the password first, then the code"
)
CODE_ASKED_AGAIN = "PACER asked for a one-time passcode although one was sent: it did not take the code"


def otp_rejected_message(site_said: str, detail: str = "") -> str:
    """The one place an `otp_rejected` result's message is built: PACER took the password and refused
    the one-time code. What to check comes from the status table's next step (the otp_secret, the clock)."""
    lead = detail or "PACER accepted the password and refused the one-time passcode"
    return f"{lead}: {site_said}" if site_said else lead


def verdict(
    reading: Reading, site_said: str, *, code_sent: bool, password_accepted: bool = False
) -> tuple[SignInOutcome, str]:
    """A refusal read from `site_said` as a sign-in outcome and the result's message.

    `code_sent`: a one-time code went with (or after) the password. `password_accepted`: the site had
    already taken the password (the form's code step came after it), so a refusal now is the code's.
    """
    said = reading.said
    if said in (Said.LOCKED, Said.INACTIVE):
        return SignInOutcome.LOCKED, site_said
    if said is Said.CREDENTIALS_OR_CODE_REFUSED:
        if password_accepted:
            return SignInOutcome.OTP_REJECTED, otp_rejected_message(site_said)
        return SignInOutcome.INVALID_CREDENTIALS, f"{BOTH_REFUSED}: {site_said}" if code_sent else site_said
    if said is Said.CODE_REFUSED:
        if code_sent:
            return SignInOutcome.OTP_REJECTED, otp_rejected_message(site_said)
        return SignInOutcome.MFA_REQUIRED, site_said
    if said is Said.CODE_NEEDED:
        if code_sent:
            return SignInOutcome.OTP_REJECTED, otp_rejected_message(site_said, CODE_ASKED_AGAIN)
        return SignInOutcome.MFA_REQUIRED, site_said
    if said is Said.CREDENTIALS_REFUSED:
        return SignInOutcome.INVALID_CREDENTIALS, site_said
    if said is Said.FAILED:
        if password_accepted and code_sent:
            return SignInOutcome.OTP_REJECTED, otp_rejected_message(site_said)
        return SignInOutcome.INVALID_CREDENTIALS, f"{BOTH_REFUSED}: {site_said}" if code_sent else site_said
    if said is Said.UPDATE_REQUIRED:
        return SignInOutcome.UPDATE_REQUIRED, site_said
    if said is Said.SESSION_EXPIRED:
        return SignInOutcome.SESSION_EXPIRED, site_said
    return SignInOutcome.UNRECOGNIZED, site_said
