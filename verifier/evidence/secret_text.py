"""Take an account's own secrets out of what the site said, before it is stored or shown.

A site may repeat what it was sent: an Authentication API `errorDescription`, a sign-on alert or a
page excerpt that echoes the password (issue 19 §3). Everything a `Result` carries came through
here, so results.jsonl/json/csv/html, junit.xml, history, notices, the terminal and the logs never
hold one. The secrets are searched in every spelling the trace scrubber knows (raw, JSON-, percent-,
form- and HTML-encoded, nested, base64; verifier.evidence._trace_scrub), long ones also as a person would
still recognise them (any letter case, spaces, dashes or dots between the characters; the rule is
`_trace_scrub.secret_pattern`'s). One-time codes, the one the attorney typed (`serve`) and those of the
account's authenticator around now (any this attempt may have used), are found as whole numbers: as
they are, split 3+3 (`246 810`, `246-810`, `246.810`) or with a space, dash or dot between any digits,
but never inside a longer number (`1246810`, `246 810 7` and `2026-12-01` keep their digits).
"""

from __future__ import annotations

import dataclasses
import re
import time
from collections.abc import Iterable
from enum import Enum
from typing import Any, TypeVar

from pydantic import BaseModel, SecretStr

from flows.otp import PERIOD_S, BadOtpSecret, code_at
from verifier.evidence._spellings import REDACTED, SecretPattern, search_and_replace, secret_patterns
from verifier.models import Account

M = TypeVar("M", bound=BaseModel)
D = TypeVar("D")

#: How far back a one-time code may have been typed in this attempt (a whole attempt's safety net
#: is several timeouts), and one step ahead for a site clock running fast.
CODE_STEPS_BACK = 20
CODE_STEPS_AHEAD = 1


class SecretText:
    """One account's secrets, ready to be searched for in any text the site produced."""

    def __init__(self, secrets: Iterable[SecretStr | None], codes: Iterable[str] = ()) -> None:
        self._patterns: list[SecretPattern] = secret_patterns(secrets)
        self._codes = code_pattern(codes)

    @classmethod
    def of(cls, account: Account, now: float | None = None) -> SecretText:
        typed = [account.otp_code.get_secret_value()] if account.otp_code is not None else []
        return cls(
            [account.password, account.otp_secret, account.cmecf_password],
            [*typed, *recent_codes(account.otp_secret, time.time() if now is None else now)],
        )

    def scrub(self, text: str) -> str:
        if not text:
            return text
        if self._patterns:
            text = search_and_replace(text.encode("utf-8"), self._patterns).decode("utf-8", "replace")
        if self._codes is not None:
            text = self._codes.sub(REDACTED, text)
        return text

    def scrub_model(self, model: M) -> M:
        """The same model with every string in it scrubbed (messages, labels, court notes, lists)."""
        data = model.model_dump()
        clean = self._scrub_value(data)
        return model if clean == data else type(model).model_validate(clean)

    def scrub_dataclass(self, value: D) -> D:
        """The same frozen dataclass with every string in it scrubbed, models and tuples in it too."""
        assert dataclasses.is_dataclass(value) and not isinstance(value, type)
        changes = {f.name: self._scrub_value(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return dataclasses.replace(value, **changes)

    def _scrub_value(self, value: Any) -> Any:
        if isinstance(value, BaseModel):
            return self.scrub_model(value)
        if isinstance(value, Enum):
            return value  # a status is ours, not the site's words
        if isinstance(value, str):
            return self.scrub(value)
        if isinstance(value, dict):
            return {key: self._scrub_value(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return type(value)(self._scrub_value(item) for item in value)
        return value


#: Between two digits of a code: one space (no-break too), dash or dot.
_CODE_GAP = "[ \u00a0.\\-]?"
_CODE_EDGE = "[ \u00a0.\\-]"


def code_pattern(codes: Iterable[str]) -> re.Pattern[str] | None:
    """The codes as whole numbers, in the spellings a person reads as the code (see the module's docstring)."""
    numbers = sorted({c for c in codes if c.isascii() and c.isdigit()})
    if not numbers:
        return None
    spelled = "|".join(_CODE_GAP.join(code) for code in numbers)
    # Not part of a longer number, even one written with the same separators.
    return re.compile(rf"(?<!\d)(?<!\d{_CODE_EDGE})(?:{spelled})(?!{_CODE_EDGE}?\d)")


def recent_codes(otp_secret: SecretStr | None, now: float) -> list[str]:
    """The codes the authenticator gave from a while ago to one step ahead: any this attempt spent."""
    if otp_secret is None:
        return []
    steps = range(-CODE_STEPS_BACK, CODE_STEPS_AHEAD + 1)
    try:
        return [code_at(otp_secret.get_secret_value(), now + step * PERIOD_S) for step in steps]
    except BadOtpSecret:
        return []


def scrub_text(text: str, account: Account) -> str:
    """`text` without any of `account`'s secrets: for a message made from what the site said."""
    return SecretText.of(account).scrub(text)
