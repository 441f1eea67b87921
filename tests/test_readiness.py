"""The checklist rules, court registry and its overrides."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from pydantic import SecretStr

from verifier.courts import load_courts
from verifier.errors import UsageError
from verifier.models import Account, AccountPage, CourtCheck, Result, Status, StepState
from verifier.paths import FIXTURES, REPO_ROOT
from verifier.readiness import build_checklist, next_steps_from, roster_findings, summarize_by_court

COURTS = load_courts()


def account(username: str = "asmith2001", name: str = "Alice Smith", courts: tuple[str, ...] = (),
            cmecf: str | None = None) -> Account:
    return Account(username=username, name=name, password=SecretStr("Passw0rd-1"), courts=courts,
                   cmecf_username=cmecf, cmecf_password=SecretStr("Old-Passw0rd") if cmecf else None)


def checklist(result_status: Status, acct: Account, *, mfa: bool | None = True, court_checks: list[CourtCheck] = (),
              today: dt.date = dt.date(2026, 11, 22), others: list[Account] = (), paa: str | None = None):
    result = Result(name=acct.name, username=acct.username, status=result_status, courts=list(court_checks))
    page = AccountPage(mfa_enrolled=mfa, paa_label=paa)
    steps = build_checklist(result, acct, page, roster_findings([acct, *others]), COURTS, today)
    return {s.id: s for s in steps}


def test_bundled_registry_matches_the_fixture_copy() -> None:
    assert (REPO_ROOT / "verifier" / "data" / "courts.json").read_text() == (FIXTURES / "courts.json").read_text()


def test_registry_dates_and_sources() -> None:
    assert COURTS.get("cod").nextgen_go_live == dt.date(2021, 8, 2)
    assert COURTS.get("UTB").nextgen_go_live == dt.date(2021, 6, 7)
    assert COURTS.get("utd").nextgen_go_live == dt.date(2020, 2, 3)
    assert all(court.source for court in COURTS)
    assert COURTS.get("nysd").generation == "currentgen"


def test_override_file_json_and_csv(tmp_path: Path) -> None:
    extra = tmp_path / "mine.json"
    extra.write_text(json.dumps([{"id": "cod", "nextgen_go_live": "2030-01-01", "source": "our clerk"},
                                 {"id": "xyz", "name": "Test Court", "kind": "district"}]))
    courts = load_courts(extra)
    assert courts.get("cod").nextgen_go_live == dt.date(2030, 1, 1) and courts.get("cod").name == "District of Colorado"
    assert "xyz" in courts
    table = tmp_path / "mine.csv"
    table.write_text("id,name,kind,generation\nabc,Another Court,bankruptcy,currentgen\n")
    assert load_courts(table).get("abc").kind == "bankruptcy"


def test_bad_override_names_entry_and_field(tmp_path: Path) -> None:
    extra = tmp_path / "bad.json"
    extra.write_text(json.dumps([{"id": "zzz", "name": "Z", "kind": "tax"}]))
    with pytest.raises(UsageError, match=r"court #1 \(zzz\), field 'kind'"):
        load_courts(extra)


def test_upgraded_and_legacy() -> None:
    assert checklist(Status.UPGRADED, account())["upgraded"].state is StepState.DONE
    legacy = checklist(Status.LEGACY, account())["upgraded"]
    assert legacy.state is StepState.TODO and "date of birth" in legacy.detail
    assert checklist(Status.LOCKED, account())["upgraded"].state is StepState.UNKNOWN


def test_legacy_deadline_is_the_next_go_live(tmp_path: Path) -> None:
    step = checklist(Status.LEGACY, account(courts=("cod",)), today=dt.date(2021, 7, 1))["upgraded"]
    assert step.deadline == dt.date(2021, 8, 2)
    assert checklist(Status.LEGACY, account(courts=("cod",)))["upgraded"].deadline is None  # already live


def test_mfa() -> None:
    assert checklist(Status.UPGRADED, account(), mfa=True)["mfa"].state is StepState.DONE
    todo = checklist(Status.UPGRADED, account(), mfa=False)["mfa"]
    assert todo.state is StepState.TODO and todo.deadline == dt.date(2025, 12, 31) and "overdue" in todo.detail
    before = checklist(Status.UPGRADED, account(), mfa=False, today=dt.date(2025, 10, 1))["mfa"]
    assert "overdue" not in before.detail
    assert checklist(Status.UPGRADED, account(), mfa=None)["mfa"].state is StepState.UNKNOWN


def test_linking_before_and_after_go_live() -> None:
    acct = account(courts=("cod",))
    before = checklist(Status.UPGRADED, acct, today=dt.date(2021, 7, 1))["linked:cod"]
    assert before.state is StepState.TODO and before.deadline == dt.date(2021, 8, 2)
    assert "after go-live" in before.detail
    linked = checklist(Status.UPGRADED, acct, court_checks=[CourtCheck(court="cod", linked=True)])["linked:cod"]
    assert linked.state is StepState.DONE
    not_linked = checklist(Status.UPGRADED, acct, court_checks=[CourtCheck(court="cod", linked=False)])["linked:cod"]
    assert not_linked.state is StepState.TODO and "Link a CM/ECF account to my PACER account" in not_linked.detail
    assert checklist(Status.UPGRADED, acct)["linked:cod"].state is StepState.UNKNOWN


def test_unknown_go_live_counts_as_live() -> None:
    step = checklist(Status.UPGRADED, account(courts=("cob",)), court_checks=[CourtCheck(court="cob", linked=False)])
    assert step["linked:cob"].state is StepState.TODO and "go-live date not found" in step["linked:cob"].detail


def test_currentgen_court_and_cmecf_login() -> None:
    acct = account(courts=("nysd",), cmecf="asmith")
    steps = checklist(Status.UPGRADED, acct, court_checks=[CourtCheck(court="nysd", cmecf_login_ok=False)])
    assert steps["linked:nysd"].state is StepState.INFO
    assert steps["cmecf_login:nysd"].state is StepState.TODO


def test_shared_account_and_several_accounts() -> None:
    alice, bob = account(), account(name="Bob Jones")
    assert checklist(Status.UPGRADED, alice, others=[bob])["own_account"].state is StepState.TODO
    assert "Bob Jones" in checklist(Status.UPGRADED, alice, others=[bob])["own_account"].detail
    assert checklist(Status.UPGRADED, alice)["own_account"].state is StepState.DONE
    second = account(username="alice9999")
    assert checklist(Status.UPGRADED, alice, others=[second])["filing_agents"].state is StepState.TODO


def test_firm_billing_is_information() -> None:
    step = checklist(Status.UPGRADED, account(), paa="Smith & Jones LLP")["firm_billing"]
    assert step.state is StepState.INFO and "Smith & Jones LLP" in step.detail


def test_next_steps_soonest_first() -> None:
    steps = checklist(Status.LEGACY, account(courts=("cod",)), mfa=False, today=dt.date(2021, 7, 1)).values()
    lines = next_steps_from(steps)
    assert lines[0].startswith("Upgrade") or lines[0].startswith("Link")
    assert all("by " in line for line in lines[:2])


def test_ready_per_court() -> None:
    ready = Result(name="A", username="a", status=Status.UPGRADED, steps=list(checklist(
        Status.UPGRADED, account(courts=("cod",)), court_checks=[CourtCheck(court="cod", linked=True)]).values()))
    not_ready = Result(name="B", username="b", status=Status.UPGRADED, steps=list(checklist(
        Status.UPGRADED, account(username="b", name="B", courts=("cod",)),
        court_checks=[CourtCheck(court="cod", linked=False)]).values()))
    summary = summarize_by_court([ready, not_ready])
    assert (summary["cod"].ready, summary["cod"].not_ready) == (1, 1)
