"""The runner end to end in-process (a Browser injected), against the bundled mock and sample roster."""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from helpers import FIXTURES, every_path_roster
from playwright.async_api import Browser

from verifier.config import load_settings
from verifier.data import DEMO_ROSTER
from verifier.errors import ExitCode
from verifier.mock.scenario import FaultRule, court_registry
from verifier.mock.server import MockServer, as_scenario
from verifier.models import StepState
from verifier.run.bulk import BulkOutcome, BulkPlan, run_bulk
from verifier.store.checkpoint import iter_checkpoint

EXPECTED: dict[str, str] = json.loads((FIXTURES / "expected_statuses.json").read_text())
TODAY = dt.date(2026, 11, 22)


@pytest.fixture
def bulk(core_browser: Browser, run_core: Callable[..., Any], pacer_mock: MockServer, tmp_path: Path):
    def run(roster: Path = DEMO_ROSTER, out: Path | None = None, resume: bool = False, **settings: Any) -> BulkOutcome:
        options = {
            "base_url": pacer_mock.url,
            "rate_per_minute": 0,
            "concurrency": 3,
            "timeout_s": 20,
            "retries": 1,
            **settings,
        }
        plan = BulkPlan(
            roster=roster, out_dir=out or tmp_path / "out", resume=resume, courts=court_registry(pacer_mock.scenario)
        )
        return run_core(run_bulk(load_settings(None, **options), plan, browser=core_browser, today=TODAY))

    return run


@dataclass(frozen=True)
class SampleRun:
    """`bulk` of the sample roster with the fixture's settings, as the tests below read it afterwards."""

    outcome: BulkOutcome
    stats: dict[str, Any]
    """The mock's counters at the end of the run."""
    out: Path


_SAMPLE_RUN: list[SampleRun] = []


@pytest.fixture
def sample_run(bulk, pacer_mock: MockServer, tmp_path: Path) -> SampleRun:
    """One run of the sample roster (64 rows), shared by the tests that only read what it gave: made by the
    first of them in this process, under that test's own fixtures (its state folder, the loopback guard); a
    file's tests run in one process (`--dist loadfile`). By the product's own sign-in, the Authentication
    API: every path of the sample by the sign-on form is tests/test_resume.py's `browser` case's (and
    test_secrets' and the CDP run's)."""
    if not _SAMPLE_RUN:
        outcome = bulk(out=tmp_path / "out", sign_in="api")
        _SAMPLE_RUN.append(SampleRun(outcome, pacer_mock.stats(), tmp_path / "out"))
    return _SAMPLE_RUN[0]


def test_every_row_gets_its_expected_status(sample_run: SampleRun) -> None:
    outcome = sample_run.outcome
    by_row = {str(r.row): r.status.value for r in outcome.results}
    assert by_row == EXPECTED
    assert outcome.exit_code is ExitCode.NEEDS_ACTION
    assert set(outcome.reports) == {"html", "csv", "json", "junit"}


def test_checklists(sample_run: SampleRun) -> None:
    results = {(r.username, r.name): r for r in sample_run.outcome.results}

    def step(username: str, name: str, step_id: str) -> StepState:
        return next(s.state for s in results[(username, name)].steps if s.id == step_id)

    assert step("asmith2001", "Alice Smith", "linked:cod") is StepState.DONE
    assert step("bjones2002", "Brian Jones", "linked:utb") is StepState.TODO
    assert step("cwong2003", "Carmen Wong", "mfa") is StepState.DONE
    assert step("egarcia2005", "Elena Garcia", "upgraded") is StepState.TODO
    assert step("firmshared01", "Uma Lewis", "own_account") is StepState.TODO
    assert step("firmshared01", "Victor Young", "own_account") is StepState.TODO
    assert step("wwalker2021", "Wendy Walker", "filing_agents") is StepState.TODO
    assert step("xhall2023", "Xavier Hall", "cmecf_login:nysd") is StepState.DONE
    assert step("yallen2024", "Yara Allen", "cmecf_login:nysd") is StepState.TODO
    assert step("dpatel2004", "Dev Patel", "firm_billing") is StepState.INFO
    # Case Search Status read from Manage My Account; inactive is its own item, the account still checked.
    assert step("asmith2001", "Alice Smith", "case_search") is StepState.DONE
    assert step("ivy2034", "Ivy Search", "case_search") is StepState.TODO
    # A court id the registry does not know: the account checked, the court listed as not checked.
    zane = results[("zane2033", "Zane Unknown Court")]
    assert zane.status.value == "upgraded"
    unknown = next(s for s in zane.steps if s.id == "unknown_court:codd")
    assert unknown.state is StepState.UNKNOWN and "did you mean cod?" in unknown.detail
    # the firm-billing text comes from the account page
    billing = next(s for s in results[("dpatel2004", "Dev Patel")].steps if s.id == "firm_billing")
    assert "Smith & Jones" in billing.detail


def test_shared_login_is_signed_in_once(sample_run: SampleRun) -> None:
    assert sample_run.stats["api_login_posts"]["firmshared01"] == 1
    assert not sample_run.stats["login_posts"], "the API's answers never send an account to the form"


def test_checkpoint_has_one_line_per_row(sample_run: SampleRun) -> None:
    lines = (sample_run.out / "results.jsonl").read_text().splitlines()
    assert len(lines) == len(EXPECTED)
    first = json.loads(lines[0])
    for key in (
        "name",
        "username",
        "status",
        "account_type",
        "needs_upgrade",
        "next_steps",
        "message",
        "checked_at",
        "duration_s",
    ):
        assert key in first


@pytest.mark.sign_in("browser")  # the form's sign-in: its POSTs counted (login_posts)
def test_rejected_login_is_never_retried(bulk, pacer_mock: MockServer, tmp_path: Path) -> None:
    # The two refusals (a wrong password, a locked account) among the sample roster's first rows: each
    # account's attempts are its own, so the rest of the roster would only add time.
    header, *rows = DEMO_ROSTER.read_text(encoding="utf-8").splitlines()
    roster = tmp_path / "refusals.csv"
    roster.write_text("\n".join([header, *rows[:10]]) + "\n", encoding="utf-8")
    outcome = bulk(roster=roster, retries=3)
    assert {r.username: r.status.value for r in outcome.results}.keys() >= {"hlee2008", "imartin2009"}
    assert pacer_mock.stats()["login_posts"]["hlee2008"] == 1
    assert pacer_mock.stats()["login_posts"]["imartin2009"] == 1


def small_roster(path: Path) -> Path:
    path.write_text(
        "name,username,password\nAlice,asmith2001,Mock-Passw0rd-1\nElena,egarcia2005,Mock-Passw0rd-5\n"
        "Henry,hlee2008,Wrong-Password-99\n"
    )
    return path


@pytest.mark.sign_in("browser")  # the form's sign-in: its POSTs counted (login_posts)
def test_transient_faults_are_retried(bulk, pacer_mock: MockServer, tmp_path: Path) -> None:
    pacer_mock.set_faults([FaultRule(kind="status", path="^/pscof/manage/maint", status=500, times=3)])
    outcome = bulk(roster=small_roster(tmp_path / "r.csv"), retries=3, concurrency=1)
    assert [r.status.value for r in outcome.results] == ["upgraded", "legacy", "invalid_credentials"]
    assert outcome.results[0].attempts == 4
    assert pacer_mock.stats()["login_posts"]["hlee2008"] == 1


@pytest.mark.sign_in("browser")  # the form's sign-in: its POSTs counted (login_posts)
def test_transient_faults_give_up_as_site_error(bulk, pacer_mock: MockServer, tmp_path: Path) -> None:
    pacer_mock.set_faults([FaultRule(kind="status", path="^/pscof/manage/maint", status=503)])
    outcome = bulk(roster=small_roster(tmp_path / "r.csv"), retries=1, concurrency=1)
    assert [r.status.value for r in outcome.results] == ["site_error"] * 3
    assert all(r.attempts == 2 for r in outcome.results)


def test_resume_skips_what_is_done(bulk, sample_run: SampleRun, tmp_path: Path, pacer_mock: MockServer) -> None:
    out = tmp_path / "resumed"
    shutil.copytree(sample_run.out, out)  # the first run's folder, as it left it
    pacer_mock.reset()
    outcome = bulk(out=out, resume=True, sign_in="api")
    # Everything recorded is skipped except site errors: --resume checks those again.
    site_errors = [row for row, status in EXPECTED.items() if status == "site_error"]
    assert site_errors and outcome.summary.skipped == len(EXPECTED) - len(site_errors)
    assert [r.status.value for r in outcome.summary.results] == ["site_error"] * len(site_errors)
    # Each account checked again signs in once at most; the others not at all.
    rechecked = {r.username for r in outcome.summary.results}
    signed_in = pacer_mock.stats()["api_login_posts"]
    assert set(signed_in) <= rechecked
    assert all(count == 1 for count in signed_in.values())
    keys = [(r.username, r.name, r.row) for r in iter_checkpoint(out / "results.jsonl")]
    assert len(outcome.results) == len(EXPECTED)
    assert len(keys) == len(EXPECTED) + len(site_errors)  # only the site errors were written twice


def test_lockout_stop_rule(bulk, tmp_path: Path) -> None:
    roster = tmp_path / "locked.csv"
    roster.write_text(
        "name,username,password\nIrene,imartin2009,Mock-Passw0rd-9\n"
        "James,jbrown2010,Mock-Passw0rd-10\nAlice,asmith2001,Mock-Passw0rd-1\n"
    )
    stopped = bulk(roster=roster, stop_after_locked=2, concurrency=1, out=tmp_path / "o2")
    assert stopped.summary.stopped_reason and "locked" in stopped.summary.stopped_reason
    assert stopped.exit_code is ExitCode.INCOMPLETE
    assert "asmith2001" not in {r.username for r in stopped.results}


def test_isolation_between_accounts(core_browser: Browser, run_core, pacer_mock: MockServer) -> None:
    """Cookies and storage from one account are never visible to the next: each account's page is in a
    context of its own, closed when its check ends (nothing of it is left in the browser)."""
    from verifier.browser.host import BrowserHost

    settings = load_settings(None, base_url=pacer_mock.url, rate_per_minute=0, concurrency=1)
    host = BrowserHost(settings, core_browser)
    already_open = list(core_browser.contexts)

    async def two_sessions() -> tuple[list[Any], str]:
        async with host.session() as page:
            await page.goto(pacer_mock.url + "/")
            await page.evaluate("localStorage.setItem('who', 'first'); sessionStorage.setItem('who', 'first')")
            await page.context.add_cookies([{"name": "leak", "value": "first", "url": pacer_mock.url}])
            first = page.context
        assert first not in core_browser.contexts, "the first account's context is closed after it"
        async with host.session() as page:
            await page.goto(pacer_mock.url + "/")
            cookies = await page.context.cookies()
            stored = await page.evaluate("(localStorage.getItem('who') || '') + (sessionStorage.getItem('who') || '')")
        return cookies, stored

    cookies, stored = run_core(two_sessions())
    assert cookies == [] and stored == ""
    assert core_browser.contexts == already_open
    run_core(host.close())


def test_the_runner_signs_in_at_the_site_the_command_built(
    core_browser: Browser, run_core: Callable[..., Any], pacer_mock: MockServer
) -> None:
    """One SiteMap per run, passed down: the runner does not build its own from the settings again."""
    from helpers import free_port
    from test_signon_paths import account_of

    from verifier.check.site import SiteMap
    from verifier.run.runner import Runner

    nowhere = f"http://127.0.0.1:{free_port()}"  # nothing listens: a site built from the settings fails
    settings = load_settings(None, base_url=nowhere, rate_per_minute=0, concurrency=1, retries=0)
    site = SiteMap.for_base_url(pacer_mock.url)
    summary = run_core(Runner(settings, browser=core_browser, site=site).run([account_of(pacer_mock, "asmith2001")]))
    assert [r.status.value for r in summary.results] == ["upgraded"], summary.results[0].message
    stats = pacer_mock.stats()
    assert sum(stats["login_posts"].values()) + sum(stats["api_login_posts"].values()) == 1


# --- a page too slow to wait for -------------------------------------------------------------------------


@pytest.mark.sign_in("browser")  # the form's sign-in: its POSTs counted (login_posts)
def test_a_page_slower_than_the_timeout_is_a_site_error(
    core_browser: Browser, run_core: Callable[..., Any], pacer_mock: MockServer, tmp_path: Path
) -> None:
    pacer_mock.set_faults([FaultRule(kind="latency", path="^/pscof/manage/maint", delay_s=6)])
    roster = tmp_path / "r.csv"
    roster.write_text("name,username,password\nAlice,asmith2001,Mock-Passw0rd-1\n")
    settings = load_settings(None, base_url=pacer_mock.url, rate_per_minute=0, timeout_s=2, retries=1)
    outcome = run_core(run_bulk(settings, BulkPlan(roster=roster, out_dir=tmp_path / "out"), browser=core_browser))
    result = outcome.results[0]
    assert result.status.value == "site_error" and "no answer within 2 s" in result.message
    assert result.attempts == 2


def test_every_path_roster_keeps_each_status_court_and_page_of_the_sample(tmp_path: Path) -> None:
    """What the tests that run `helpers.every_path_roster` instead of the whole sample rely on."""
    roster, expected = every_path_roster(tmp_path / "roster.csv")
    variants = {a.username: a.variant for a in as_scenario(None).accounts}

    def paths(path: Path) -> tuple[set[str], set[str], set[str], int]:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        courts = {court for row in rows for court in row["courts"].split()}
        pages = {variants.get(row["username"], "inline") for row in rows}
        return courts, pages, {row["username"] for row in rows if row["otp_secret"]}, len(rows)

    courts, pages, with_codes, size = paths(roster)
    all_courts, all_pages, all_with_codes, all_size = paths(DEMO_ROSTER)
    assert (courts, pages, with_codes) == (all_courts, all_pages, all_with_codes)
    assert set(expected.values()) == set(EXPECTED.values())
    assert size == len(expected) < all_size == len(EXPECTED)
    assert roster.stat().st_mode & 0o777 == 0o600
