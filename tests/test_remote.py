"""Scale-out: a remote Playwright browser server, a browser over CDP, and shards of one roster, each over
every path of the sample roster (helpers.every_path_roster)."""

from __future__ import annotations

import concurrent.futures
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import PYTHON, every_path_roster, free_port, run_cli

from verifier.browser.launch import find_system_browser, launch_args
from verifier.mock.server import MockServer
from verifier.store.checkpoint import iter_checkpoint


def wait_for_port(port: int, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server exited with {process.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError("the server did not start")


@pytest.fixture
def system_browser() -> Path:
    browser = find_system_browser()
    if browser is None:
        pytest.skip("no system Chromium for a remote server to launch")
    return browser


@pytest.fixture
def playwright_server() -> Iterator[str]:
    port = free_port()
    # `python -m playwright` runs Node as its child: the server is that child, which outlived the
    # Python process it was started by when only that one was ended. So the whole group goes.
    server = subprocess.Popen(
        [PYTHON, "-m", "playwright", "run-server", "--host", "127.0.0.1", "--port", str(port), "--unsafe"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=sys.platform != "win32",
    )
    try:
        wait_for_port(port, server)
        yield f"ws://127.0.0.1:{port}/"
    finally:
        end_process_tree(server)


def end_process_tree(process: subprocess.Popen[bytes]) -> None:
    if sys.platform != "win32":
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
    else:
        subprocess.run(["taskkill", "/T", "/F", "/PID", str(process.pid)], capture_output=True, check=False)
    process.wait(10)


@pytest.fixture
def cdp_browser(system_browser: Path, tmp_path: Path) -> Iterator[str]:
    port = free_port()
    browser = subprocess.Popen(
        [
            str(system_browser),
            "--headless",
            f"--remote-debugging-port={port}",
            f"--user-data-dir={tmp_path / 'profile'}",
            *launch_args(),
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, browser)
        yield f"http://127.0.0.1:{port}"
    finally:
        browser.terminate()
        browser.wait(10)


def bulk(
    server: MockServer, out: Path, env: dict[str, str], *extra: str, roster: Path
) -> subprocess.CompletedProcess[str]:
    return run_cli(
        "bulk", str(roster), "--base-url", server.url, "--out", str(out), "--rate", "0", "--quiet", *extra, env=env
    )


def statuses(out: Path) -> dict[str, str]:
    return {str(r.row): r.status.value for r in iter_checkpoint(out / "results.jsonl")}


def test_remote_playwright_server(
    pacer_mock: MockServer, cli_env: dict[str, str], tmp_path: Path, playwright_server: str, system_browser: Path
) -> None:
    # The product's way (the API): a remote browser changes where pages open, not how one signs in; the
    # sign-on form through a browser pacer-verify did not launch (its origin rule by route) is the CDP test's.
    cli_env["PACER_VERIFY_SIGN_IN"] = "api"
    roster, expected = every_path_roster(tmp_path / "roster.csv")
    done = bulk(
        pacer_mock,
        tmp_path / "out",
        cli_env,
        "--connect",
        playwright_server,
        "--browser-path",
        str(system_browser),
        roster=roster,
    )
    assert done.returncode == 1, done.stderr
    assert statuses(tmp_path / "out") == expected


@pytest.mark.sign_in("browser")  # every path of the sample by the form, in a browser over CDP
def test_browser_over_cdp(pacer_mock: MockServer, cli_env: dict[str, str], tmp_path: Path, cdp_browser: str) -> None:
    # Every path of the sample, by the sign-on form (the suite's default): over CDP the origin guard is a
    # proxy rule and a route in each context, which must let each step's own requests through.
    roster, expected = every_path_roster(tmp_path / "roster.csv")
    done = bulk(pacer_mock, tmp_path / "out", cli_env, "--cdp", cdp_browser, roster=roster)
    assert done.returncode == 1, done.stderr
    assert statuses(tmp_path / "out") == expected


def test_shards_cover_the_roster_once(pacer_mock: MockServer, cli_env: dict[str, str], tmp_path: Path) -> None:
    outs = [tmp_path / f"shard{k}" for k in (1, 2, 3)]
    cli_env["PACER_VERIFY_SIGN_IN"] = "api"  # the product's way: sharding does not depend on how one signs in
    roster, expected = every_path_roster(tmp_path / "roster.csv")
    # At once, as shards run on several machines: each reads the whole roster and checks only its own rows.
    with concurrent.futures.ThreadPoolExecutor(len(outs)) as pool:
        runs = pool.map(
            lambda k_out: bulk(pacer_mock, k_out[1], cli_env, "--shard", f"{k_out[0]}/3", roster=roster),
            enumerate(outs, 1),
        )
        for done in runs:
            assert done.returncode in (0, 1), done.stderr
    parts = [statuses(out) for out in outs]
    assert all(parts), "each shard has rows of its own"
    assert sum(len(p) for p in parts) == len(expected)
    merged = {row: status for part in parts for row, status in part.items()}
    assert merged == expected
    report = run_cli("report", *(str(o / "results.jsonl") for o in outs), "--format", "json", env=cli_env)
    assert report.returncode == 0, report.stderr
    assert len(json.loads(report.stdout)["results"]) == len(expected)
