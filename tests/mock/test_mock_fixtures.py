"""The bundled scenario, sample roster and expected statuses: complete, consistent, reproducible."""

from __future__ import annotations

import base64
import binascii
import csv
import importlib.util
import json
from pathlib import Path

import pyotp
import pytest
from helpers import FIXTURES, REPO_ROOT

from verifier.data import DEMO_ROSTER, MOCK_SCENARIO
from verifier.mock.scenario import VARIANTS, MockScenario, load_scenario
from verifier.models import Status

COLUMNS = ["name", "username", "password", "otp_secret", "courts", "cmecf_username", "cmecf_password", "client_code"]


@pytest.fixture(scope="module")
def scenario() -> MockScenario:
    return load_scenario(MOCK_SCENARIO)


@pytest.fixture(scope="module")
def roster() -> list[dict[str, str]]:
    with DEMO_ROSTER.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == COLUMNS
        return list(reader)


@pytest.fixture(scope="module")
def expected() -> dict[str, str]:
    return json.loads((FIXTURES / "expected_statuses.json").read_text(encoding="utf-8"))


def test_accounts_are_plausible_and_fake(scenario: MockScenario) -> None:
    for account in scenario.accounts:
        assert len(account.username) >= 6 and len(account.password) >= 8, account.username
        assert "Mock" in account.password, "fixture passwords must be obviously fake"
        assert account.account_number.isdigit() and len(account.account_number) == 7
        if account.otp_secret:
            base64.b32decode(account.otp_secret)
            assert pyotp.TOTP(account.otp_secret).verify(pyotp.TOTP(account.otp_secret).now())
        for login in account.cmecf.values():
            assert len(login.password) >= 8
    numbers = [a.account_number for a in scenario.accounts]
    assert len(numbers) == len(set(numbers))


def test_courts(scenario: MockScenario) -> None:
    courts = {c.id: c for c in scenario.courts}
    for court_id, cso_id, kind in (
        ("cod", "CODC", "district"),
        ("utb", "UTBK", "bankruptcy"),
        ("utd", "UTDC", "district"),
    ):
        assert (courts[court_id].cso_id, courts[court_id].kind, courts[court_id].generation) == (
            cso_id,
            kind,
            "nextgen",
        )
    currentgen = [c for c in scenario.courts if c.generation == "currentgen"]
    assert len(currentgen) == 1 and "mock" in currentgen[0].note
    for account in scenario.accounts:
        assert set(account.cmecf) <= set(courts), account.username


def test_the_scenario_covers_every_case(scenario: MockScenario) -> None:
    statuses = {a.expected_status() for a in scenario.accounts}
    assert statuses == {"upgraded", "legacy", "locked", "update_required", "unrecognized_page", "site_error"}
    accounts = scenario.accounts
    assert any(a.filer and a.account_type == "upgraded" for a in accounts)
    assert any(a.otp_secret and a.account_type == "upgraded" for a in accounts)
    assert any(a.otp_secret and a.account_type == "legacy" for a in accounts)
    assert any(a.filer and a.account_type == "legacy" for a in accounts)
    assert any(a.paa for a in accounts) and any(a.paa_admin for a in accounts)
    assert {a.state for a in accounts} == {"active", "disabled", "inactive"}
    assert any(a.update_required and a.skips_left > 0 for a in accounts)
    assert any(a.update_required and a.skips_left == 0 for a in accounts)
    assert {a.variant for a in accounts} == set(VARIANTS)
    links = [login.linked for a in accounts for login in a.cmecf.values()]
    assert True in links and False in links
    assert any(len(a.cmecf) > 1 for a in accounts)
    assert {a.mfa_shown for a in accounts} == {"words", "link", "app", "date"}
    assert any(a.client_code_required for a in accounts)


def test_roster_is_big_and_matches_the_expected_statuses(
    roster: list[dict[str, str]], expected: dict[str, str]
) -> None:
    assert len(roster) >= 55
    assert sorted(expected, key=int) == [str(i) for i in range(1, len(roster) + 1)]
    assert set(expected.values()) == {s.value for s in Status}


def test_roster_and_scenario_agree(
    scenario: MockScenario, roster: list[dict[str, str]], expected: dict[str, str]
) -> None:
    for row_number, row in enumerate(roster, start=1):
        status = expected[str(row_number)]
        account = scenario.account(row["username"]) if row["username"] else None
        if status == "invalid_input":
            assert _unusable(row), row
            continue
        assert account is not None, row
        if row["password"] != account.password:
            assert status == "invalid_credentials", row
        elif account.otp_secret and not row["otp_secret"]:
            assert status == "mfa_required", row
        elif account.otp_secret and row["otp_secret"] != account.otp_secret:
            assert status == "otp_rejected", row
        else:
            assert row["otp_secret"] == (account.otp_secret or "")
            assert status == account.expected_status(), row


def test_roster_covers_shared_and_several_accounts(roster: list[dict[str, str]]) -> None:
    names_by_username: dict[str, set[str]] = {}
    usernames_by_name: dict[str, set[str]] = {}
    for row in roster:
        if row["username"]:
            names_by_username.setdefault(row["username"], set()).add(row["name"])
            usernames_by_name.setdefault(row["name"], set()).add(row["username"])
    assert any(len(names) > 1 for names in names_by_username.values()), "a shared PACER login"
    assert any(len(usernames) > 1 for usernames in usernames_by_name.values()), "one attorney, several accounts"


def test_generate_py_reproduces_the_files(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("fixtures_generate", FIXTURES / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(tmp_path)
    for relative in (module.SCENARIO_FILE, module.ROSTER_FILE, module.EXPECTED_FILE):
        assert (tmp_path / relative).read_bytes() == (REPO_ROOT / relative).read_bytes(), relative


def _unusable(row: dict[str, str]) -> bool:
    if not row["username"] or not row["password"] or row["password"].startswith("env:"):
        return True
    if row["otp_secret"]:
        try:
            base64.b32decode(row["otp_secret"])
        except (binascii.Error, ValueError):
            return True
    known = {"cod", "utb", "utd", "nysd"}
    return any(court not in known for court in row["courts"].split())
