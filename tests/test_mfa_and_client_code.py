"""Manage My Account's "Multifactor Auth" as PACER draws it (an Enroll link alone is not enrolled; an app's
name or a date is enrolled; anything else is quoted), and client codes: the roster's column and `check`'s
option are sent to the Authentication API and typed into the form, kept in results, and PACER's note that a
required one was not entered is a checklist item, not a failure."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import make_result, run_cli
from playwright.async_api import Browser
from pydantic import SecretStr
from test_sessions_closed import assert_all_closed, sample_rows, write_roster

from flows.account import ManageAccountPage
from flows.answers import read_answer
from flows.classify import parse_mfa
from flows.navigation import DocumentWatch
from verifier.check.site import SiteMap
from verifier.config import load_settings
from verifier.mock.account import account_fields
from verifier.mock.auth_api import CLIENT_CODE_NOTE
from verifier.mock.render import TEMPLATES
from verifier.mock.scenario import VARIANTS, MockAccount, court_registry
from verifier.mock.server import MockServer
from verifier.models import Account, AccountPage, Status, StepState
from verifier.readiness import RosterFindings, build_checklist
from verifier.readiness._checklist import CLIENT_CODE_TITLE
from verifier.readiness.courts import load_courts
from verifier.roster import RowError, iter_roster
from verifier.run.bulk import BulkOutcome, BulkPlan, run_bulk

TODAY = dt.date(2026, 11, 22)
READABLE = [v for v in VARIANTS if v != "broken"]

# --- the field's words --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("shown", "enrolled"),
    [
        ("Enroll", False),  # the learning aid's Enroll link, alone
        ("Enroll now", False),
        ("Not Enrolled", False),
        ("Not Enrolled Enroll", False),
        ("Enrolled", True),
        ("Authenticator app: Work phone", True),
        ("Google Authenticator", True),
        ("2 apps", True),
        ("05/12/2025", True),
        ("Enrolled May 12, 2025", True),
        ("MFA Settings", None),
        ("Pending review", None),
    ],
)
def test_the_field_as_pacer_draws_it(shown: str, enrolled: bool | None) -> None:
    assert parse_mfa(shown) is enrolled


def _page_of(account: MockAccount, variant: str) -> str:
    return TEMPLATES.get_template("account.html").render(
        title="Manage My Account",
        account=account,
        variant=variant,
        fields=account_fields(account, variant),
        tabs=[],
        active="maint",
    )


@pytest.mark.parametrize("variant", READABLE)
def test_each_form_of_the_field_is_read_in_every_markup_variant(
    variant: str, core_browser: Browser, run_core: Callable[..., Any]
) -> None:
    forms = {
        "link": (False, "Enroll"),
        "words": (False, "Not Enrolled"),
        "app": (True, "Authenticator app: Work phone"),
        "date": (True, "05/12/2025"),
    }
    pages = {}
    for shown, (enrolled, _) in forms.items():
        account = MockAccount(username="jdoe12345", password="x" * 8, mfa_enrolled=enrolled, mfa_shown=shown)  # type: ignore[arg-type]
        pages[shown] = _page_of(account, variant)

    async def read() -> dict[str, AccountPage]:
        page = await core_browser.new_page()
        read_pages = {}
        try:
            for shown, html in pages.items():
                await page.set_content(html)
                manage = ManageAccountPage(page, SiteMap.for_base_url("http://127.0.0.1:9"), DocumentWatch(page))
                read_pages[shown] = (await manage.read_all()).page
        finally:
            await page.close()
        return read_pages

    read_pages = run_core(read())
    for shown, (enrolled, words) in forms.items():
        assert read_pages[shown].mfa_enrolled is enrolled, (shown, read_pages[shown].mfa_label)
        assert (read_pages[shown].mfa_label or "").lower().startswith(words.lower()[:6]), read_pages[shown]


def test_words_not_understood_are_quoted_in_the_checklist() -> None:
    account = Account(username="asmith2001", name="Alice Smith", password=SecretStr("Passw0rd-1"))
    result = make_result(status=Status.UPGRADED)
    page = AccountPage(mfa_label="Pending review", mfa_enrolled=None)
    [mfa] = [s for s in build_checklist(result, account, page, RosterFindings(), load_courts(), TODAY) if s.id == "mfa"]
    assert mfa.state is StepState.UNKNOWN
    assert "Manage My Account shows Multifactor Auth: 'Pending review'" in mfa.detail


# --- client codes -------------------------------------------------------------------------------------------


def test_the_note_is_read_as_a_note() -> None:
    reading = read_answer(CLIENT_CODE_NOTE)
    assert reading.client_code == CLIENT_CODE_NOTE  # both sentences: what is missing and what it costs
    assert reading.said.value == "unknown" and reading.reminder is None  # neither a refusal nor a reminder
    assert read_answer("Required client code not entered.").client_code  # the shorter wording third parties quote
    assert not read_answer("Invalid username, password, or one-time passcode.").client_code


def test_the_roster_column_and_its_limit(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "name,username,password,client_code\nA,asmith2001,Passw0rd-1, SJ 0001 \nB,bjones2002,Passw0rd-2,\n"
        f"C,cwong2003,Passw0rd-3,{'x' * 33}\n",
        encoding="utf-8",
    )
    roster.chmod(0o600)
    items = list(iter_roster(roster))
    assert [getattr(i, "client_code", None) for i in items[:2]] == ["SJ 0001", None]
    assert isinstance(items[2], RowError) and items[2].field == "client_code" and "at most 32" in items[2].message


@pytest.fixture
def bulk(core_browser: Browser, run_core: Callable[..., Any], tmp_path: Path) -> Callable[..., BulkOutcome]:
    def run(server: MockServer, roster: Path, **settings: Any) -> BulkOutcome:
        options = {"base_url": server.url, "rate_per_minute": 0, "concurrency": 3, "timeout_s": 20, "retries": 1}
        plan = BulkPlan(roster=roster, out_dir=tmp_path / "out", courts=court_registry(server.scenario))
        return run_core(
            run_bulk(load_settings(None, **{**options, **settings}), plan, browser=core_browser, today=TODAY)
        )

    return run


@pytest.mark.parametrize("mode", ["api", "browser"])
def test_client_codes_reach_pacer_and_the_note_becomes_a_checklist_item(
    bulk: Callable[..., BulkOutcome], pacer_mock: MockServer, tmp_path: Path, mode: str
) -> None:
    # dpatel2004's firm requires a client code and the roster gives none; zpaaowner2025's row gives it.
    roster = write_roster(tmp_path / "roster.csv", sample_rows({"dpatel2004", "zpaaowner2025", "pthomas2016"}))
    results = {r.username: r for r in bulk(pacer_mock, roster, sign_in=mode).results}
    assert {u: r.status for u, r in results.items()} == dict.fromkeys(results, Status.UPGRADED)
    assert pacer_mock.stats()["client_codes"] == {"zpaaowner2025:SJ-0001": 1}
    assert results["zpaaowner2025"].client_code == "SJ-0001" and results["dpatel2004"].client_code is None
    assert results["zpaaowner2025"].client_code_note is None
    steps = {s.id: s for s in results["dpatel2004"].steps}
    if mode == "api":
        # The API signs in with the note: a checklist item in the site's words, no failure, no next step.
        assert results["dpatel2004"].client_code_note == CLIENT_CODE_NOTE
        item = steps["client_code"]
        assert item.title == CLIENT_CODE_TITLE and item.state is StepState.INFO
        assert "will not have PACER search privileges" in item.detail and "client_code" in item.detail
        assert not any("client code" in line.lower() for line in results["dpatel2004"].next_steps)
    else:
        assert "client_code" not in steps  # the mock's form says nothing of it (the real one's wording is unknown)
    mfa = {u: next(s for s in r.steps if s.id == "mfa").state for u, r in results.items()}
    # Manage My Account shows an Enroll link alone: not enrolled. PACER has not asked at sign-in, and his
    # row names no court (PACER-only): optional, a note (issue 29's MFA advice), where "enrolled" is done.
    paul = next(s for s in results["pthomas2016"].steps if s.id == "mfa")
    assert mfa["pthomas2016"] is StepState.INFO and paul.title == "MFA optional", paul  # not UNKNOWN
    assert_all_closed(pacer_mock)


def test_check_sends_the_client_code_from_the_option_and_the_environment(
    pacer_mock: MockServer, cli_env: dict[str, str]
) -> None:
    env = {**cli_env, "PACER_PASSWORD": "Mock-Passw0rd-4", "PACER_VERIFY_SIGN_IN": "api"}
    done = run_cli("check", "-u", "dpatel2004", "--base-url", pacer_mock.url, "--client-code", "SJ-0002", env=env)
    assert done.returncode in (0, 1), done.stderr
    by_env = run_cli(
        "check", "-u", "dpatel2004", "--base-url", pacer_mock.url, env={**env, "PACER_CLIENT_CODE": "SJ-3"}
    )
    assert by_env.returncode in (0, 1), by_env.stderr
    without = run_cli("check", "-u", "dpatel2004", "--base-url", pacer_mock.url, "--json", env=env)
    assert pacer_mock.stats()["client_codes"] == {"dpatel2004:SJ-0002": 1, "dpatel2004:SJ-3": 1}
    assert CLIENT_CODE_TITLE in without.stdout and "SJ-0002" not in without.stdout
    too_long = run_cli("check", "-u", "dpatel2004", "--base-url", pacer_mock.url, "--client-code", "x" * 40, env=env)
    assert too_long.returncode == 2 and "--client-code: 40 characters" in too_long.stderr
    assert_all_closed(pacer_mock)


def test_the_sample_roster_has_the_column() -> None:
    from verifier.data import DEMO_ROSTER

    with Path(str(DEMO_ROSTER)).open(newline="", encoding="utf-8") as handle:
        rows = {row["username"]: row for row in csv.DictReader(handle)}
    assert rows["zpaaowner2025"]["client_code"] == "SJ-0001" and rows["dpatel2004"]["client_code"] == ""


def test_serve_takes_the_client_code_from_the_roster(tmp_path: Path) -> None:
    from verifier.serve.people import read_people

    roster = tmp_path / "roster.csv"
    roster.write_text("name,username,client_code\nDev Patel,dpatel2004,SJ-0001\n", encoding="utf-8")
    roster.chmod(0o600)
    [person] = read_people(roster, load_courts()).people
    assert person.account(SecretStr("typed"), None).client_code == "SJ-0001"
