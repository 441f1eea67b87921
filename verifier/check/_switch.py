"""The decisions of the run's switch from PACER's Authentication API to the sign-on form, as a pure
function: the run's state and what one account met in, a decision out (tested on a table, as
verifier.run._retry is). The rule in words, and the one object that applies it, is
`verifier.check.verify.SignInSwitch`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Literal

SignInMethod = Literal["api", "browser"]

SWITCH_FAILED = (
    "stopped: Manage My Account did not take the Authentication API's session, and the "
    "sign-on form did not sign in either; check one account by hand before running again"
)


class Event(StrEnum):
    API_ABSENT = "api_absent"
    """The API answered 404/405/501: no such service, the password was not processed."""
    SESSION_REFUSED = "session_refused"
    """The API signed in, yet Manage My Account asks to sign on: it did not take the API's session."""
    FORM_WORKED = "form_worked"
    """An account's check ended with an answer of the site (any status but site_error/unrecognized_page)."""
    FORM_FAILED = "form_failed"
    """An account's check ended in site_error or unrecognized_page, or failed."""


@dataclass(frozen=True)
class SwitchState:
    method: SignInMethod
    holder: object = None
    """The account making the run's one extra sign-in, until its check ends (new sign-ins wait meanwhile)."""
    spent: bool = False
    """The run's one extra sign-in has been taken."""


@dataclass(frozen=True)
class SwitchDecision:
    state: SwitchState
    form: bool = False
    """This account signs in with the form now."""
    stop: str = ""
    """The run stops, for this reason: no sign-in starts after it."""
    said: str = ""
    """Said once in the log."""


def decide(state: SwitchState, event: Event, account: object) -> SwitchDecision:
    """The rule of `SignInSwitch`, as a pure function of the run's state and what one account met."""
    if event is Event.API_ABSENT:
        said = "" if state.method == "browser" else ABSENT_SAID
        return SwitchDecision(replace(state, method="browser"), form=True, said=said)
    if event is Event.SESSION_REFUSED:
        if state.holder is account:  # its own extra sign-in, asked again: still its own
            return SwitchDecision(state, form=True)
        if state.spent:
            return SwitchDecision(state)
        return SwitchDecision(SwitchState("browser", holder=account, spent=True), form=True, said=REFUSED_SAID)
    if state.holder is not account:
        return SwitchDecision(state)  # the end of an account that held nothing changes nothing
    return SwitchDecision(replace(state, holder=None), stop="" if event is Event.FORM_WORKED else SWITCH_FAILED)


ABSENT_SAID = (
    "PACER's Authentication API is not there (the password was not processed); signing in with the sign-on "
    "form for every account of this run"
)
REFUSED_SAID = (
    "Manage My Account did not take the Authentication API's session; signing in with the sign-on form for "
    "the rest of this run"
)
