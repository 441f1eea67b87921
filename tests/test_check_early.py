"""`check` starts Playwright's driver with the command and the browser while it reads its input
(verifier.browser.early). Whatever ends the command, nothing it started outlives it, and nothing signs
in that should not: a usage error before the launch or after it, and Ctrl-C in the middle of the check
(which still logs out)."""

from __future__ import annotations

import signal
import time
import uuid
from pathlib import Path

import psutil
import pytest
from helpers import reaped, run_cli, start_cli
from test_sessions_closed import assert_all_closed, opened, slow_once_signed_in

from verifier.browser import early
from verifier.errors import ExitCode
from verifier.mock.server import MockServer

MARK = "PACER_VERIFY_TEST_MARK"


def password_of(server: MockServer, username: str) -> str:
    return next(a.password for a in server.scenario.accounts if a.username == username)


def started_by(mark: str) -> list[psutil.Process]:
    """Processes still alive that inherited this test's mark: the driver and the browser's processes."""
    alive = []
    for process in psutil.process_iter():
        try:
            if process.environ().get(MARK) == mark and process.status() != psutil.STATUS_ZOMBIE:
                alive.append(process)
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue
    return alive


def none_left(mark: str, within_s: float = 10.0) -> list[psutil.Process]:
    """What is still alive once `within_s` has passed (a process's exit is seen a moment after it)."""
    deadline = time.monotonic() + within_s
    while (alive := started_by(mark)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return alive


@pytest.mark.parametrize(
    ("args", "said"),
    [
        ((), "PACER_PASSWORD"),  # no password: refused before the browser launches (the driver had started)
        (("--court", "!!"), "--court: not a court id"),  # refused while the browser launches
    ],
    ids=["before-launch", "during-launch"],
)
def test_a_usage_error_leaves_no_driver_or_browser_and_signs_in_nowhere(
    pacer_mock: MockServer, cli_env: dict[str, str], tmp_path: Path, args: tuple[str, ...], said: str
) -> None:
    mark = uuid.uuid4().hex
    cli_env[MARK] = mark
    if args:
        cli_env["PACER_PASSWORD"] = password_of(pacer_mock, "egarcia2005")
    done = run_cli("check", "-u", "egarcia2005", "--base-url", pacer_mock.url, *args, env=cli_env, cwd=tmp_path)
    assert done.returncode == ExitCode.USAGE, done.stderr
    assert said in done.stderr and "Traceback" not in done.stderr
    assert none_left(mark) == []
    assert opened(pacer_mock) == 0


def test_ctrl_c_during_check_logs_out_and_leaves_nothing_running(
    pacer_mock: MockServer, cli_env: dict[str, str], tmp_path: Path
) -> None:
    # Manage My Account answers the signed-in account only after a long wait: the signal comes while the
    # check runs on the browser's own loop, signed in.
    mark = uuid.uuid4().hex
    cli_env[MARK] = mark
    cli_env["PACER_PASSWORD"] = password_of(pacer_mock, "egarcia2005")
    pacer_mock.set_faults(slow_once_signed_in(["egarcia2005"], 60))
    command = ["check", "-u", "egarcia2005", "--base-url", pacer_mock.url, "--sign-in", "api", "--timeout", "120"]
    process = start_cli(*command, env=cli_env, cwd=tmp_path)
    with reaped(process):
        deadline = time.monotonic() + 120
        while opened(pacer_mock) < 1 and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert opened(pacer_mock) == 1, "the account never got signed in"
        assert started_by(mark), "the mark finds no driver or browser: the last assertion would prove nothing"
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=60)
    assert process.returncode == ExitCode.INTERRUPTED, stderr
    assert opened(pacer_mock) == 1  # nothing signed in again
    assert_all_closed(pacer_mock)  # its logout was sent on the way out
    assert none_left(mark) == []


@pytest.mark.parametrize(
    ("argv", "wanted"),
    [
        (["check", "-u", "x"], True),
        (["-v", "check"], True),
        (["check", "--help"], False),
        (["bulk", "roster.csv"], False),
        (["--version"], False),
        ([], False),
    ],
)
def test_the_driver_starts_early_for_a_check_only(argv: list[str], wanted: bool) -> None:
    assert early.wanted(argv, environ={}) is wanted


def test_with_the_drivers_debug_switches_set_the_check_starts_its_driver_itself() -> None:
    # Whether DEBUG may reach the driver is --debug-playwright's to say, read with the settings.
    assert early.wanted(["check"], environ={"DEBUG": "pw:api"}) is False
    assert early.wanted(["check"], environ={"DEBUG_FILE": "/tmp/x"}) is False
