"""Killing a run at any moment loses nothing: resuming gives the same results as an uninterrupted
run, every account exactly once (a site_error checked once more). The checkpoint underneath: a torn
last line, a fixed row replacing its error, and which accounts --resume finds done."""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import bulk_run, every_path_roster, make_result, start_cli
from playwright.async_api import Browser

from flows.otp import PERIOD_S
from verifier.mock.scenario import FaultRule
from verifier.mock.server import MockServer
from verifier.models import Result, Status
from verifier.store.checkpoint import (
    CheckpointWriter,
    account_key,
    done_keys,
    iter_checkpoint,
    key_of,
    latest_results,
    row_key,
)


def bulk(server: MockServer, roster: Path, out: Path, env: dict[str, str], *extra: str) -> subprocess.Popen[str]:
    return start_cli(
        "bulk",
        str(roster),
        "--base-url",
        server.url,
        "--out",
        str(out),
        "--rate",
        "0",
        "--quiet",
        "--concurrency",
        "2",
        *extra,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def wait_for_lines(path: Path, count: int, process: subprocess.Popen[str], timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and len(path.read_text().splitlines()) >= count:
            return
        if process.poll() is not None:
            return
        time.sleep(0.05)
    raise AssertionError("the run wrote nothing in time")


@pytest.mark.parametrize(
    ("sig", "after", "code", "sign_in"),
    [
        # The product's way (the API, one request) for two, the form's steps for one: where the stop
        # falls changes; what is kept does not depend on how the accounts signed in.
        (signal.SIGKILL, 7, -9, "api"),
        (signal.SIGTERM, 20, 143, "browser"),
        (signal.SIGINT, 33, 130, "api"),
    ],
)
def test_interrupted_run_resumes_to_the_same_results(
    pacer_mock: MockServer, cli_env: dict[str, str], tmp_path: Path, sig: int, after: int, code: int, sign_in: str
) -> None:
    cli_env["PACER_VERIFY_SIGN_IN"] = sign_in
    # Some transient faults too, so the interruption can fall in the middle of a retry. Each account draws
    # its own (`per_username`), so which account meets one does not depend on the order the two workers
    # take them in; with this seed a third of the accounts meet one at their first signed-in load, and
    # none meets three in a row (the in-place tries of a page after sign-in) within its first ten.
    pacer_mock.set_faults(
        [FaultRule(kind="status", path="^/pscof/manage/maint", status=503, rate=0.15, seed=205, per_username=True)]
    )
    # Every path of the sample (helpers.every_path_roster): 42 rows, so a stop after 33 still falls mid-run.
    roster, expected = every_path_roster(tmp_path / "roster.csv")
    out = tmp_path / "out"
    checkpoint = out / "results.jsonl"
    first = bulk(pacer_mock, roster, out, cli_env, "--retries", "4")
    wait_for_lines(checkpoint, after, first)
    first.send_signal(sig)
    first.communicate(timeout=120)
    assert first.returncode == code
    recorded = len(checkpoint.read_text().splitlines())
    assert 0 < recorded < len(expected)
    if sig != signal.SIGKILL:
        assert (out / "report.html").exists(), "an orderly stop still writes the reports for what is done"

    # An account in flight at the stop is checked again: on the site's clock, a code step later, so an account
    # with MFA makes a new code instead of waiting up to 30 s for one (the ledger reads the site's `Date`).
    pacer_mock.move_clock(PERIOD_S)
    second = bulk(pacer_mock, roster, out, cli_env, "--retries", "4", "--resume")
    second.communicate(timeout=300)
    assert second.returncode == 1
    results = list(iter_checkpoint(checkpoint))
    keys = [key_of(r) for r in results]
    # Every account exactly once, except that --resume checks a site_error again (one more line).
    first_status: dict[str, str] = {}
    for result in results:
        first_status.setdefault(key_of(result), result.status.value)
    repeated = {key for key in keys if keys.count(key) > 1}
    assert all(first_status[key] == "site_error" and keys.count(key) == 2 for key in repeated), repeated
    assert len(set(keys)) == len(expected)
    latest = {str(r.row): r for r in latest_results(checkpoint)}
    assert {row: r.status.value for row, r in latest.items()} == expected, [
        (row, r.status.value, r.message) for row, r in latest.items() if r.status.value != expected.get(row)
    ]
    assert sum(pacer_mock.stats()["faults"].values()) > 0, "the faults must actually have been met"


# --- the checkpoint: what --resume finds done ------------------------------------------------------------


def _result(username: str, status: Status = Status.UPGRADED, row: int = 1) -> Result:
    return make_result(name=f"Name {username}", username=username, status=status, row=row)


def test_a_rows_key_before_its_check_is_its_results_key() -> None:
    # --resume skips a roster row by the key its result will have: an account's by username and name
    # (however a status turned out), an unusable row's by its row number, whatever username it names.
    key = account_key("JDoe2001", " Jane  Doe", 3)
    assert key == "jdoe2001|jane doe"
    for status in (Status.UPGRADED, Status.LOCKED, Status.SITE_ERROR):
        assert key_of(make_result(status, name="Jane Doe", username="jdoe2001", row=3)) == key
    assert key_of(make_result(Status.INVALID_INPUT, name="Jane Doe", username="jdoe2001", row=3)) == row_key(3)
    assert row_key(3) == "row:3" and account_key("", "Jane Doe", 4) == "row:4"


def test_checkpoint_survives_a_torn_last_line(tmp_path: Path) -> None:
    path = tmp_path / "results.jsonl"
    with CheckpointWriter(path) as writer:
        writer.write(_result("aa1111"))
        writer.write(_result("bb2222", Status.LEGACY))
    with path.open("a") as handle:
        handle.write('{"name": "torn", "usern')  # the process died mid-line
    assert [r.username for r in iter_checkpoint(path)] == ["aa1111", "bb2222"]
    with CheckpointWriter(path) as writer:  # the next run starts on a fresh line
        writer.write(_result("cc3333"))
    assert [r.username for r in iter_checkpoint(path)] == ["aa1111", "bb2222", "cc3333"]
    assert done_keys(path) == {"aa1111|name aa1111", "bb2222|name bb2222", "cc3333|name cc3333"}


def test_a_fixed_row_replaces_its_error(tmp_path: Path) -> None:
    path = tmp_path / "results.jsonl"
    with CheckpointWriter(path) as writer:
        writer.write(_result("", Status.INVALID_INPUT, row=7))
        writer.write(_result("", Status.INVALID_INPUT, row=8))
        writer.write(_result("gg7777", Status.UPGRADED, row=7))
    assert done_keys(path) == {"row:7", "row:8", "gg7777|name gg7777"}
    assert [(r.row, r.status) for r in latest_results(path)] == [(8, Status.INVALID_INPUT), (7, Status.UPGRADED)]


def test_resume_checks_an_account_again_while_its_latest_result_is_a_site_error(tmp_path: Path) -> None:
    path = tmp_path / "results.jsonl"
    with CheckpointWriter(path) as writer:
        writer.write(_result("aa1111", Status.SITE_ERROR))
        writer.write(_result("bb2222", Status.SITE_ERROR))
        writer.write(_result("bb2222", Status.LEGACY))  # fixed by an earlier --resume
        writer.write(_result("cc3333", Status.UPGRADED))
        writer.write(_result("cc3333", Status.SITE_ERROR))  # failed on the latest run
    assert done_keys(path) == {"bb2222|name bb2222"}


# --- a site error is checked again -----------------------------------------------------------------------


@pytest.mark.sign_in("browser")  # the fault is on the form's POST
def test_resume_checks_site_errors_again(
    pacer_mock: MockServer, core_browser: Browser, run_core: Callable[..., Any], tmp_path: Path
) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("username,password\nasmith2001,Mock-Passw0rd-1\negarcia2005,Mock-Passw0rd-5\n", encoding="utf-8")
    roster.chmod(0o600)
    out = tmp_path / "out"
    # The sign-in of one account answers 503 every time: retried, then given up as a site error.
    pacer_mock.set_faults(
        [FaultRule(kind="status", status=503, path="^/csologin/login.jsf$", method="POST", username="asmith2001")]
    )
    first = bulk_run(core_browser, run_core, pacer_mock, roster, out)
    assert {r.username: r.status.value for r in first.results} == {"asmith2001": "site_error", "egarcia2005": "legacy"}
    pacer_mock.reset()
    pacer_mock.set_faults([])
    second = bulk_run(core_browser, run_core, pacer_mock, roster, out, resume=True)
    assert second.summary.skipped == 1  # the legacy account is done
    assert [r.username for r in second.summary.results] == ["asmith2001"]
    assert {r.username: r.status.value for r in second.results} == {"asmith2001": "upgraded", "egarcia2005": "legacy"}
    assert pacer_mock.stats()["login_posts"] == {"asmith2001": 1}
