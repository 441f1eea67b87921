"""The run's switch from the Authentication API to the sign-on form: its decisions on a table (a pure
function, as the retry rule's are), and the one object that applies them. No browser."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from pydantic import SecretStr

from verifier.check._switch import SWITCH_FAILED, Event, SwitchState, decide
from verifier.check.verify import SignInSwitch
from verifier.models import Account, Status

A, B = object(), object()  # two accounts, as the switch tells them apart: by identity

API, FORM = SwitchState("api"), SwitchState("browser")
HELD, SPENT = SwitchState("browser", holder=A, spent=True), SwitchState("browser", spent=True)

#: (why, state before, what an account met, which account) → (form now, stop, state after)
TABLE: list[tuple[str, SwitchState, Event, object, bool, str, SwitchState]] = [
    ("no API: form for it, and for the run", API, Event.API_ABSENT, A, True, "", FORM),
    ("no API met again in flight: the form", FORM, Event.API_ABSENT, B, True, "", FORM),
    ("first refused session: the extra sign-in, a hold", API, Event.SESSION_REFUSED, A, True, "", HELD),
    ("refused while the extra is spent: no second", HELD, Event.SESSION_REFUSED, B, False, "", HELD),
    ("refused after the switch settled: no second", SPENT, Event.SESSION_REFUSED, B, False, "", SPENT),
    ("the holder asked again keeps its extra", HELD, Event.SESSION_REFUSED, A, True, "", HELD),
    ("the holder's form worked: the hold ends", HELD, Event.FORM_WORKED, A, False, "", SPENT),
    ("the holder's form failed too: the run stops", HELD, Event.FORM_FAILED, A, False, SWITCH_FAILED, SPENT),
    ("another account ending changes nothing", HELD, Event.FORM_FAILED, B, False, "", HELD),
    ("an end in a run never switched: nothing", API, Event.FORM_FAILED, A, False, "", API),
]


@pytest.mark.parametrize(
    ("why", "before", "event", "account", "form", "stop", "after"), TABLE, ids=[r[0] for r in TABLE]
)
def test_the_switch_decides_by_its_table(
    why: str, before: SwitchState, event: Event, account: object, form: bool, stop: str, after: SwitchState
) -> None:
    decision = decide(before, event, account)
    assert (decision.form, decision.stop, decision.state) == (form, stop, after), why


def test_the_run_switches_to_the_form_once_and_says_it_once() -> None:
    said = [
        decide(SwitchState("api"), Event.API_ABSENT, A).said,
        decide(SwitchState("browser"), Event.API_ABSENT, A).said,
    ]
    assert said[0] and not said[1]
    refused = decide(SwitchState("api"), Event.SESSION_REFUSED, A)
    assert refused.said and not decide(refused.state, Event.SESSION_REFUSED, B).said


def _account(username: str) -> Account:
    return Account(username=username, password=SecretStr("Mock-Passw0rd-1"))


def test_the_switch_holds_new_sign_ins_until_the_holder_ends(run_core: Callable[..., Any]) -> None:
    async def scenario() -> list[str]:
        switch = SignInSwitch("api")
        first, second = _account("asmith2001"), _account("bjones2002")
        seen: list[str] = []
        assert switch.form_after_refused_session(first) and switch.method == "browser"
        waiting = asyncio.ensure_future(switch.wait_settled())
        await asyncio.sleep(0)
        seen.append(f"held={not waiting.done()}")
        assert not switch.form_after_refused_session(second)
        assert switch.check_ended(second, Status.SITE_ERROR) == ""  # it held nothing
        await asyncio.sleep(0)
        seen.append(f"held={not waiting.done()}")
        seen.append(f"stop={switch.check_ended(first, Status.UPGRADED)!r}")
        await asyncio.wait_for(waiting, 5)
        seen.append(f"settled={switch.settled}")
        return seen

    assert run_core(scenario()) == ["held=True", "held=True", "stop=''", "settled=True"]


@pytest.mark.parametrize("status", [Status.SITE_ERROR, Status.UNRECOGNIZED_PAGE, None])
def test_a_holder_whose_form_did_not_work_stops_the_run(status: Status | None) -> None:
    switch = SignInSwitch("api")
    account = _account("asmith2001")
    assert switch.form_after_refused_session(account)
    assert switch.check_ended(account, status) == SWITCH_FAILED
    assert switch.settled
