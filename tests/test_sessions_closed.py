"""Leave PACER as it was found: every session a check opens is ended, whatever the check's outcome, in both
sign-in modes; after a stop (a signal, the lockout rule) within a few seconds; and a logout that fails is a
warning, never a changed result. Every assertion is on the mock's own counters of open sessions."""

from __future__ import annotations

import csv
import datetime as dt
import logging
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import reaped, start_cli
from playwright.async_api import Browser

from verifier.check.logout import STOPPING_BUDGET_S
from verifier.config import load_settings
from verifier.data import DEMO_ROSTER
from verifier.errors import ExitCode
from verifier.mock.scenario import FaultRule, court_registry
from verifier.mock.server import MockServer
from verifier.run.bulk import BulkOutcome, BulkPlan, run_bulk

MODES = ["api", "browser"]
TODAY = dt.date(2026, 11, 22)
#: One row per way a check can end, from the sample roster (statuses in fixtures/expected_statuses.json).
EVERY_STATUS = {
    "asmith2001": "upgraded",  # a NextGen court visited with the session
    "cwong2003": "upgraded",  # MFA and the Redaction Agreement, two courts
    "egarcia2005": "legacy",
    "hlee2008": "invalid_credentials",
    "imartin2009": "locked",
    "kdavis2011": "mfa_required",
    "lwilson2012": "update_required",  # the API signs in with the update pending: a session to end
    "ntaylor2014": "unrecognized_page",
    "oanderson2015": "site_error",  # signed in, then Manage My Account answers 503
    "xhall2023": "upgraded",  # a CurrentGen court's own login, which is ended too
    "otto2035": "otp_rejected",
}
Factory = Callable[..., MockServer]
#: For the tests of a page the mock holds (a timeout, the cap, a stop): a screenshot of a page whose navigation
#: is held waits its own 10 s (verifier.evidence._artifacts) before the logout. A failed check's screenshot
#: and then its logout are test_every_status_path_leaves_no_session_open's (site_error, unrecognized_page).
NO_SCREENSHOTS = {"screenshots": False}


def sample_rows(usernames: set[str]) -> list[dict[str, str]]:
    with Path(str(DEMO_ROSTER)).open(newline="", encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle) if row["username"] in usernames]


def write_roster(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    path.chmod(0o600)
    return path


def opened(server: MockServer) -> int:
    """Sessions the mock issued (API and form) since its reset."""
    return sum(server.stats()["sign_ons"].values())


def assert_all_closed(server: MockServer) -> None:
    stats = server.stats()
    assert stats["open_sessions"] == {}, f"sessions left open: {stats['open_sessions']}"
    assert stats["open_court_sessions"] == {}, f"court logins left open: {stats['open_court_sessions']}"


@pytest.fixture
def bulk(core_browser: Browser, run_core: Callable[..., Any], tmp_path: Path) -> Callable[..., BulkOutcome]:
    def run(server: MockServer, roster: Path, **settings: Any) -> BulkOutcome:
        options = {"base_url": server.url, "rate_per_minute": 0, "concurrency": 3, "timeout_s": 20, "retries": 1}
        plan = BulkPlan(roster=roster, out_dir=tmp_path / "out", courts=court_registry(server.scenario))
        return run_core(
            run_bulk(load_settings(None, **{**options, **settings}), plan, browser=core_browser, today=TODAY)
        )

    return run


@pytest.mark.parametrize("mode", MODES)
def test_every_status_path_leaves_no_session_open(
    bulk: Callable[..., BulkOutcome], pacer_mock: MockServer, tmp_path: Path, mode: str
) -> None:
    roster = write_roster(tmp_path / "roster.csv", sample_rows(set(EVERY_STATUS)))
    outcome = bulk(pacer_mock, roster, sign_in=mode)
    assert {r.username: r.status.value for r in outcome.results} == EVERY_STATUS
    assert opened(pacer_mock) == (7 if mode == "api" else 6)  # and the API signs in lwilson2012 (update pending)
    assert_all_closed(pacer_mock)
    assert pacer_mock.stats()["court_login_posts"].get("nysd:xhall") == 1  # the CurrentGen login was made
    # How: the API's tokens by the logout service; the form's sessions by Manage My Account's Logout, but
    # oanderson2015's, whose Manage My Account answers 503: the logout service ended that one.
    requests = pacer_mock.stats()["requests"]
    by_service, by_page = requests.get("/services/cso-logout", 0), requests.get("/csologin/logout", 0)
    assert (by_service, by_page) == ((7, 0) if mode == "api" else (1, 5))


@pytest.mark.parametrize("mode", MODES)
def test_the_form_after_a_refused_api_session_ends_both(
    bulk: Callable[..., BulkOutcome], pacer_mock_factory: Factory, tmp_path: Path, mode: str
) -> None:
    server = pacer_mock_factory(api_opens_account=False)
    roster = write_roster(tmp_path / "roster.csv", sample_rows({"egarcia2005"}))
    [result] = bulk(server, roster, sign_in=mode).results
    assert result.status.value == "legacy"
    assert server.stats()["sign_ons"] == {"egarcia2005": 2 if mode == "api" else 1}  # the API's, then the form's
    assert_all_closed(server)


@pytest.mark.parametrize("mode", MODES)
def test_a_timeout_after_sign_in_still_ends_the_session(
    bulk: Callable[..., BulkOutcome], pacer_mock: MockServer, tmp_path: Path, mode: str
) -> None:
    # Signed in; then Manage My Account, for this account, is slower than the timeout, so the check is a
    # site error after sign-in (and, by the form, the page's Logout cannot load either: the service ends it).
    pacer_mock.set_faults([FaultRule(kind="latency", path="^/pscof/manage/", delay_s=30, username="dpatel2004")])
    roster = write_roster(tmp_path / "roster.csv", sample_rows({"dpatel2004"}))
    [result] = bulk(pacer_mock, roster, sign_in=mode, timeout_s=2, retries=0, **NO_SCREENSHOTS).results
    assert result.status.value == "site_error", result.message
    if mode == "browser":
        # The sign-in's answer is a redirect to the held page: its body is waited for within --timeout,
        # and the message says which wait ran out (not the whole attempt's limit, six times --timeout).
        assert result.message.startswith("the page did not finish showing the answer to the sign-in"), result.message
    assert opened(pacer_mock) == 1
    assert_all_closed(pacer_mock)


@pytest.mark.parametrize("mode", MODES)
def test_an_account_past_its_account_timeout_ends_safely(
    bulk: Callable[..., BulkOutcome], pacer_mock: MockServer, tmp_path: Path, mode: str
) -> None:
    """--account-timeout caps the whole check: signed in, then Manage My Account far slower than the cap
    (but within --timeout), so the cap ends it: one sign-in, no second, site_error saying so, session ended."""
    pacer_mock.set_faults(slow_once_signed_in(["dpatel2004"], 60))
    roster = write_roster(tmp_path / "roster.csv", sample_rows({"dpatel2004"}))
    [result] = bulk(
        pacer_mock, roster, sign_in=mode, timeout_s=30, account_timeout_s=2, retries=2, **NO_SCREENSHOTS
    ).results
    assert result.status.value == "site_error" and result.attempts == 1, result.message
    assert result.message.startswith("the check of this account took longer than --account-timeout (2 s)")
    assert "not sent again" in result.message
    assert opened(pacer_mock) == 1  # the one sign-in: the password was not sent again
    assert_all_closed(pacer_mock)


def test_a_failed_logout_is_a_warning_and_the_result_stands(
    bulk: Callable[..., BulkOutcome], pacer_mock: MockServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    pacer_mock.set_faults([FaultRule(kind="status", path="^/services/cso-logout$", status=500)])
    roster = write_roster(tmp_path / "roster.csv", sample_rows({"asmith2001"}))
    with caplog.at_level(logging.WARNING, logger="verifier.check.logout"):
        [result] = bulk(pacer_mock, roster, sign_in="api").results
    assert result.status.value == "upgraded" and "logout" not in result.message.lower()
    assert pacer_mock.stats()["open_sessions"] == {"asmith2001": 1}  # the site refused to end it
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("asmith2001: could not end the PACER session" in w and "HTTP 500" in w for w in warnings), warnings


@pytest.mark.parametrize("mode", MODES)
def test_the_lockout_stop_leaves_no_session_open(
    bulk: Callable[..., BulkOutcome], pacer_mock: MockServer, tmp_path: Path, mode: str
) -> None:
    rows = sample_rows({"imartin2009", "jbrown2010", "asmith2001", "egarcia2005"})
    order = ["egarcia2005", "imartin2009", "jbrown2010", "asmith2001"]
    roster = write_roster(tmp_path / "roster.csv", sorted(rows, key=lambda r: order.index(r["username"])))
    outcome = bulk(pacer_mock, roster, sign_in=mode, stop_after_locked=2, concurrency=1)
    assert outcome.exit_code is ExitCode.INCOMPLETE
    assert [r.username for r in outcome.results] == order[:3]
    assert opened(pacer_mock) == 1  # egarcia2005's, before the two locked accounts stopped the run
    assert_all_closed(pacer_mock)


@pytest.mark.parametrize("mode", MODES)
def test_ctrl_c_in_the_middle_of_bulk_logs_out_who_is_signed_in(
    pacer_mock: MockServer, cli_env: dict[str, str], tmp_path: Path, mode: str
) -> None:
    cli_env["PACER_VERIFY_SCREENSHOTS"] = "0"  # NO_SCREENSHOTS
    # Manage My Account answers a signed-in account only after a long wait, so the first accounts are signed
    # in and waiting when the signals come: the first stops new sign-ins, the second abandons what is in flight.
    usernames = [f"atty30{n:02d}" for n in range(1, 9)]
    pacer_mock.set_faults(slow_once_signed_in(usernames, 60))
    roster = write_roster(tmp_path / "roster.csv", sample_rows(set(usernames)))
    command = ["bulk", str(roster), "--base-url", pacer_mock.url, "--out", str(tmp_path / "out")]
    process = start_cli(*command, "--rate", "0", "-c", "3", "--sign-in", mode, "--timeout", "120", env=cli_env)
    with reaped(process):
        deadline = time.monotonic() + 120
        while opened(pacer_mock) < 3 and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert opened(pacer_mock) == 3, "three accounts never got signed in"
        assert sum(pacer_mock.stats()["open_sessions"].values()) == 3
        process.send_signal(signal.SIGINT)
        time.sleep(0.5)
        process.send_signal(signal.SIGINT)  # abandon the accounts in flight: they are logged out on the way
        _, stderr = process.communicate(timeout=60)
    assert process.returncode == ExitCode.INTERRUPTED, stderr
    assert opened(pacer_mock) == 3  # nothing signed in after the signal
    assert_all_closed(pacer_mock)


def test_a_logout_that_hangs_does_not_hold_the_exit(
    pacer_mock: MockServer, cli_env: dict[str, str], tmp_path: Path
) -> None:
    cli_env["PACER_VERIFY_SCREENSHOTS"] = "0"  # NO_SCREENSHOTS
    usernames = [f"atty30{n:02d}" for n in range(1, 4)]
    hang = FaultRule(kind="latency", path="^/services/cso-logout$", delay_s=600, name="hung-logout")
    pacer_mock.set_faults([*slow_once_signed_in(usernames, 600), hang])
    roster = write_roster(tmp_path / "roster.csv", sample_rows(set(usernames)))
    command = ["bulk", str(roster), "--base-url", pacer_mock.url, "--out", str(tmp_path / "out")]
    process = start_cli(*command, "--rate", "0", "-c", "3", "--sign-in", "api", "--timeout", "900", env=cli_env)
    with reaped(process):
        deadline = time.monotonic() + 120
        while opened(pacer_mock) < 3 and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert opened(pacer_mock) == 3, "three accounts never got signed in"
        process.send_signal(signal.SIGINT)
        time.sleep(0.5)
        process.send_signal(signal.SIGINT)
        # Each logout waits 600 s on the site; the run gives them STOPPING_BUDGET_S, side by side.
        _, stderr = process.communicate(timeout=60 + 10 * STOPPING_BUDGET_S)
    assert process.returncode == ExitCode.INTERRUPTED, stderr
    assert pacer_mock.stats()["faults"]["hung-logout"] == 3  # each was asked for, none answered in time
    assert stderr.count("could not end the PACER session") == 3, stderr


def slow_once_signed_in(usernames: list[str], seconds: float) -> list[FaultRule]:
    """Manage My Account slow for these accounts' sessions only: the first, signed-out visit is not."""
    return [FaultRule(kind="latency", path="^/pscof/manage/", delay_s=seconds, username=u) for u in usernames]
