"""The readiness checklist rules: one test per rule, with the day as a parameter."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers import make_result
from pydantic import SecretStr

from flows.update_prompt import Demand
from verifier.models import Account, AccountPage, CourtCheck, Result, Status, Step, StepState, UpdateDemand
from verifier.readiness import (
    CourtSummary,
    MfaAdvice,
    RosterFindings,
    SeveralAccounts,
    build_checklist,
    deadline_phrase,
    mfa_advice,
    next_steps_for,
    next_steps_from,
    roster_findings,
    said_all,
    summarize_by_court,
)
from verifier.readiness.courts import Court, CourtRegistry
from verifier.statuses import FACTS

TODAY = dt.date(2026, 11, 22)
COURTS = CourtRegistry(
    {
        c.id: c
        for c in [
            Court(id="cod", name="District of Colorado", kind="district", nextgen_go_live=dt.date(2021, 8, 2)),
            Court(id="utb", name="District of Utah", kind="bankruptcy", nextgen_go_live=dt.date(2027, 3, 1)),
            Court(id="mdd", name="District of Maryland", kind="district", nextgen_go_live=dt.date(2027, 1, 4)),
            Court(id="cob", name="District of Colorado", kind="bankruptcy"),  # NextGen, date not found
            Court(id="ca10", name="Tenth Circuit", kind="appellate", nextgen_go_live=dt.date(2020, 1, 1)),
            Court(id="ca9", name="Ninth Circuit", kind="appellate", nextgen_go_live=dt.date(2027, 2, 1)),
            Court(id="nysd", name="Southern District of New York", kind="district", generation="currentgen"),
        ]
    }
)


def account(
    username: str = "asmith2001", name: str = "Alice Smith", courts: tuple[str, ...] = (), cmecf: str | None = None
) -> Account:
    return Account(
        username=username,
        name=name,
        password=SecretStr("Passw0rd-1"),
        courts=courts,
        cmecf_username=cmecf,
        cmecf_password=SecretStr("Old-Passw0rd") if cmecf else None,
    )


def checklist(
    status: Status,
    acct: Account,
    *,
    mfa: bool | None = True,
    checks: tuple[CourtCheck, ...] = (),
    today: dt.date = TODAY,
    others: tuple[Account, ...] = (),
    paa: str | None = None,
    page: bool = True,
    message: str = "",
) -> dict[str, Step]:
    result = make_result(
        name=acct.display_name,
        username=acct.username,
        status=status,
        courts=list(checks),
        message=message,
        mfa_enrolled=mfa,
        firm_billing=paa,
    )
    the_page = AccountPage(mfa_enrolled=mfa, paa_label=paa) if page else None
    steps = build_checklist(result, acct, the_page, roster_findings([acct, *others]), COURTS, today)
    by_id = {s.id: s for s in steps}
    assert len(by_id) == len(steps), "step ids are unique"
    return by_id


def state(steps: dict[str, Step], step_id: str) -> StepState:
    return steps[step_id].state


# --- Roster findings -------------------------------------------------------------------------------------


def test_shared_username_across_people() -> None:
    findings = roster_findings(
        [account(), account(username="ASMITH2001", name="Bob Jones"), account(username="bjones", name="Bob Jones")]
    )
    assert findings.shared == {"asmith2001": ["Alice Smith", "Bob Jones"]}


def test_same_person_spelt_differently_is_not_sharing() -> None:
    findings = roster_findings([account(name="Alice Smith"), account(name="  alice   SMITH ")])
    assert findings.shared == {}


def test_rows_without_a_name_name_no_person() -> None:
    findings = roster_findings([account(name=""), account(name="Alice Smith"), account(username="x", name="")])
    assert findings == RosterFindings()


def test_several_cmecf_logins_for_one_court() -> None:
    findings = roster_findings(
        [
            account(courts=("cod", "utb"), cmecf="asmith"),
            account(username="asmith2", name="alice smith", courts=("COD",), cmecf="ASmith-old"),
            account(username="bjones", name="Bob Jones", courts=("cod",), cmecf="bjones"),
        ]
    )
    found = findings.several_accounts["alice smith"]
    assert found.cmecf == {"cod": {"asmith", "asmith-old"}}  # utb has one login: fine
    assert found.pacer == {"asmith2001", "asmith2"}
    assert found.logins() == ["asmith", "asmith-old", "asmith2", "asmith2001"]
    assert set(findings.several_accounts) == {"alice smith"}


def test_one_cmecf_login_per_court_is_not_several() -> None:
    # Before NextGen each court issued its own login: different logins in different courts are normal.
    findings = roster_findings([account(courts=("cod",), cmecf="asmith"), account(courts=("utb",), cmecf="a-smith")])
    assert findings.several_accounts == {}


def test_a_login_without_courts_counts_in_every_court() -> None:
    findings = roster_findings([account(courts=("cod",), cmecf="asmith"), account(cmecf="a-smith")])
    assert findings.several_accounts["alice smith"].cmecf == {"cod": {"asmith", "a-smith"}}
    only_unplaced = roster_findings([account(cmecf="asmith"), account(cmecf="a-smith")])
    described = only_unplaced.several_accounts["alice smith"].describe()
    assert described == "CM/ECF logins a-smith, asmith (courts not given)"


def test_several_pacer_usernames_without_cmecf() -> None:
    findings = roster_findings([account(), account(username="alice9999")])
    assert findings.several_accounts == {"alice smith": SeveralAccounts(pacer=frozenset({"asmith2001", "alice9999"}))}


def test_one_cmecf_login_in_two_rows_is_not_several() -> None:
    findings = roster_findings([account(cmecf="asmith"), account(cmecf="ASMITH")])
    assert findings.several_accounts == {}


# --- own_account, upgraded, mfa --------------------------------------------------------------------------


def test_own_account_done_and_shared() -> None:
    alice, bob = account(), account(name="Bob Jones")
    assert state(checklist(Status.UPGRADED, alice), "own_account") is StepState.DONE
    shared = checklist(Status.UPGRADED, alice, others=(bob,))["own_account"]
    assert shared.state is StepState.TODO and "Bob Jones" in shared.detail and "Alice Smith" not in shared.detail
    assert shared.detail.startswith(
        "Each person needs their own individual PACER account; shared accounts cannot "
        "file in NextGen. Username asmith2001 is also used by Bob Jones"
    )
    # Known from the roster alone, so a failed sign-in does not hide it.
    assert state(checklist(Status.SITE_ERROR, alice, others=(bob,)), "own_account") is StepState.TODO
    assert "Alice Smith" in checklist(Status.UPGRADED, bob, others=(alice,))["own_account"].detail


def test_upgraded_done() -> None:
    assert state(checklist(Status.UPGRADED, account()), "upgraded") is StepState.DONE


def test_legacy_is_to_do_with_the_upgrade_path() -> None:
    step = checklist(Status.LEGACY, account())["upgraded"]
    assert step.state is StepState.TODO and step.deadline is None
    for words in (
        "Manage My Account → Upgrade",
        "date of birth",
        "county",
        "username and password",
        "security questions",
    ):
        assert words in step.detail


def test_legacy_deadline_is_the_earliest_future_go_live() -> None:
    acct = account(courts=("cod", "utb", "mdd", "nysd", "cob", "zzz"))
    assert checklist(Status.LEGACY, acct)["upgraded"].deadline == dt.date(2027, 1, 4)  # mdd, before utb
    assert checklist(Status.LEGACY, acct, today=dt.date(2027, 2, 1))["upgraded"].deadline == dt.date(2027, 3, 1)
    assert checklist(Status.LEGACY, acct, today=dt.date(2027, 3, 1))["upgraded"].deadline is None  # live that day
    assert checklist(Status.LEGACY, account(courts=("cod",)), today=dt.date(2021, 7, 1))[
        "upgraded"
    ].deadline == dt.date(2021, 8, 2)


@pytest.mark.parametrize(
    "status", [s for s in Status if s not in (Status.UPGRADED, Status.LEGACY, Status.INVALID_INPUT)]
)
def test_upgraded_unknown_with_the_reason(status: Status) -> None:
    step = checklist(status, account(), message="the site said so")["upgraded"]
    assert step.state is StepState.UNKNOWN and status.value in step.detail and "the site said so" in step.detail


def test_mfa_enrolled_and_unknown() -> None:
    assert state(checklist(Status.UPGRADED, account(), mfa=True), "mfa") is StepState.DONE
    assert state(checklist(Status.UPGRADED, account(), mfa=None), "mfa") is StepState.UNKNOWN


#: PACER's "User Update Required" demanding MFA, as the flows read it from the prompt.
def prompt(skips: int | None, restricted: bool = False) -> UpdateDemand:
    return UpdateDemand(demand=Demand.MFA_ENROLLMENT, skips_left=skips, restricted=restricted)


def prompted(update: UpdateDemand, acct: Account | None = None) -> Step:
    result = make_result(status=Status.UPDATE_REQUIRED, update=update)
    steps = build_checklist(result, acct or account(courts=("cod",)), None, RosterFindings(), COURTS, TODAY)
    return {s.id: s for s in steps}["mfa"]


@pytest.mark.parametrize("today", [dt.date(2025, 10, 1), dt.date(2025, 12, 31), dt.date(2026, 1, 1), TODAY])
def test_mfa_not_enrolled_and_not_asked_is_a_heads_up_on_any_day(today: dt.date) -> None:
    # PACER Service Center, Nov 2025: enroll only when PACER prompts at sign-in; without a prompt, no action.
    step = checklist(Status.UPGRADED, account(courts=("cod",)), mfa=False, today=today)["mfa"]
    assert (step.state, step.title, step.deadline) == (StepState.INFO, "MFA not enrolled yet", None)
    assert step.detail.startswith("not enrolled yet; PACER will ask at sign-in; enroll then")
    assert "overdue" not in step.detail and "enroll only when prompted" in step.detail
    assert mfa_advice([step]) is MfaAdvice.NOT_ASKED


def test_the_heads_up_is_not_a_next_step_and_leaves_the_attorney_ready() -> None:
    acct = account(courts=("cod",))
    steps = list(checklist(Status.UPGRADED, acct, mfa=False, checks=(CourtCheck(court="cod", linked=True),)).values())
    result = make_result(status=Status.UPGRADED, steps=steps, mfa_enrolled=False)
    assert said_all(next_steps_for(result, steps), TODAY) == [FACTS[Status.UPGRADED].next_step]  # nothing of MFA
    assert not result.needs_action  # so the run's exit code stays 0 for it
    assert summarize_by_court([result]) == {"cod": CourtSummary(ready=1)}


def test_a_legacy_account_not_asked_enrolls_after_the_upgrade() -> None:
    step = checklist(Status.LEGACY, account(courts=("cod",)), mfa=False)["mfa"]
    assert step.state is StepState.INFO and step.detail.endswith(
        "(after the upgrade: a legacy account cannot change its settings)"
    )


@pytest.mark.parametrize(
    ("update", "title"),
    [
        (prompt(2), "Enroll in multi-factor authentication now (2 skips left)"),
        (prompt(1), "Enroll in multi-factor authentication now (1 skip left)"),
        (prompt(0, restricted=True), "Enroll in multi-factor authentication now (access restricted)"),
        (prompt(None), "Enroll in multi-factor authentication now"),
    ],
)
def test_mfa_when_pacer_asked_at_sign_in_is_to_do_now(update: UpdateDemand, title: str) -> None:
    step = prompted(update)
    assert (step.state, step.title, step.deadline) == (StepState.TODO, title, None)  # the skips, not a date
    assert "Settings → Manage MFA Settings → Add App" in step.detail and "Update Now" in step.detail
    assert mfa_advice([step]) is MfaAdvice.NOW
    # The same how-to for everyone: the report says it once, whatever the skips.
    assert step.detail == prompted(prompt(0, restricted=True)).detail


def test_a_prompt_for_a_password_only_is_not_an_mfa_step() -> None:
    step = prompted(UpdateDemand(demand=Demand.PASSWORD, skips_left=2))
    assert step.state is StepState.UNKNOWN and mfa_advice([step]) is MfaAdvice.UNKNOWN


def test_mfa_is_optional_for_pacer_only_users() -> None:
    # Neither courts nor a CM/ECF login in the roster: PACER-only users may choose.
    step = checklist(Status.UPGRADED, account(), mfa=False)["mfa"]
    assert (step.state, step.title) == (StepState.INFO, "MFA optional")
    assert step.detail.startswith("optional for PACER-only users")
    assert mfa_advice([step]) is MfaAdvice.OPTIONAL
    assert state(checklist(Status.UPGRADED, account(cmecf="asmith"), mfa=False), "mfa") is StepState.INFO
    assert mfa_advice(checklist(Status.UPGRADED, account(cmecf="asmith"), mfa=False).values()) is MfaAdvice.NOT_ASKED
    # Asked at sign-in, a PACER-only user enrolls now all the same: the prompt is PACER's word.
    assert prompted(prompt(2), account()).state is StepState.TODO


def test_mfa_advice_of_the_other_readings() -> None:
    assert mfa_advice(checklist(Status.UPGRADED, account(), mfa=True).values()) is MfaAdvice.DONE
    assert mfa_advice(checklist(Status.UPGRADED, account(), mfa=None).values()) is MfaAdvice.UNKNOWN
    assert mfa_advice([]) is None  # an unusable roster row has no checklist


def test_mfa_without_a_page_falls_back_to_the_result() -> None:
    assert state(checklist(Status.UPGRADED, account(), mfa=False, page=False), "mfa") is StepState.INFO
    assert state(checklist(Status.UPGRADED, account(), mfa=None, page=False), "mfa") is StepState.UNKNOWN
    result = make_result(name="Alice Smith", username="asmith2001", status=Status.UPGRADED, mfa_enrolled=True)
    steps = build_checklist(result, account(), AccountPage(), RosterFindings(), COURTS, TODAY)
    assert steps[2].id == "mfa" and steps[2].state is StepState.DONE  # a page that did not say: the result did


def test_mfa_is_done_when_the_sign_in_asked_for_a_code() -> None:
    step = checklist(Status.MFA_REQUIRED, account(), mfa=None)["mfa"]
    assert step.state is StepState.DONE and "one-time code" in step.detail


# --- Courts ------------------------------------------------------------------------------------------------


def test_cmecf_login_step() -> None:
    acct = account(courts=("nysd", "cod", "ca10"), cmecf="asmith")
    steps = checklist(
        Status.UPGRADED,
        acct,
        checks=(
            CourtCheck(court="nysd", cmecf_login_ok=False),
            CourtCheck(court="cod", cmecf_login_ok=True),
            CourtCheck(court="ca10", linked=True),
        ),
    )
    rejected = steps["cmecf_login:nysd"]
    assert rejected.state is StepState.TODO and rejected.court == "nysd"
    assert rejected.detail == (
        "The CM/ECF login for nysd was rejected; find the current one or contact the court's help desk (login: asmith)"
    )
    assert state(steps, "cmecf_login:cod") is StepState.DONE  # tried, so reported, though cod is on NextGen
    # Live on NextGen and not tried: the PACER account signs in there; the old login matters only for linking.
    assert "cmecf_login:ca10" not in steps
    no_login = checklist(
        Status.UPGRADED, account(courts=("nysd",)), checks=(CourtCheck(court="nysd", cmecf_login_ok=False),)
    )
    assert "cmecf_login:nysd" not in no_login  # no CM/ECF username in the roster


def test_cmecf_login_unknown_where_it_is_still_the_way_in() -> None:
    acct = account(courts=("nysd", "utb", "zzz"), cmecf="asmith")
    steps = checklist(Status.UPGRADED, acct, checks=(CourtCheck(court="nysd", message="could not check: 502"),))
    assert state(steps, "cmecf_login:nysd") is StepState.UNKNOWN and "502" in steps["cmecf_login:nysd"].detail
    # utb is not live until 2027-03-01: the old login is still in use there, and is needed to link.
    assert state(steps, "cmecf_login:utb") is StepState.UNKNOWN and steps["cmecf_login:utb"].detail == "not checked"
    assert "cmecf_login:zzz" not in steps  # not in the registry: nothing known about the court
    after = checklist(Status.UPGRADED, acct, today=dt.date(2027, 3, 1))
    assert "cmecf_login:utb" not in after


def test_linking_before_go_live() -> None:
    for checks in ((), (CourtCheck(court="utb", linked=False),), (CourtCheck(court="utb"),)):
        step = checklist(Status.UPGRADED, account(courts=("utb",)), checks=checks)["linked:utb"]
        assert step.state is StepState.TODO and step.deadline == dt.date(2027, 3, 1) and step.court == "utb"
        assert step.detail == "link after go-live on 2027-03-01: Utilities → Link a CM/ECF account to my PACER account"
    on_eve = checklist(Status.UPGRADED, account(courts=("utb",)), today=dt.date(2027, 2, 28))["linked:utb"]
    assert on_eve.state is StepState.TODO and on_eve.deadline == dt.date(2027, 3, 1)


def test_seen_linked_before_the_registry_date_is_done() -> None:
    # Filing menus in the court's CM/ECF outweigh a registry date that is evidently too late.
    step = checklist(Status.UPGRADED, account(courts=("utb",)), checks=(CourtCheck(court="utb", linked=True),))[
        "linked:utb"
    ]
    assert step.state is StepState.DONE and step.deadline is None


def test_linking_from_go_live_day() -> None:
    acct = account(courts=("utb",))
    on_the_day = dt.date(2027, 3, 1)
    assert (
        state(
            checklist(Status.UPGRADED, acct, today=on_the_day, checks=(CourtCheck(court="utb", linked=True),)),
            "linked:utb",
        )
        is StepState.DONE
    )
    assert checklist(Status.UPGRADED, acct, today=on_the_day)["linked:utb"].deadline is None


def test_linking_after_go_live() -> None:
    acct = account(courts=("cod",))
    assert (
        state(checklist(Status.UPGRADED, acct, checks=(CourtCheck(court="cod", linked=True),)), "linked:cod")
        is StepState.DONE
    )
    todo = checklist(Status.UPGRADED, acct, checks=(CourtCheck(court="cod", linked=False),))["linked:cod"]
    assert todo.state is StepState.TODO and todo.deadline is None
    assert f"{todo.title}: {todo.detail}" == (
        "Link your CM/ECF account: Utilities → Link a CM/ECF account to my PACER account"
    )
    unknown = checklist(Status.UPGRADED, acct, checks=(CourtCheck(court="cod", message="could not check: 503"),))
    assert unknown["linked:cod"].state is StepState.UNKNOWN and "503" in unknown["linked:cod"].detail
    missing = checklist(Status.UPGRADED, acct)["linked:cod"]
    assert missing.state is StepState.UNKNOWN and "not checked" in missing.detail
    locked = checklist(Status.LOCKED, acct)["linked:cod"]
    assert locked.state is StepState.UNKNOWN and "locked" in locked.detail


def test_unknown_go_live_date_counts_as_live() -> None:
    acct = account(courts=("cob",))
    todo = checklist(Status.UPGRADED, acct, checks=(CourtCheck(court="cob", linked=False),))["linked:cob"]
    assert todo.state is StepState.TODO and "go-live date not found" in todo.detail and todo.deadline is None
    assert (
        state(checklist(Status.UPGRADED, acct, checks=(CourtCheck(court="cob", linked=True),)), "linked:cob")
        is StepState.DONE
    )
    unknown = checklist(Status.UPGRADED, acct)["linked:cob"]
    assert unknown.state is StepState.UNKNOWN and "go-live date not found" in unknown.detail


def test_appellate_wording() -> None:
    steps = checklist(
        Status.UPGRADED, account(courts=("ca10", "ca9")), checks=(CourtCheck(court="ca10", linked=False),)
    )
    assert "Utilities → Link my filer account to my PACER account" in steps["linked:ca10"].detail
    assert "Link my filer account" in steps["linked:ca9"].detail and steps["linked:ca9"].state is StepState.TODO


def test_currentgen_court_is_information() -> None:
    step = checklist(Status.UPGRADED, account(courts=("nysd",)), checks=(CourtCheck(court="nysd"),))["linked:nysd"]
    assert step.state is StepState.INFO and step.detail == "not on NextGen yet; keep using the court's CM/ECF login"


def test_court_not_in_the_registry_is_unknown() -> None:
    steps = checklist(Status.UPGRADED, account(courts=("zzz",)))
    step = steps["unknown_court:zzz"]
    assert step.state is StepState.UNKNOWN and step.title == "Unknown court zzz — not checked"
    assert "not in the court registry" in step.detail and "--courts" in step.detail
    assert "linked:zzz" not in steps and step.court is None  # not a court of the per-court table
    seen = checklist(Status.UPGRADED, account(courts=("zzz",)), checks=(CourtCheck(court="zzz", linked=True),))
    assert state(seen, "linked:zzz") is StepState.DONE


def test_court_ids_are_normalised_and_once() -> None:
    steps = checklist(
        Status.UPGRADED, account(courts=("COD", "cod ", "utb")), checks=(CourtCheck(court="COD", linked=True),)
    )
    assert [s for s in steps if s.startswith("linked:")] == ["linked:cod", "linked:utb"]
    assert state(steps, "linked:cod") is StepState.DONE


# --- filing agents, firm billing, order ------------------------------------------------------------------


def test_filing_agents_for_several_accounts() -> None:
    alice = account(cmecf="asmith")
    steps = checklist(Status.UPGRADED, alice, others=(account(username="alice9999", cmecf="asmith2"),))
    step = steps["filing_agents"]
    assert step.state is StepState.TODO and step.detail.startswith(
        "Use filing agents under one account: Alice Smith has PACER accounts alice9999, asmith2001; "
        "CM/ECF logins asmith, asmith2 (courts not given)."
    )
    per_court = checklist(
        Status.UPGRADED,
        account(courts=("cod",), cmecf="asmith"),
        others=(account(username="alice9999", courts=("cod",), cmecf="asmith2"),),
    )["filing_agents"]
    assert "CM/ECF logins asmith, asmith2 (cod)" in per_court.detail
    assert "filing_agents" not in checklist(Status.UPGRADED, alice)


def test_firm_billing_is_information() -> None:
    step = checklist(Status.UPGRADED, account(), paa="Smith & Jones LLP")["firm_billing"]
    assert step.state is StepState.INFO
    assert step.detail == "Billed to firm PACER Administrative Account: Smith & Jones LLP"
    assert "firm_billing" in checklist(Status.UPGRADED, account(), paa="Smith & Jones LLP", page=False)
    assert "firm_billing" not in checklist(Status.UPGRADED, account())


def test_no_checklist_for_invalid_rows() -> None:
    result = make_result(name="?", username="?", status=Status.INVALID_INPUT)
    assert build_checklist(result, None, None, RosterFindings(), COURTS, TODAY) == []
    assert build_checklist(result, account(), None, RosterFindings(), COURTS, TODAY) == []


def test_account_wide_steps_come_first() -> None:
    steps = list(
        checklist(
            Status.UPGRADED, account(courts=("cod",), cmecf="a"), paa="Firm", others=(account(username="b", cmecf="b"),)
        )
    )
    assert steps[:3] == ["own_account", "upgraded", "mfa"] and steps[-2:] == ["filing_agents", "firm_billing"]


def test_checklist_is_pure() -> None:
    acct = account(courts=("cod", "utb"))
    assert checklist(Status.LEGACY, acct, mfa=False) == checklist(Status.LEGACY, acct, mfa=False)


# --- next steps ------------------------------------------------------------------------------------------


def test_next_steps_in_the_one_order_by_deadline_none_last() -> None:
    steps = checklist(
        Status.LEGACY,
        account(name="Alice Smith", courts=("utb", "mdd", "cod")),
        mfa=False,
        checks=(CourtCheck(court="cod", linked=False),),
        others=(account(name="Bob Jones"),),
    ).values()
    lines = said_all(next_steps_from(steps), TODAY)
    assert len(lines) == sum(1 for s in steps if s.state is StepState.TODO) == 5
    # One order: an own account, the upgrade, (MFA when PACER asked), then each court's, soonest deadline
    # first in each. Not asked yet, MFA is a heads-up in the checklist, not a next step.
    assert lines[0].startswith("Get your own individual PACER account: ") and " — by " not in lines[0]
    assert lines[1].startswith("Upgrade the PACER account: ") and lines[1].endswith(" — by 2027-01-04")
    assert not any("multi-factor" in line or "MFA" in line for line in lines)
    assert lines[2].startswith("Link CM/ECF to PACER after go-live (mdd): link after go-live on 2027-01-04")
    assert lines[3].startswith("Link CM/ECF to PACER after go-live (utb)") and lines[3].endswith("— by 2027-03-01")
    # No deadline: last in its group, in checklist order.
    assert lines[4].startswith("Link your CM/ECF account (cod): Utilities →")


def test_enroll_now_comes_after_the_sign_in_problem_and_before_the_courts() -> None:
    acct = account(name="Alice Smith", courts=("utb",), cmecf="asmith")
    result = make_result(status=Status.UPDATE_REQUIRED, update=prompt(2))
    steps = build_checklist(result, acct, None, RosterFindings(), COURTS, TODAY)
    lines = said_all(next_steps_for(result, steps), TODAY)
    assert lines[0] == FACTS[Status.UPDATE_REQUIRED].next_step
    assert lines[1].startswith("Enroll in multi-factor authentication now (2 skips left): PACER asks at sign-in")
    assert " — " not in lines[1]  # no date: the skips are the deadline PACER keeps
    assert all("multi-factor" not in line for line in lines[2:])


def test_next_steps_for_a_result() -> None:
    bob = account(name="Bob Jones")
    shared = checklist(Status.LOCKED, account(), others=(bob,)).values()
    locked = make_result(name="Alice Smith", username="asmith2001", status=Status.LOCKED)
    lines = said_all(next_steps_for(locked, shared), TODAY)
    # The status's advice first: nothing else can be checked until the account is unlocked.
    assert lines[0] == FACTS[Status.LOCKED].next_step and lines[1].startswith("Get your own individual PACER account")
    ready = checklist(Status.UPGRADED, account(courts=("cod",)), checks=(CourtCheck(court="cod", linked=True),))
    upgraded = make_result(name="Alice Smith", username="asmith2001", status=Status.UPGRADED)
    assert said_all(next_steps_for(upgraded, ready.values()), TODAY) == [FACTS[Status.UPGRADED].next_step]
    legacy = make_result(name="Alice Smith", username="asmith2001", status=Status.LEGACY)
    steps = checklist(Status.LEGACY, account()).values()
    assert next_steps_for(legacy, steps) == next_steps_from(steps)
    assert len(next_steps_from(steps)) == 1


def test_next_steps_only_to_do() -> None:
    assert next_steps_from(checklist(Status.UPGRADED, account(), paa="Firm").values()) == []
    assert next_steps_from([]) == []


# --- per-court summary -----------------------------------------------------------------------------------


def result_with(steps: dict[str, Step]) -> Result:
    return make_result(name="x", username="x", status=Status.UPGRADED, steps=list(steps.values()))


def test_summarize_by_court() -> None:
    ready = result_with(
        checklist(Status.UPGRADED, account(courts=("cod", "nysd")), checks=(CourtCheck(court="cod", linked=True),))
    )
    not_ready = result_with(
        checklist(Status.UPGRADED, account(courts=("cod",)), checks=(CourtCheck(court="cod", linked=False),))
    )
    unknown = result_with(checklist(Status.UPGRADED, account(courts=("cod",))))
    no_mfa = result_with(
        checklist(
            Status.UPGRADED, account(courts=("cod", "nysd")), mfa=False, checks=(CourtCheck(court="cod", linked=True),)
        )
    )
    mfa_unknown = result_with(checklist(Status.UPGRADED, account(courts=("nysd",)), mfa=None))
    summary = summarize_by_court(
        [ready, not_ready, unknown, no_mfa, mfa_unknown, make_result(name="y", username="y", status=Status.SITE_ERROR)]
    )
    # Not enrolled and not asked yet is a heads-up: no_mfa is ready in both courts.
    assert summary == {
        "cod": CourtSummary(ready=2, not_ready=1, unknown=1),
        "nysd": CourtSummary(ready=2, not_ready=0, unknown=1),
    }
    # Asked at sign-in: to do now, so not ready (the sign-in stopped, so the rest is not known).
    asked = make_result(status=Status.UPDATE_REQUIRED, update=prompt(2))
    asked_steps = build_checklist(asked, account(courts=("cod",)), None, RosterFindings(), COURTS, TODAY)
    assert summarize_by_court([asked.model_copy(update={"steps": asked_steps})]) == {"cod": CourtSummary(not_ready=1)}


def test_summary_counts_a_court_before_go_live_as_not_ready() -> None:
    before = result_with(checklist(Status.UPGRADED, account(courts=("utb",))))
    assert summarize_by_court([before]) == {"utb": CourtSummary(not_ready=1)}


def test_summary_counts_the_currentgen_login_for_that_court_only() -> None:
    acct = account(courts=("nysd", "cod"), cmecf="asmith")
    works = result_with(
        checklist(
            Status.UPGRADED,
            acct,
            checks=(CourtCheck(court="nysd", cmecf_login_ok=True), CourtCheck(court="cod", linked=True)),
        )
    )
    rejected = result_with(
        checklist(
            Status.UPGRADED,
            acct,
            checks=(CourtCheck(court="nysd", cmecf_login_ok=False), CourtCheck(court="cod", linked=True)),
        )
    )
    unchecked = result_with(checklist(Status.UPGRADED, acct, checks=(CourtCheck(court="cod", linked=True),)))
    assert summarize_by_court([works, rejected, unchecked]) == {
        "nysd": CourtSummary(ready=1, not_ready=1, unknown=1),
        "cod": CourtSummary(ready=3),
    }


def test_summary_of_a_shared_account_is_not_ready_everywhere() -> None:
    shared = result_with(
        checklist(
            Status.UPGRADED,
            account(courts=("cod", "nysd")),
            others=(account(name="Bob"),),
            checks=(CourtCheck(court="cod", linked=True),),
        )
    )
    assert summarize_by_court([shared]) == {"cod": CourtSummary(not_ready=1), "nysd": CourtSummary(not_ready=1)}


# --- the day the checklist is for (--as-of): each dated rule on both sides of its date --------------------


@pytest.mark.parametrize(
    ("today", "phrase"),
    [
        (dt.date(2025, 12, 30), "by 2025-12-31"),
        (dt.date(2025, 12, 31), "by 2025-12-31"),
        (dt.date(2026, 1, 1), "overdue since 2025-12-31"),
    ],
)
def test_deadline_phrase_either_side_of_the_day(today: dt.date, phrase: str) -> None:
    assert deadline_phrase(dt.date(2025, 12, 31), today) == phrase
    reminder = make_result(reminder="Change your password", reminder_due=dt.date(2025, 12, 31), mfa_enrolled=True)
    steps = build_checklist(reminder, account(), None, RosterFindings(), COURTS, today)
    lines = said_all(next_steps_from(steps), today)
    assert lines == [lines[0]] and lines[0].endswith(f" — {phrase}")


def test_the_mfa_heads_up_reads_the_same_either_side_of_dec_31_2025() -> None:
    # Required for CM/ECF filers from that day, but enforced by PACER's prompt: no date makes it due.
    filer = account(courts=("cod",), cmecf="asmith")
    before = checklist(Status.UPGRADED, filer, mfa=False, today=dt.date(2025, 12, 31))["mfa"]
    after = checklist(Status.UPGRADED, filer, mfa=False, today=dt.date(2026, 1, 1))["mfa"]
    assert before == after and before.state is StepState.INFO and before.deadline is None
    assert said_all(next_steps_from([after]), dt.date(2026, 1, 1)) == []


def test_no_step_claims_the_password_standard_is_enforced() -> None:
    steps = checklist(
        Status.LEGACY, account(courts=("cod", "utb"), cmecf="asmith"), mfa=False, today=dt.date(2026, 6, 1)
    )
    text = " ".join(f"{s.title} {s.detail}" for s in steps.values()).lower()
    assert "password standard" not in text and "14 characters" not in text and "180 days" not in text


def case_search(label: str | None, today: dt.date = TODAY) -> Step | None:
    result = make_result(name="Alice Smith", username="asmith2001", status=Status.UPGRADED, mfa_enrolled=True)
    page = AccountPage(mfa_enrolled=True, case_search_label=label)
    steps = build_checklist(result, account(), page, RosterFindings(), COURTS, today)
    return next((s for s in steps if s.id == "case_search"), None)


def test_inactive_case_search_is_its_own_item() -> None:
    step = case_search("Inactive")
    assert step is not None and step.state is StepState.TODO and step.title == "Reactivate case search"
    assert "Case Search Status: Inactive" in step.detail and "Filing still works" in step.detail
    assert "PACER Service Center (800-676-6856)" in step.detail
    assert case_search("Active").state is StepState.DONE and case_search(" active ").state is StepState.DONE
    assert case_search(None) is None  # the page did not show it: no claim either way


def test_self_service_reset_only_from_oct_16_2025() -> None:
    before = case_search("Inactive", dt.date(2025, 10, 15))
    after = case_search("Inactive", dt.date(2025, 10, 16))
    assert before is not None and after is not None
    assert "reset their password" not in before.detail and "PACER Service Center" in before.detail
    assert "since Oct 16, 2025" in after.detail and "reset their password themselves" in after.detail


def test_link_rule_either_side_of_a_courts_go_live() -> None:
    before = checklist(Status.UPGRADED, account(courts=("utb",)), today=dt.date(2027, 2, 28))["linked:utb"]
    on_the_day = checklist(
        Status.UPGRADED,
        account(courts=("utb",)),
        today=dt.date(2027, 3, 1),
        checks=(CourtCheck(court="utb", linked=False),),
    )["linked:utb"]
    assert before.title == "Link CM/ECF to PACER after go-live" and before.deadline == dt.date(2027, 3, 1)
    assert on_the_day.title == "Link your CM/ECF account" and on_the_day.deadline is None


def test_acms_court_is_information_not_a_link_to_do() -> None:
    registry = COURTS.with_courts(
        [{"id": "ca2", "name": "Second Circuit", "kind": "appellate", "acms": True, "note": "files through ACMS"}],
        "test",
    )
    result = make_result(
        name="Alice Smith",
        username="asmith2001",
        status=Status.UPGRADED,
        mfa_enrolled=True,
        courts=[CourtCheck(court="ca2", linked=False)],
    )
    steps = {
        s.id: s
        for s in build_checklist(
            result, account(courts=("ca2",)), AccountPage(mfa_enrolled=True), RosterFindings(), registry, TODAY
        )
    }
    assert steps["linked:ca2"].state is StepState.INFO and steps["linked:ca2"].detail == "files through ACMS"


def test_unknown_courts_from_the_roster_are_listed_with_suggestions() -> None:
    registry = COURTS.with_courts([], "test")
    acct = Account(
        username="asmith2001",
        name="Alice Smith",
        password=SecretStr("Passw0rd-1"),
        courts=("cod",),
        unknown_courts=("codd", "qqqqqq"),
    )
    result = make_result(
        name="Alice Smith",
        username="asmith2001",
        status=Status.UPGRADED,
        mfa_enrolled=True,
        courts=[CourtCheck(court="cod", linked=True)],
    )
    steps = {
        s.id: s
        for s in build_checklist(result, acct, AccountPage(mfa_enrolled=True), RosterFindings(), registry, TODAY)
    }
    assert steps["linked:cod"].state is StepState.DONE  # the account and its known court were checked
    assert steps["unknown_court:codd"].title == "Unknown court codd — not checked"
    assert "did you mean cod?" in steps["unknown_court:codd"].detail
    assert "see `pacer-verify courts`" in steps["unknown_court:qqqqqq"].detail
    assert not make_result(name="a", username="a", status=Status.UPGRADED, steps=list(steps.values())).needs_action
